"""The public intake: a subject's submission, the confirmation of their address, expiry.

A submission is stored unverified with its confirmation email in one transaction. The
email carries a signed link that holds the request's id and its status-page token, sealed
(the token exists only at receive time; only its hash is stored), valid for seven days by
default (``DSAR_UNVERIFIED_EXPIRY_DAYS``).
Confirming verifies the request, which starts its routes, and sends the acknowledgement
with the status link. Confirming happens once; until it expires, the link opened again
leads to the status page.
An unconfirmed request is expired and erased by the retention sweep
(``routing.services.expiry.expire_unverified_requests``) after as many days as its link
lasts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Literal

from django.core import signing
from django.db import transaction

from routing.domain.links import confirmation_max_age, confirmation_read
from routing.domain.tokens import token_hash
from routing.domain.transitions import TransitionError
from routing.domain.wording import CALL_TIME_LINE
from routing.models import Channel, Organisation, Request, Status
from routing.services.actors import Actor
from routing.services.requests import Received, request_receive, request_verify

_SENT_SALT = "routing.intake.sent"


@dataclass(frozen=True)
class IntakeSubmission:
    """What the intake form validated: normalised, ready for ``request_receive``."""

    kinds: tuple[str, ...]
    email: str
    scopes: tuple[str, ...] = ()
    name: str = ""
    phone: str = ""  # E.164
    country: str = ""  # ISO 3166-1 alpha-2, empty when the subject chose "another country"
    region: str = ""
    identifiers: Mapping[str, str] = field(default_factory=dict)
    call_time: str = ""
    details: str = ""


@dataclass(frozen=True)
class Confirmation:
    outcome: Literal["confirmed", "already", "invalid"]
    request: Request | None = None
    token: str = ""


def sent_code(reference: str) -> str:
    """Carries the reference to the page shown after submitting, without a session."""
    return signing.dumps(reference, salt=_SENT_SALT)


def read_sent_code(code: str) -> str | None:
    try:
        value = signing.loads(code, salt=_SENT_SALT, max_age=timedelta(days=1))
    except signing.BadSignature:
        return None
    return value if isinstance(value, str) else None


def _details(submission: IntakeSubmission) -> str:
    # Staff read the call's time with the subject's text (it is not an identifier); the
    # status page splits it off again to show it under its own, translated, label.
    parts = [submission.details.strip()]
    if submission.call_time.strip():
        parts.append(CALL_TIME_LINE + submission.call_time.strip())
    return "\n\n".join(part for part in parts if part)


def intake_submit(
    *,
    organisation: Organisation,
    submission: IntakeSubmission,
    language: str,
    gpc: bool = False,
) -> Received:
    """Store an unverified web request and its confirmation email, or nothing.

    Raises ValidationError keyed by field when the request service refuses it.
    """
    with transaction.atomic():
        received = request_receive(
            organisation=organisation,
            kinds=list(submission.kinds),
            scopes=list(submission.scopes) or None,
            identifiers=dict(submission.identifiers) or None,
            subject={
                "name": submission.name,
                "email": submission.email,
                "phone": submission.phone or None,
                "country": submission.country,
                "region": submission.region,
                "language": language,
            },
            by=Actor.subject(),
            channel=Channel.WEB,
            details=_details(submission),
            verified=False,
            confirm_address=True,
            gpc=gpc,
        )
    return received


def read_confirmation_code(code: str) -> tuple[Request, str] | None:
    """The request and status token a confirmation link names, or None if it is not valid:
    bad signature, too old, unknown request or token, or expired request."""
    found = confirmation_read(code)
    if found is None:
        return None
    pk, token = found
    request = (
        Request.objects.select_related("organisation")
        .filter(pk=pk, status_token_hash=token_hash(token))
        .exclude(status=Status.EXPIRED)
        .first()
    )
    return None if request is None else (request, token)


def intake_confirm(*, code: str) -> Confirmation:
    """Verify the request a confirmation link names and send its acknowledgement."""
    found = read_confirmation_code(code)
    if found is None:
        return Confirmation("invalid")
    request, token = found
    if request.status != Status.UNVERIFIED:
        return Confirmation("already", request, token)
    try:
        with transaction.atomic():
            request_verify(request=request, by=Actor.subject(), method="email_link", token=token)
    except TransitionError:
        # Confirmed (or expired) by a concurrent click between the read and the lock.
        request.refresh_from_db()
        if request.status == Status.EXPIRED:
            return Confirmation("invalid")
        return Confirmation("already", request, token)
    return Confirmation("confirmed", request, token)


__all__ = [
    "Confirmation",
    "IntakeSubmission",
    "confirmation_max_age",
    "intake_confirm",
    "intake_submit",
    "read_confirmation_code",
    "read_sent_code",
    "sent_code",
]
