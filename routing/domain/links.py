"""Links in emails and pages: absolute addresses from the configured public URL (never the
Host header), the subject's status page, the signed confirmation link and the signed link
a customer acknowledges a forward with."""

from __future__ import annotations

import base64
import binascii
import secrets
from datetime import timedelta
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.crypto import salted_hmac

CONFIRM_SALT = "routing.intake.confirm"
# Derives the key that seals the status token inside a confirmation link, apart from the
# key that signs the link.
_CONFIRM_SEAL_SALT = "routing.intake.confirm.seal"
ACK_SALT = "routing.route-acknowledgement"
# Apart from a route's, so neither link can stand for the other.
RECIPIENT_ACK_SALT = "routing.recipient-acknowledgement"
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


def _seal_key(secret: str | bytes) -> AESGCM:
    """AES-256-GCM under a key derived from ``secret``, apart from the key that signs."""
    return AESGCM(
        salted_hmac(_CONFIRM_SEAL_SALT, "key", secret=secret, algorithm="sha256").digest()
    )


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def confirmation_code(request_id: int, token: str) -> str:
    """The signed code of a confirmation link. A signed payload is only base64, readable by
    whoever sees the link (a mail scanner, a proxy log), so the status token in it is
    sealed: encrypted with AES-GCM under a key derived from SECRET_KEY, a fresh nonce each
    time, bound to the request's id. The signature covers the sealed token too."""
    nonce = secrets.token_bytes(12)
    sealed = _seal_key(settings.SECRET_KEY).encrypt(nonce, token.encode(), str(request_id).encode())
    payload = {"r": request_id, "n": _b64(nonce), "s": _b64(sealed)}
    return signing.dumps(payload, salt=CONFIRM_SALT)


def confirmation_read(code: str) -> tuple[int, str] | None:
    """The request id and status token a confirmation code holds, or None when the code is
    not valid: altered, too old, or signed with no key this site knows."""
    # The key whose signature holds is the key that sealed the token, so each key, current
    # then fallbacks, is tried in turn rather than through the signer's own fallbacks.
    for secret in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]:
        try:
            payload = signing.loads(
                code,
                key=secret,
                fallback_keys=[],
                salt=CONFIRM_SALT,
                max_age=confirmation_max_age(),
            )
        except signing.SignatureExpired:
            return None
        except signing.BadSignature:
            continue
        return _unseal(payload, secret)
    return None


def _unseal(payload: Any, secret: str | bytes) -> tuple[int, str] | None:
    if not isinstance(payload, dict) or not isinstance(payload.get("r"), int):
        return None
    pk = payload["r"]
    legacy = payload.get("t")
    if isinstance(legacy, str):
        # A link emailed before tokens were sealed: it still works until it expires.
        return pk, legacy
    nonce, sealed = payload.get("n"), payload.get("s")
    if not isinstance(nonce, str) or not isinstance(sealed, str):
        return None
    try:
        token = _seal_key(secret).decrypt(_unb64(nonce), _unb64(sealed), str(pk).encode()).decode()
    except (binascii.Error, ValueError, InvalidTag):  # UnicodeDecodeError is a ValueError
        return None
    return pk, token


def confirmation_url(request_id: int, token: str) -> str:
    return public_url(reverse("intake-confirm", args=[confirmation_code(request_id, token)]))


def acknowledge_url(route_id: int) -> str:
    token = signing.dumps({"route": route_id}, salt=ACK_SALT)
    return public_url(f"/ack/{token}/")


def recipient_acknowledge_url(notice_id: int) -> str:
    token = signing.dumps({"notice": notice_id}, salt=RECIPIENT_ACK_SALT)
    return public_url(f"/ack/r/{token}/")


def admin_url(request_id: int) -> str:
    return public_url(f"/admin/routing/request/{request_id}/change/")
