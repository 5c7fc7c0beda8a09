"""Finding a subject's request from the token of their status link."""

from __future__ import annotations

from routing.domain.tokens import token_hash
from routing.models import Request, Status

# A status-page token is secrets.token_urlsafe(32): 43 characters. Anything much longer is
# not one, and is refused before it reaches the database.
_MAX_TOKEN_LENGTH = 100


def request_for_token(token: str) -> Request | None:
    """The request a status link names; None for anything else, alike: an unknown token,
    or the link of a request that expired unconfirmed or was purged of personal data."""
    if not token or len(token) > _MAX_TOKEN_LENGTH:
        return None
    return (
        Request.objects.select_related("organisation")
        .filter(status_token_hash=token_hash(token), purged_at__isnull=True)
        .exclude(status=Status.EXPIRED)
        .first()
    )
