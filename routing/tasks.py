"""Celery tasks: thin wrappers that take ids and call services."""

from __future__ import annotations

import socket

from celery import shared_task

from routing.services.operations import heartbeat_record, worker_check_complete


@shared_task
def record_heartbeat() -> None:
    heartbeat_record(source="scheduler", worker=socket.gethostname())


@shared_task
def complete_worker_check(check_id: int) -> bool:
    return worker_check_complete(check_id=check_id, worker=socket.gethostname())
