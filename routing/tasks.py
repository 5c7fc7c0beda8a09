"""Celery tasks: thin wrappers that take ids and call services."""

from __future__ import annotations

import socket

from celery import Task, shared_task

from routing.services.operations import heartbeat_record, worker_check_complete
from routing.services.outbox import message_send, outbox_relay


@shared_task
def record_heartbeat() -> None:
    heartbeat_record(source="scheduler", worker=socket.gethostname())


@shared_task
def complete_worker_check(check_id: int) -> bool:
    return worker_check_complete(check_id=check_id, worker=socket.gethostname())


@shared_task(bind=True, max_retries=None, acks_late=True)
def send_message(self: Task, message_id: int) -> str:
    outcome = message_send(message_id=message_id)
    if outcome.retry_in is not None:
        raise self.retry(countdown=outcome.retry_in)
    return outcome.status


@shared_task
def relay_outbox() -> int:
    return outbox_relay()
