"""Reads of the notices sent to the recipients of a request's data."""

from __future__ import annotations

from django.db.models import QuerySet

from routing.models import RecipientNotice, Request


def request_recipient_notices(request: Request) -> QuerySet[RecipientNotice]:
    """Who was told of the request's erasure, rectification or restriction, in order."""
    return RecipientNotice.objects.filter(request=request).order_by("created_at", "id")
