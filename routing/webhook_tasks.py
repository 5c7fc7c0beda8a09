"""Celery tasks of the API: webhook delivery, its relay, deadline events, and the
idempotency-key purge.

Imported by routing.tasks, so the worker registers them where it finds the others.
"""

from __future__ import annotations

from celery import Task, shared_task
from django.db import DatabaseError

from routing.domain.jobs import OnCommitTask
from routing.services.idempotency import idempotency_purge
from routing.services.webhook_delivery import (
    delivery_attempt,
    webhooks_deadline_sweep,
    webhooks_relay,
)

# A retry due sooner than this is scheduled on the task itself; later ones are left to
# the relay, so no task sits in the broker for an hour (past Redis' visibility timeout).
RETRY_ON_TASK_WITHIN = 300


@shared_task(base=OnCommitTask, bind=True, max_retries=None, acks_late=True)
def deliver_webhook(self: Task, delivery_id: int) -> str:
    outcome = delivery_attempt(delivery_id=delivery_id)
    if outcome.retry_in is not None and outcome.retry_in <= RETRY_ON_TASK_WITHIN:
        raise self.retry(countdown=outcome.retry_in)
    return outcome.status


@shared_task(base=OnCommitTask)
def relay_webhooks() -> int:
    return webhooks_relay()


@shared_task(base=OnCommitTask)
def sweep_deadline_webhooks() -> int:
    return webhooks_deadline_sweep()


@shared_task(base=OnCommitTask, autoretry_for=(DatabaseError,), retry_backoff=60, max_retries=3)
def purge_idempotency_keys() -> int:
    return idempotency_purge()
