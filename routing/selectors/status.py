"""Finding a subject's request from the token of their status link."""

from __future__ import annotations

from routing.domain.status_links import signed_request_id, signed_token_matches
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
    shown = (
        Request.objects.select_related("organisation")
        .filter(purged_at__isnull=True)
        .exclude(status=Status.EXPIRED)
    )
    # The signed link of the emails after the acknowledgement (routing.domain.status_links).
    request_id = signed_request_id(token)
    if request_id is not None:
        found = shown.filter(pk=request_id).first()
        if found is None or not signed_token_matches(token, found.pk, found.status_token_hash):
            return None
        return found
    return shown.filter(status_token_hash=token_hash(token)).first()
