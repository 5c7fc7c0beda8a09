from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from dsar.celery import app as celery_app
from routing.models import Heartbeat
from routing.services.operations import heartbeat_record

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_broker(client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is True


def test_healthz_is_503_when_broker_is_unreachable(client, monkeypatch) -> None:
    # Nothing listens on port 1: the connection is refused at once.
    monkeypatch.setattr(celery_app.conf, "broker_url", "redis://127.0.0.1:1/0")

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["broker"]["ok"] is False
    assert "127.0.0.1" not in response.content.decode(), "internal addresses must not leak"


def test_healthz_is_503_when_database_is_unreachable(client, monkeypatch) -> None:
    from django.db import connection

    def refuse(*args, **kwargs):
        raise ConnectionError("database is down")

    monkeypatch.setattr(connection, "cursor", refuse)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["database"] == {"ok": False, "detail": "ConnectionError"}


def test_healthz_flags_a_stale_scheduler(client, time_machine) -> None:
    time_machine.move_to("2026-03-01T12:00:00Z", tick=False)
    heartbeat_record(source="scheduler", worker="w1")
    time_machine.move_to(timezone.now() + timedelta(minutes=10), tick=False)

    scheduler = client.get("/healthz").json()["scheduler"]

    assert scheduler["stale"] is True
    assert scheduler["age_seconds"] == 600


def test_heartbeat_record_updates_one_row(time_machine) -> None:
    time_machine.move_to("2026-03-01T12:00:00Z", tick=False)
    heartbeat_record(source="scheduler", worker="w1")
    time_machine.move_to("2026-03-01T12:01:00Z", tick=False)
    heartbeat_record(source="scheduler", worker="w2")

    assert Heartbeat.objects.count() == 1
    assert Heartbeat.objects.get().worker == "w2"


def test_worker_check_needs_staff(client) -> None:
    response = client.post("/ops/worker-checks/")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_worker_check_enqueues_on_commit(admin_client, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = admin_client.post("/ops/worker-checks/")

    assert response.status_code == 202
    assert len(callbacks) == 1


def test_completing_a_worker_check_twice_changes_nothing() -> None:
    from routing.models import WorkerCheck
    from routing.services.operations import worker_check_complete

    check = WorkerCheck.objects.create(requested_at=timezone.now())

    assert worker_check_complete(check_id=check.pk, worker="a") is True
    assert worker_check_complete(check_id=check.pk, worker="b") is False
    check.refresh_from_db()
    assert check.worker == "a"
