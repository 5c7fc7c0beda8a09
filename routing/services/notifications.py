"""Emails to the data subject from the intake: confirm your address, and the acknowledgement.

Each is scheduled through the outbox in the caller's transaction, in the subject's
language, once per request (the de-duplication key).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.utils import translation

from routing.models import OutboundMessage, Request, Route
from routing.selectors.status import kind_labels, route_lines
from routing.services.outbox import (
    message_build,
    message_exists,
    message_schedule,
    message_store,
)


def public_url(path: str) -> str:
    """An absolute link for an email: the configured public address, never the Host header."""
    return f"{settings.DSAR_PUBLIC_URL}{path}"


def notify_confirm_address(
    *, request: Request, link: str, expires_at: datetime
) -> OutboundMessage | None:
    return message_schedule(
        template="confirm_address",
        recipient=request.subject_email,
        context={
            "name": request.subject_name,
            "reference": request.reference,
            "organisation": request.organisation.name,
            "link": link,
            "expires_at": expires_at,
            "timezone": request.organisation.timezone,
        },
        dedup_key=f"confirm_address:{request.pk}",
        language=request.subject_language,
        request=request,
    )


def acknowledgement_message(
    *,
    request: Request,
    status_link: str,
    confirmed: bool = True,
    routes: Sequence[Route] | None = None,
) -> OutboundMessage:
    """The acknowledgement, rendered and unsaved. ``confirmed``: the subject confirmed
    their address (the web form); otherwise the request came verified (an integration,
    staff) and this is the first email they get."""
    # The route sentences are built in Python, so they are translated here.
    with translation.override(request.subject_language):
        lines = route_lines(request, routes)
        kinds = kind_labels(request)
    return message_build(
        template="acknowledgement",
        recipient=request.subject_email,
        context={
            "name": request.subject_name,
            "reference": request.reference,
            "organisation": request.organisation.name,
            "kinds": kinds,
            "received_on": request.received_on,
            "due_on": request.effective_due_on,
            "routes": lines,
            "status_link": status_link,
            "confirmed": confirmed,
        },
        dedup_key=f"acknowledgement:{request.pk}",
        language=request.subject_language,
        request=request,
    )


def notify_acknowledgement(
    *, request: Request, status_link: str, confirmed: bool = True
) -> OutboundMessage | None:
    """Schedule the acknowledgement, once per request."""
    if message_exists(f"acknowledgement:{request.pk}"):
        return None
    return message_store(
        acknowledgement_message(request=request, status_link=status_link, confirmed=confirmed)
    )
