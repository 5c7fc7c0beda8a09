"""Links in emails and pages: absolute addresses from the configured public URL (never the
Host header), the subject's status page, the signed confirmation link and the signed link
a customer acknowledges a forward with."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

CONFIRM_SALT = "routing.intake.confirm"
ACK_SALT = "routing.route-acknowledgement"
# A customer has this long to use the link; acknowledging twice is refused by state.
ACK_MAX_AGE = timedelta(days=90)


def public_url(path: str) -> str:
    """An absolute link for an email: the configured public address, never the Host header."""
    return f"{settings.DSAR_PUBLIC_URL}{path}"


def status_path(token: str) -> str:
    return reverse("status", args=[token])


def confirmation_max_age() -> timedelta:
    """A confirmation link lasts as long as an unconfirmed request is kept: the retention
    sweep expires and erases it after the same number of days."""
    return timedelta(days=settings.DSAR_UNVERIFIED_EXPIRY_DAYS)


def confirmation_url(request_id: int, token: str) -> str:
    code = signing.dumps({"r": request_id, "t": token}, salt=CONFIRM_SALT, compress=True)
    return public_url(reverse("intake-confirm", args=[code]))


def acknowledge_url(route_id: int) -> str:
    token = signing.dumps({"route": route_id}, salt=ACK_SALT)
    return public_url(f"/ack/{token}/")


def admin_url(request_id: int) -> str:
    return public_url(f"/admin/routing/request/{request_id}/change/")
