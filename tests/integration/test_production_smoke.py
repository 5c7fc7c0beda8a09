"""The service as the systemd units start it: gunicorn, a Celery worker and Celery beat, each
from its unit's ExecStart, with deploy/env.example's production settings, on PostgreSQL and
Redis. The README's API example is answered 201 over HTTP, its acknowledgement reaches an
SMTP server, and beat's heartbeat goes through the worker into the database."""

from __future__ import annotations

import json
import re
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import redis
from aiosmtpd.controller import Controller
from django.conf import settings
from django.utils import timezone

from routing.models import Heartbeat, MessageStatus, OutboundMessage, Request
from tests.support.processes import Inbox, database_url, free_port
from tests.support.recipes import (
    ROOT,
    VENV_BIN,
    Response,
    Service,
    answers,
    http,
    local_command,
    local_environment,
    start,
    unit_command,
    wait_for,
)

pytestmark = [
    pytest.mark.integration,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]

# A Redis database of this test's own: the units' worker listens on the default queue, which
# other tests' workers on the configured database do not, and nothing else shares this one.
SMOKE_REDIS_DB = 15
# Held in database 0 (never flushed here) while the test runs, so two runs of this test
# against one Redis (parallel suites) never consume each other's tasks on SMOKE_REDIS_DB.
SMOKE_LOCK = "dsar-tests:production-smoke"
# Beat first sends its one-minute tasks a minute after it starts.
HEARTBEAT_WITHIN = 120


def _readme_create_example() -> dict[str, Any]:
    """The body of the README's `POST /api/v1/requests/` example, so the example stays true."""
    readme = (ROOT / "README.md").read_text()
    block = next(
        block
        for block in re.findall(r"```http\n(.*?)```", readme, flags=re.DOTALL)
        if block.startswith("POST /api/v1/requests/")
    )
    _headers, _blank, body = block.partition("\n\n")
    example: dict[str, Any] = json.loads(body)
    return example


@pytest.fixture
def smoke_redis_url() -> Iterator[str]:
    parts = urlsplit(settings.REDIS_URL or "")
    url = parts._replace(path=f"/{SMOKE_REDIS_DB}").geturl()
    lock = redis.Redis.from_url(parts._replace(path="/0").geturl()).lock(
        SMOKE_LOCK, timeout=600, blocking_timeout=600
    )
    assert lock.acquire(), "another run of this test held the Redis lock for 10 minutes"
    try:
        # Tasks a stopped earlier run left queued (a heartbeat, say) must not pass for ours.
        redis.Redis.from_url(url).flushdb()
        yield url
    finally:
        lock.release()


@dataclass
class Deployment:
    env: dict[str, str]
    base_url: str
    host: str
    services: list[Service]
    started_at: datetime

    def call(self, path: str, **kwargs: Any) -> Response:
        return http(self.base_url + path, host=self.host, **kwargs)

    def manage(self, *args: str) -> str:
        """A management command as an operator runs it: same environment as the units."""
        result = subprocess.run(
            [str(VENV_BIN / "python"), "manage.py", *args],
            cwd=ROOT, env=self.env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stderr}"
        return result.stdout


@pytest.fixture
def deployment(
    transactional_db: None,
    tmp_path: Path,
    smtp_server: tuple[Controller, Inbox],
    smoke_redis_url: str,
) -> Iterator[Deployment]:
    controller, _ = smtp_server
    port = free_port()
    env = local_environment(
        {
            # pytest-django's test database, which the processes must share with the test.
            "DATABASE_URL": database_url(),
            "REDIS_URL": smoke_redis_url,
            "DSAR_VAR_DIR": str(tmp_path),
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": "2",
            "EMAIL_DELIVERY": "smtp",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(controller.port),
            # A provider would take precedence over SMTP.
            "ANYMAIL_ESP": None,
        }
    )
    deployment = Deployment(
        env=env,
        base_url=f"http://127.0.0.1:{port}",
        host=env["DJANGO_ALLOWED_HOSTS"].split(",")[0],
        services=[],
        started_at=timezone.now(),
    )
    try:
        for name in ("web", "worker", "beat"):
            # local_command also moves beat's --schedule from /var/lib/dsar (the unit's
            # ReadWritePaths) into tmp_path.
            argv = local_command(unit_command(name), tmp_path)
            deployment.services.append(start(name, argv, env, tmp_path))
        wait_for(
            lambda: answers(deployment.base_url + "/healthz", deployment.host),
            timeout=60, services=deployment.services, what="gunicorn answering",
        )  # fmt: skip
        yield deployment
    finally:
        for service in deployment.services:
            service.stop()
        for service in deployment.services:
            print(f"--- {service.name}\n{service.log()}")  # shown only when the test fails


def test_an_api_request_is_acknowledged_by_email_and_beat_keeps_the_heartbeat(
    deployment: Deployment, smtp_server: tuple[Controller, Inbox]
) -> None:
    _, inbox = smtp_server
    output = deployment.manage("load_registry")
    assert "Registry loaded" in output
    example = _readme_create_example()
    token = deployment.manage(
        "create_integration", "--name", "Help desk", "--organisation", example["organisation"]
    ).splitlines()[-1]

    created = deployment.call(
        "/api/v1/requests/",
        method="POST",
        body=json.dumps(example).encode(),
        headers={
            "Authorization": f"Bearer {token}",
            "Idempotency-Key": str(uuid.uuid4()),
            "Content-Type": "application/json",
        },
    )

    assert created.status == 201, created.body
    reference = json.loads(created.body)["reference"]
    subject_email = example["subject"]["email"]
    wait_for(
        lambda: any(message["To"] == subject_email for message in inbox.messages),
        timeout=60, services=deployment.services, what="the acknowledgement over SMTP",
    )  # fmt: skip
    [acknowledgement] = [message for message in inbox.messages if message["To"] == subject_email]
    assert reference in acknowledgement["Subject"]
    message = OutboundMessage.objects.get(
        request=Request.objects.get(reference=reference), template="acknowledgement"
    )
    # The worker marks the row after the SMTP server has accepted the message.
    wait_for(
        lambda: OutboundMessage.objects.get(pk=message.pk).status == MessageStatus.SENT,
        timeout=30, services=deployment.services, what="the outbox row marked sent",
    )  # fmt: skip

    # Beat enqueues the heartbeat; the worker writes it into the database.
    wait_for(
        lambda: Heartbeat.objects.filter(
            source="scheduler", seen_at__gte=deployment.started_at
        ).exists(),
        timeout=HEARTBEAT_WITHIN, services=deployment.services, what="beat's heartbeat",
    )  # fmt: skip
    health = deployment.call("/healthz")
    assert health.status == 200
    payload = json.loads(health.body)
    assert payload["database"] == {"ok": True, "detail": "postgresql"}
    assert payload["broker"] == {"ok": True, "detail": "redis"}
    assert payload["scheduler"]["stale"] is False
