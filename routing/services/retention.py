"""Keeping subjects' personal data only as long as needed.

Closed requests are purged after ``settings.DSAR_RETENTION_DAYS``: the subject's data is
blanked, stored emails lose their text, and the audit trail keeps its shape (event
types, actors, times, data keys) with the values that could identify someone replaced.
Requests never confirmed by their subject are expired after
``settings.DSAR_UNVERIFIED_EXPIRY_DAYS``, which erases at once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Case, F, QuerySet, Value, When
from django.utils import timezone

from routing.models import (
    CLOSED_STATUSES,
    Event,
    EventType,
    MessageStatus,
    OutboundMessage,
    Request,
)
from routing.services.actors import Actor
from routing.services.consequences import CONSEQUENCES

logger = logging.getLogger(__name__)

PURGED = "[purged]"


def events_record_silent(
    request_ids: Sequence[int], by: Actor, type: EventType, *, at: datetime, **data: Any
) -> None:
    """One event each for many requests, in one insert, for a type that causes nothing
    (the retention purge)."""
    row = CONSEQUENCES[type]
    assert row.audited, f"{type} is not written to the trail"
    if row.emails or row.webhooks:
        raise ValueError(f"{type} causes something: use events_record")
    Event.objects.bulk_create(
        Event(
            request_id=pk,
            created_at=at,
            actor_type=by.type,
            actor_user=by.user,
            actor_label=by.label,
            type=type,
            data=data,
        )
        for pk in request_ids
    )


def erased_values() -> dict[str, Any]:
    """Blank values for the request fields that hold what the subject told us, and staff's
    free text about them (a new dict each call, since one value is itself a dict)."""
    return {
        "subject_name": "",
        "subject_email": "",
        "subject_phone": "",
        "identifiers": {},
        "details": "",
        "outcome_note": "",
        "extension_reason": "",
        "pause_reason": "",
    }


# Event data keys whose values are free text, or identifiers given by the subject.
_PERSONAL_KEYS = frozenset(
    {
        "address",
        "body",
        "comment",
        "details",
        "identifiers",
        "message",
        "note",
        "reason",
        "task",
        "text",
        "website",
        "whatsapp",
    }
)
# Shorter values would match too much text by chance.
_MIN_MATCHED_LENGTH = 3
# Any key containing one of these (subject_email, phone_number, target_name, ...).
_PERSONAL_KEY_PARTS = ("email", "phone", "name")

# Rows per UPDATE when rewriting events, so one statement stays a reasonable size.
_EVENT_CHUNK = 500


def _is_personal_key(key: str) -> bool:
    lowered = key.lower()
    return lowered in _PERSONAL_KEYS or any(part in lowered for part in _PERSONAL_KEY_PARTS)


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def scrub_event_data(data: Any, known: Sequence[str] = ()) -> Any:
    """``data`` with every personal value replaced by ``[purged]``; keys and nesting kept.

    A value is personal when its key says so (free text, contact details), or when it is
    text containing one of ``known``, the subject's own name, address or number, under
    whatever key a later feature stores it. Empty values stay empty: that a note was
    blank says nothing about anyone.
    """
    if isinstance(data, dict):
        return {
            key: (
                PURGED
                if _is_personal_key(str(key)) and not _is_empty(value)
                else scrub_event_data(value, known)
            )
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [scrub_event_data(item, known) for item in data]
    if isinstance(data, str) and any(value in data.casefold() for value in known):
        return PURGED
    return data


def _known_values(request_ids: list[int]) -> dict[int, tuple[str, ...]]:
    """What identifies each request's subject, as stored (so before it is blanked)."""
    rows = Request.objects.filter(pk__in=request_ids).values_list(
        "pk", "subject_name", "subject_email", "subject_phone"
    )
    return {
        pk: tuple(
            value.strip().casefold()
            for value in values
            if len(value.strip()) >= _MIN_MATCHED_LENGTH
        )
        for pk, *values in rows
    }


def _rewrite_event_data(changed: Mapping[int, Any]) -> None:
    """Store scrubbed data over the events' data, one UPDATE per chunk.

    Events are append-only: ``Event.save`` and ``EventQuerySet.update`` refuse every
    change. design.md names the retention purge as the one exception, so this function,
    and nothing else, calls the base ``QuerySet.update`` past the guard.
    """
    ids = list(changed)
    for start in range(0, len(ids), _EVENT_CHUNK):
        chunk = ids[start : start + _EVENT_CHUNK]
        new_data = Case(
            *[
                When(pk=pk, then=Value(changed[pk], output_field=models.JSONField()))
                for pk in chunk
            ],
            output_field=models.JSONField(),
        )
        models.QuerySet.update(Event.objects.filter(pk__in=chunk), data=new_data)


def scrub_events(request_ids: Iterable[int]) -> int:
    """Replace personal values in the events of these requests; returns events changed.

    Run it before the requests' own fields are blanked: they say what to look for.
    """
    ids = list(request_ids)
    known = _known_values(ids)
    changed: dict[int, Any] = {}
    rows = Event.objects.filter(request_id__in=ids).values_list("pk", "request_id", "data")
    for pk, request_id, data in rows.iterator(chunk_size=2000):
        scrubbed = scrub_event_data(data, known.get(request_id, ()))
        if scrubbed != data:
            changed[pk] = scrubbed
    _rewrite_event_data(changed)
    return len(changed)


def scrub_messages(request_ids: Iterable[int]) -> int:
    """Empty the stored emails of these requests; returns messages changed.

    What stays is the evidence a notice went out: template, de-duplication key, status and
    times. A customer's or third party's address stays; the subject's goes. Run it before
    the requests' own address is blanked, since that is how the subject's is recognised.
    """
    ids = list(request_ids)
    messages = OutboundMessage.objects.filter(request_id__in=ids)
    messages.filter(recipient=F("request__subject_email")).update(recipient="")
    # A message still waiting would otherwise go out with its body purged.
    messages.filter(status__in=[MessageStatus.QUEUED, MessageStatus.SENDING]).update(
        status=MessageStatus.FAILED, sending_since=None, next_attempt_at=None
    )
    return messages.update(subject=PURGED, body_text=PURGED, body_html="", last_error="")


def erase_personal_data(request: Request, *, now: datetime | None = None) -> None:
    """Blank the subject's data on ``request`` (saved by the caller), and scrub its events
    and emails. Called inside the caller's transaction, with the row locked."""
    scrub_messages([request.pk])
    scrub_events([request.pk])
    for field, blank in erased_values().items():
        setattr(request, field, blank)
    request.purged_at = now or timezone.now()


def purge_cutoff(now: datetime | None = None) -> datetime:
    """Requests closed before this instant are due for purging."""
    return (now or timezone.now()) - timedelta(days=settings.DSAR_RETENTION_DAYS)


def requests_due_for_purge(*, now: datetime | None = None) -> QuerySet[Request]:
    return Request.objects.filter(
        status__in=CLOSED_STATUSES,
        closed_at__lt=purge_cutoff(now),
        purged_at__isnull=True,
    )


def _purge_batch(now: datetime, batch_size: int) -> int:
    with transaction.atomic():
        # SKIP LOCKED lets two purges (a beat run and an operator's command) share the
        # work, and leaves alone a request someone is writing a note on. SQLite has no row
        # locks; its IMMEDIATE transactions already run one writer at a time.
        ids = list(
            requests_due_for_purge(now=now)
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("closed_at", "pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return 0
        scrub_messages(ids)
        scrub_events(ids)
        Request.objects.filter(pk__in=ids).update(
            **erased_values(),
            purged_at=now,
            updated_at=now,
        )
        events_record_silent(
            ids,
            Actor.system("retention"),
            EventType.PURGED,
            at=now,
            retention_days=settings.DSAR_RETENTION_DAYS,
        )
    return len(ids)


def purge_closed_requests(*, now: datetime | None = None, batch_size: int = 500) -> int:
    """Purge the personal data of requests closed longer ago than the retention period.

    Works in batches, each its own transaction, so a long purge holds no lock for long
    and what was done stays done if it stops. Running it again changes nothing.
    Returns the number of requests purged.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    now = now or timezone.now()
    total = 0
    while True:
        purged = _purge_batch(now, batch_size)
        total += purged
        if purged < batch_size:
            break
    if total:
        logger.info("retention: purged %d closed request(s)", total)
    return total
