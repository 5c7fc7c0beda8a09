"""The real wiring: web request → Redis → a real Celery worker → PostgreSQL."""

from __future__ import annotations

import time

import pytest
from django.db import connection

from routing.models import WorkerCheck

pytestmark = [
    pytest.mark.integration,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]


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
