"""Webhook signatures in the Standard Webhooks format (https://www.standardwebhooks.com/).

A secret is ``whsec_`` followed by the base64 of random bytes; those bytes are the HMAC
key. Each attempt carries ``webhook-id`` (the event id, the same on every retry),
``webhook-timestamp`` (Unix seconds of the attempt) and ``webhook-signature``
(``v1,`` and the base64 HMAC-SHA256 of ``f"{id}.{timestamp}.{body}"``), so a receiver can
check it with the ``standardwebhooks`` library of its language.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets

from django.core.exceptions import ValidationError

SECRET_PREFIX = "whsec_"  # noqa: S105 (a label, not a secret)
# The specification asks for 24 to 64 bytes; 32 match the strength of HMAC-SHA256.
SECRET_BYTES = 32
MIN_SECRET_BYTES = 24
MAX_SECRET_BYTES = 64

ID_HEADER = "webhook-id"
TIMESTAMP_HEADER = "webhook-timestamp"
SIGNATURE_HEADER = "webhook-signature"
SIGNATURE_VERSION = "v1"


def secret_from_key(key: bytes) -> str:
    return SECRET_PREFIX + base64.b64encode(key).decode("ascii")


def secret_generate() -> str:
    return secret_from_key(secrets.token_bytes(SECRET_BYTES))


def _decoded(secret: str) -> bytes | None:
    """The key of a ``whsec_`` + base64 secret; None for any other string."""
    if not secret.startswith(SECRET_PREFIX):
        return None
    try:
        # Strict: the lenient decoder drops characters it does not know (as url-safe
        # base64's - and _), which would sign with a key the receiver does not have.
        key = base64.b64decode(secret.removeprefix(SECRET_PREFIX), validate=True)
    except (binascii.Error, ValueError):
        return None
    return key or None


def secret_key(secret: str) -> bytes:
    """The HMAC key of a secret.

    A secret of another form was stored before this format (the previous release used the
    string's own bytes as the key): its bytes stay the key, which is also the key of its
    standard form ``secret_from_key(secret.encode())``. Migration 0009 rewrites stored
    ones to that form; this covers any the previous release wrote while it still ran.
    """
    if not secret:
        raise ValueError("an empty webhook secret signs nothing")
    key = _decoded(secret)
    return key if key is not None else secret.encode()


def webhook_secret_validate(value: str) -> None:
    """A secret staff enter must be in the standard form, and long enough."""
    if not value:
        return
    key = _decoded(value)
    if key is None or not MIN_SECRET_BYTES <= len(key) <= MAX_SECRET_BYTES:
        raise ValidationError(
            f"Enter {SECRET_PREFIX} followed by the base64 of {MIN_SECRET_BYTES} to "
            f"{MAX_SECRET_BYTES} random bytes, or leave it blank to have one generated.",
            code="invalid",
        )


def signature(key: bytes, *, message_id: str, timestamp: int, body: bytes) -> str:
    content = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, content, hashlib.sha256).digest()
    return f"{SIGNATURE_VERSION},{base64.b64encode(digest).decode('ascii')}"


def signed_headers(*, secret: str, message_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The three headers of one attempt; ``body`` is the exact bytes posted."""
    key = secret_key(secret)
    return {
        ID_HEADER: message_id,
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signature(key, message_id=message_id, timestamp=timestamp, body=body),
    }
