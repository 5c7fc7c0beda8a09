"""Writes about the service's own health."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.utils import timezone

from routing.domain.jobs import COMPLETE_WORKER_CHECK, enqueue_on_commit
from routing.models import Heartbeat, WorkerCheck


def heartbeat_record(*, source: str, worker: str) -> Heartbeat:
    heartbeat, _ = Heartbeat.objects.update_or_create(
        source=source, defaults={"seen_at": timezone.now(), "worker": worker}
    )
    return heartbeat


def worker_check_request(*, user: User | AnonymousUser | None) -> WorkerCheck:
    """Store a check and hand it to the worker once the row is committed."""
    check = WorkerCheck.objects.create(
        requested_at=timezone.now(),
        requested_by=user if isinstance(user, User) else None,
    )
    enqueue_on_commit(COMPLETE_WORKER_CHECK, check.pk)
    return check


def worker_check_complete(*, check_id: int, worker: str) -> bool:
    """Mark a check done; a second delivery of the same task changes nothing."""
    updated = WorkerCheck.objects.filter(pk=check_id, completed_at__isnull=True).update(
        completed_at=timezone.now(), worker=worker
    )
    return updated == 1
