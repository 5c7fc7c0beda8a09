"""Digests of bearer secrets: status-page tokens and integration tokens are stored only as
these, so a copy of the database opens no status page and calls no API."""

from __future__ import annotations

import hashlib


def token_hash(token: str) -> str:
    """sha256 hex of a token. The tokens are 32 random bytes, so a plain digest (no salt,
    no stretching) is enough and can be looked up by equality."""
    return hashlib.sha256(token.encode()).hexdigest()
