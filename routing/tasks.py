"""Celery tasks: thin wrappers that take ids and call services. (The API's are in
routing.webhook_tasks; the app registers both in every process.)"""

from __future__ import annotations

import socket

from celery import Task, shared_task
from django.db import DatabaseError

from routing.domain.jobs import OnCommitTask
from routing.services import downloads, expiry, retention
from routing.services.forwarding import follow_ups_sweep
from routing.services.operations import heartbeat_record, worker_check_complete
from routing.services.recipients import recipient_follow_ups_sweep
from routing.services.reminders import digests_send, reminders_sweep
from routing.services.sending import message_send, outbox_relay


@shared_task(base=OnCommitTask)
def record_heartbeat() -> None:
    heartbeat_record(source="scheduler", worker=socket.gethostname())


@shared_task(base=OnCommitTask)
def complete_worker_check(check_id: int) -> bool:
    return worker_check_complete(check_id=check_id, worker=socket.gethostname())


@shared_task(base=OnCommitTask, bind=True, max_retries=None, acks_late=True)
def send_message(self: Task, message_id: int) -> str:
    outcome = message_send(message_id=message_id)
    if outcome.retry_in is not None:
        raise self.retry(countdown=outcome.retry_in)
    return outcome.status


@shared_task(base=OnCommitTask)
def relay_outbox() -> int:
    return outbox_relay()


# Both services are idempotent and work in committed steps, so a retry after a lost
# database connection redoes only what was left.
@shared_task(base=OnCommitTask, autoretry_for=(DatabaseError,), retry_backoff=60, max_retries=3)
def purge_closed_requests() -> int:
    return retention.purge_closed_requests()


@shared_task(base=OnCommitTask, autoretry_for=(DatabaseError,), retry_backoff=60, max_retries=3)
def expire_unverified_requests() -> int:
    return expiry.expire_unverified_requests()


@shared_task(base=OnCommitTask)
def sweep_reminders() -> int:
    return reminders_sweep()


@shared_task(base=OnCommitTask)
def sweep_follow_ups() -> int:
    return follow_ups_sweep()


@shared_task(base=OnCommitTask)
def sweep_recipient_follow_ups() -> int:
    return recipient_follow_ups_sweep()


@shared_task(base=OnCommitTask)
def send_digests() -> int:
    return digests_send()


@shared_task(base=OnCommitTask, autoretry_for=(DatabaseError,), retry_backoff=60, max_retries=3)
def close_download_windows() -> int:
    return downloads.downloads_expire_sweep()
