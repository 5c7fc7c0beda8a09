"""Helpers shared by the fault-injection tests: extra workers, polling with a deadline."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from django.conf import settings
from kombu import Queue

from dsar.celery import app as celery_app
from tests.support.processes import ROOT, SERVICE_SETTINGS, database_url


def start_worker(
    *, queue: str, directory: Path, name: str, env: Mapping[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """A Celery worker built like the ``celery_worker_process`` fixture's, on ``queue``.

    ``name`` tells its log (``<directory>/<name>.log``) and hostname apart from another
    worker's on the same queue. The caller stops it with
    :func:`tests.support.processes.stop_process`.
    """
    environment = {
        **os.environ,
        **SERVICE_SETTINGS,
        "DATABASE_URL": database_url(),
        "REDIS_URL": settings.REDIS_URL or "",
        "DSAR_VAR_DIR": str(directory),
        **(env or {}),
    }
    with (directory / f"{name}.log").open("wb") as log:
        # The child keeps its own copy of the descriptor; ours can close at once.
        return subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "dsar", "worker",
                "--pool", "solo", "--queues", queue, "--loglevel", "INFO",
                "--without-gossip", "--without-mingle", "--hostname", f"{queue}-{name}@%h",
            ],
            cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip


def wait_for(
    condition: Callable[[], bool],
    *,
    timeout: float,
    what: str,
    workers: tuple[subprocess.Popen[bytes], ...] = (),
    every: Callable[[], object] | None = None,
    every_seconds: float = 1.0,
    interval: float = 0.2,
) -> None:
    """Poll ``condition`` until it holds; fail naming ``what`` after ``timeout`` seconds.

    ``workers`` must stay alive meanwhile (a crash fails at once instead of timing out);
    ``every`` runs at most once per ``every_seconds`` (e.g. the relay, standing in for beat).
    """
    deadline = time.monotonic() + timeout
    next_run = time.monotonic()
    while True:
        for worker in workers:
            assert worker.poll() is None, f"a worker exited early (status {worker.returncode})"
        if every is not None and time.monotonic() >= next_run:
            every()
            next_run = time.monotonic() + every_seconds
        if condition():
            return
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting until {what}")
        time.sleep(interval)


def purge_queue(queue: str) -> None:
    """Drop the tasks left on a test's queue that no worker consumed."""
    with celery_app.connection_for_write() as connection:
        Queue(queue).bind(connection.default_channel).purge()
