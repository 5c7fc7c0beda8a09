"""The status link of the emails a subject gets after the acknowledgement.

The status token is known in plain only while the request is received and confirmed (only
its hash is stored), so later emails cannot repeat the acknowledgement's link. They carry a
second link to the same page instead: the request's id signed with the server's secret,
salted with the stored hash. A copy of the database opens neither link; both keep working,
so an earlier email's link is never broken by a later one.
"""

from __future__ import annotations

from django.core import signing

from routing.domain.links import public_url, status_path

STATUS_SALT = "routing.status-link"


def _signer(token_hash: str) -> signing.Signer:
    return signing.Signer(salt=f"{STATUS_SALT}:{token_hash}")


def signed_status_token(request_id: int, token_hash: str) -> str:
    return _signer(token_hash).sign(str(request_id))


def signed_request_id(token: str) -> int | None:
    """The request a signed token names, before its signature is checked; None for a
    token that is not a signed one (a plain status token has no ":")."""
    value, separator, _signature = token.partition(":")
    if not separator or not value.isdigit() or len(value) > 18:
        return None
    return int(value)


def signed_token_matches(token: str, request_id: int, token_hash: str) -> bool:
    try:
        return _signer(token_hash).unsign(token) == str(request_id)
    except signing.BadSignature:
        return False


def later_status_url(request_id: int, token_hash: str) -> str:
    """The absolute status link for an email sent after the acknowledgement."""
    return public_url(status_path(signed_status_token(request_id, token_hash)))
