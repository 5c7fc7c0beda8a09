"""A real Celery worker, started per test on a queue of its own, against the test database."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings

from dsar.celery import app as celery_app
from tests.support.processes import (
    ROOT,
    SERVICE_SETTINGS,
    Inbox,
    database_url,
    free_port,
    stop_process,
)


@pytest.fixture
def worker_env() -> dict[str, str]:
    """Extra environment for the worker; a test overrides it (e.g. to point at an SMTP server)."""
    return {}


@pytest.fixture
def worker_queue() -> Iterator[str]:
    """A queue of this test's own, so no other worker on the same Redis takes its tasks."""
    queue = f"test-{uuid.uuid4().hex[:12]}"
    previous = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = queue
    yield queue
    celery_app.conf.task_default_queue = previous


@pytest.fixture
def celery_worker_process(
    worker_queue: str, tmp_path: Path, worker_env: dict[str, str]
) -> Iterator[subprocess.Popen[bytes]]:
    # The worker must see the test database, which pytest-django created under its own name.
    env = {
        **os.environ,
        **SERVICE_SETTINGS,
        "DATABASE_URL": database_url(),
        "REDIS_URL": settings.REDIS_URL or "",
        "DSAR_VAR_DIR": str(tmp_path),
        **worker_env,
    }
    log = (tmp_path / "worker.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "dsar", "worker",
            "--pool", "solo", "--queues", worker_queue, "--loglevel", "INFO",
            "--without-gossip", "--without-mingle", "--hostname", f"{worker_queue}@%h",
        ],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    yield process
    stop_process(process)
    log.close()


@pytest.fixture
def smtp_server() -> Iterator[tuple[Controller, Inbox]]:
    """A real SMTP server on a loopback port, keeping every message it accepts."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()
