"""Idempotency keys: a create sent twice with one key is done once.

The record, with the response, is inserted at the end of the transaction of the work it
guards: one statement. Two calls with one key may both do the work, but the second's
insert waits on the unique index until the first commits (PostgreSQL; SQLite takes its
write lock at BEGIN), fails, and takes its work back with its rollback; it then replays
the stored response. If a call fails, it stores nothing and the key can be used again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from routing.models import IdempotencyRecord, Integration

# Keys are honoured at least this long; the purge deletes older records.
KEEP_FOR = timedelta(hours=24)
MAX_KEY_LENGTH = 200


class IdempotencyKeyReused(Exception):
    """The key was used before with a different request body."""


class IdempotencyKeyInvalid(ValueError):
    pass


@dataclass(frozen=True)
class StoredResponse:
    status: int
    body: Any
    replayed: bool


def check_key(key: str) -> str:
    if not key or len(key) > MAX_KEY_LENGTH:
        raise IdempotencyKeyInvalid(f"Use 1 to {MAX_KEY_LENGTH} characters, e.g. a UUID.")
    if not key.isascii() or not key.isprintable():
        raise IdempotencyKeyInvalid("Use printable ASCII characters, e.g. a UUID.")
    return key


def fingerprint(method: str, path: str, data: Any) -> str:
    """sha256 of the parsed body (keys sorted) with the method and path, so the same
    JSON sent with other spacing or key order counts as the same request."""
    canonical = json.dumps(
        [method.upper(), path, data], sort_keys=True, separators=(",", ":"), default=str
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def idempotent_call(
    *,
    integration: Integration,
    key: str,
    fingerprint: str,
    call: Callable[[], tuple[int, Any]],
) -> StoredResponse:
    """Run ``call`` once per (integration, key) and store its (status, JSON body).

    Raises IdempotencyKeyReused when the key was used with another fingerprint; any
    exception from ``call`` rolls back the record with the work.
    """
    # A retry after the first call committed (the usual case) replays without redoing.
    replay = _replay(integration, key, fingerprint)
    if replay is not None:
        return replay
    try:
        with transaction.atomic():
            status, body = call()
            IdempotencyRecord.objects.create(
                integration=integration,
                key=key,
                fingerprint=fingerprint,
                created_at=timezone.now(),
                response_status=status,
                response_body=body,
            )
    except IntegrityError:
        replay = _replay(integration, key, fingerprint)
        if replay is None:  # another constraint of the work itself
            raise
        return replay
    return StoredResponse(status, body, False)


def _replay(integration: Integration, key: str, fingerprint: str) -> StoredResponse | None:
    existing = IdempotencyRecord.objects.filter(integration=integration, key=key).first()
    if existing is None:
        return None
    if existing.fingerprint != fingerprint:
        raise IdempotencyKeyReused
    # Visible only once committed, so it always holds its response.
    assert existing.response_status is not None
    return StoredResponse(existing.response_status, existing.response_body, True)


def idempotency_purge(*, now: datetime | None = None, keep_for: timedelta = KEEP_FOR) -> int:
    """Delete records older than ``keep_for``; returns how many."""
    cutoff = (now or timezone.now()) - keep_for
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
