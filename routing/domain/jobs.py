"""The one seam between a change and the worker.

Services hand work to Celery by task name, after their transaction commits, through the
base class every task of the project uses. No service imports a task module, so tasks
(an interface) may import services freely. A broker that is down loses nothing: the row
the task would act on is committed, and a relay on beat offers it again.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

from celery import current_app
from celery.contrib.django.task import DjangoTask
from django.db import transaction

logger = logging.getLogger(__name__)

# Task names, as the worker registers them (routing.tasks, routing.webhook_tasks).
SEND_MESSAGE = "routing.tasks.send_message"
COMPLETE_WORKER_CHECK = "routing.tasks.complete_worker_check"
DELIVER_WEBHOOK = "routing.webhook_tasks.deliver_webhook"


class OnCommitTask(DjangoTask):
    """A task offered to the broker once, logging instead of raising when it is down."""

    def offer(self, *args: Any) -> bool:
        try:
            self.delay(*args)
        except Exception:
            logger.warning("%s: broker unavailable, %s left for the relay", self.name, args)
            return False
        return True

    def delay_on_commit(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        transaction.on_commit(functools.partial(self.offer, *args))


def _task(name: str) -> OnCommitTask:
    task = current_app.tasks[name]
    if not isinstance(task, OnCommitTask):
        raise TypeError(f"{name} must be declared with base=OnCommitTask")
    return task


def enqueue(name: str, *args: Any) -> bool:
    """Offer a task now (the relays, outside any transaction that matters)."""
    return _task(name).offer(*args)


def enqueue_on_commit(name: str, *args: Any) -> None:
    """Offer a task once the caller's transaction commits (at once outside one)."""
    _task(name).delay_on_commit(*args)
