"""Redis stops while 200 requests arrive through the API: every one is answered 201 and
stored, and once Redis is back every acknowledgement is sent exactly once."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.core.cache import caches
from rest_framework.test import APIClient

from dsar.celery import app as celery_app
from routing.models import MessageStatus, Organisation, OutboundMessage, Request
from routing.services.integrations import integration_create
from routing.services.sending import RELAY_GRACE, outbox_relay
from tests.support.processes import Inbox, free_port, smtp_env

pytestmark = [
    pytest.mark.integration,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]

REQUESTS = 200


class RedisServer:
    """A redis-server of this test's own, so stopping it disturbs nothing else."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        binary = shutil.which("redis-server")
        assert binary, "redis-server is needed for this test"
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            ping = subprocess.run(
                ["redis-cli", "-p", str(self.port), "ping"], capture_output=True, check=False
            )
            if b"PONG" in ping.stdout:
                return
            time.sleep(0.1)
        raise AssertionError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


def _use_broker(url: str) -> None:
    """Point the app at ``url``, dropping connections pooled for the previous broker."""
    celery_app.conf["broker_url"] = url
    # kombu keeps one pool per broker URL; forgetting ours makes the app look it up again.
    celery_app._pool = None  # type: ignore[attr-defined]
    celery_app.amqp._producer_pool = None  # type: ignore[attr-defined]


@pytest.fixture
def redis_server(settings: Any) -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    previous = celery_app.conf.broker_url
    _use_broker(server.url)
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": server.url,
        }
    }
    caches["default"].close()
    yield server
    server.stop()
    _use_broker(previous)


@pytest.fixture
def worker_env(redis_server: RedisServer, smtp_server: tuple[Controller, Inbox]) -> dict[str, str]:
    return {**smtp_env(smtp_server[0]), "REDIS_URL": redis_server.url}


def _body(n: int) -> dict[str, Any]:
    return {
        "organisation": "clickacall",
        "kinds": ["access"],
        "scopes": ["clickacall:website"],
        "subject": {"name": f"Person {n}", "email": f"person{n}@example.org", "country": "GB"},
    }


def test_requests_survive_a_redis_outage_and_each_acknowledgement_is_sent_once(
    registry: Any,
    redis_server: RedisServer,
    smtp_server: tuple[Controller, Inbox],
    request: pytest.FixtureRequest,
) -> None:
    _, inbox = smtp_server
    created = integration_create(
        name="Help desk", organisations=[Organisation.objects.get(slug="clickacall")]
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {created.token}")
    redis_server.stop()

    statuses = Counter(
        client.post("/api/v1/requests/", _body(n), format="json").status_code
        for n in range(REQUESTS)
    )

    assert statuses == {201: REQUESTS}
    assert Request.objects.count() == REQUESTS
    assert (
        OutboundMessage.objects.filter(
            template="acknowledgement", status=MessageStatus.QUEUED
        ).count()
        == REQUESTS
    )
    assert inbox.messages == []

    # Redis is back, a worker runs, and beat's relay offers what the broker never got.
    redis_server.start()
    worker = request.getfixturevalue("celery_worker_process")
    offered = outbox_relay(
        now=OutboundMessage.objects.latest("created_at").created_at + RELAY_GRACE
    )
    assert offered == REQUESTS
    deadline = time.monotonic() + 120
    while len(inbox.messages) < REQUESTS and time.monotonic() < deadline:
        assert worker.poll() is None, "the worker exited early"
        time.sleep(0.5)
    # A second relay finds nothing left to send.
    time.sleep(1)
    assert (
        outbox_relay(now=OutboundMessage.objects.latest("created_at").created_at + RELAY_GRACE) == 0
    )

    recipients = Counter(message["To"] for message in inbox.messages)
    assert len(recipients) == REQUESTS
    assert set(recipients.values()) == {1}, "an acknowledgement was sent twice"
    assert OutboundMessage.objects.filter(status=MessageStatus.SENT).count() == REQUESTS
