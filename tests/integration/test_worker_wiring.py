"""The real wiring: web request → Redis → a real Celery worker → PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from dsar.celery import app as celery_app
from routing.models import WorkerCheck

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    db = settings.DATABASES["default"]
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    return f"postgres://{auth}{db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}/{db['NAME']}"


@pytest.fixture
def worker_queue() -> Iterator[str]:
    """A queue of this test's own, so no other worker on the same Redis takes its tasks."""
    queue = f"test-{uuid.uuid4().hex[:12]}"
    previous = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = queue
    yield queue
    celery_app.conf.task_default_queue = previous


@pytest.fixture
def celery_worker_process(worker_queue: str, tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    # The worker must see the test database, which pytest-django created under its own name.
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL or "",
        "DSAR_VAR_DIR": str(tmp_path),
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
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


def test_web_request_runs_on_real_worker_and_lands_in_postgres(
    admin_client, celery_worker_process, worker_queue
) -> None:
    assert connection.vendor == "postgresql"

    response = admin_client.post("/ops/worker-checks/")

    assert response.status_code == 202
    check_id = response.json()["id"]
    deadline = time.monotonic() + 60
    check = WorkerCheck.objects.get(pk=check_id)
    while check.completed_at is None and time.monotonic() < deadline:
        assert celery_worker_process.poll() is None, "the worker exited early"
        time.sleep(0.2)
        check.refresh_from_db()
    assert check.completed_at is not None, "the worker did not complete the check in 60 s"
    assert check.worker
    detail = admin_client.get(f"/ops/worker-checks/{check_id}/").json()
    assert detail["completed_at"] is not None
