"""Requests whose subject never confirmed their address: expired, and their personal data
erased, after as many days as the confirmation link lasts."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from routing.domain.transitions import TransitionError
from routing.models import Request, Status
from routing.services.actors import Actor
from routing.services.requests import request_expire_unverified

logger = logging.getLogger("routing.services.retention")


def unverified_expiry_cutoff(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - timedelta(days=settings.DSAR_UNVERIFIED_EXPIRY_DAYS)


def requests_due_for_expiry(*, now: datetime | None = None) -> QuerySet[Request]:
    return Request.objects.filter(
        status=Status.UNVERIFIED, received_at__lt=unverified_expiry_cutoff(now)
    )


def expire_unverified_requests(*, now: datetime | None = None) -> int:
    """Expire requests their subject never confirmed; returns the number expired.

    Each goes through ``request_expire_unverified``, which locks the row and re-checks the
    status, so a subject confirming at the same moment wins or loses cleanly.
    """
    expired = 0
    by = Actor.system("expiry")
    for request in requests_due_for_expiry(now=now).order_by("received_at", "pk"):
        try:
            request_expire_unverified(request=request, by=by)
        except TransitionError:
            continue  # confirmed or closed since it was selected
        expired += 1
    if expired:
        logger.info("retention: expired %d unverified request(s)", expired)
    return expired
