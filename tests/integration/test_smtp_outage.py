"""The SMTP server is down while requests arrive: every email fails and is retried with
backoff, staying queued; once the server is back each one is delivered exactly once, and
no late retry or relay sends a second copy."""

from __future__ import annotations

import asyncio
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.db.models import Q
from rest_framework.test import APIClient

from routing.models import MessageStatus, Organisation, OutboundMessage, Request
from routing.services.integrations import integration_create
from routing.services.sending import outbox_relay
from tests.integration.faults import start_worker, wait_for
from tests.support.processes import Inbox, free_port, stop_process

pytestmark = [
    pytest.mark.integration,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]

REQUESTS = 10


class SlowInbox(Inbox):
    """Takes a moment to accept each message, as a real server does, so a message is
    "sending" long enough for a second offer of it to arrive meanwhile."""

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(0.3)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def smtp_port() -> int:
    """A loopback port where nothing listens until the test starts a server on it."""
    return free_port()


@pytest.fixture
def worker_env(smtp_port: int) -> dict[str, str]:
    return {
        "EMAIL_DELIVERY": "smtp",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        # Retries after 1, 2, 4, 8 ... seconds keep the outage short; enough attempts that
        # no message is given up on during it.
        "DSAR_EMAIL_RETRY_BASE_SECONDS": "1",
        "DSAR_EMAIL_MAX_ATTEMPTS": "20",
    }


@pytest.fixture
def second_worker(
    celery_worker_process: subprocess.Popen[bytes],
    worker_queue: str,
    worker_env: dict[str, str],
    tmp_path: Path,
) -> Iterator[subprocess.Popen[bytes]]:
    """A second worker on the same queue, as a deployment runs several: a countdown's
    retry and the relay's offer of one message can then meet on two workers at once."""
    process = start_worker(queue=worker_queue, directory=tmp_path, name="second", env=worker_env)
    yield process
    stop_process(process)


@pytest.fixture
def late_smtp_server(smtp_port: int) -> Iterator[tuple[Controller, Inbox]]:
    """An SMTP server for ``smtp_port``, not started: the test starts it when the outage ends."""
    inbox = SlowInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    yield controller, inbox
    controller.stop(no_assert=True)  # the test may fail before it starts the server


def _body(n: int) -> dict[str, Any]:
    # A customer's line: besides the acknowledgement, each request is forwarded to them.
    return {
        "organisation": "callkom",
        "kinds": ["objection"],
        "scopes": ["callkom:ai-calls"],
        "subject": {"name": f"Person {n}", "email": f"person{n}@example.org", "country": "FR"},
        "identifiers": {"phone": "+33 1 99 00 12 34"},
    }


def _received(inbox: Inbox) -> Counter[str]:
    return Counter(str(message["X-DSAR-Message"]) for message in inbox.messages)


def test_emails_queued_during_an_smtp_outage_are_each_delivered_once_after_it(
    registry: Any,
    late_smtp_server: tuple[Controller, Inbox],
    celery_worker_process: subprocess.Popen[bytes],
    second_worker: subprocess.Popen[bytes],
) -> None:
    controller, inbox = late_smtp_server
    workers = (celery_worker_process, second_worker)
    created = integration_create(
        name="Help desk", organisations=[Organisation.objects.get(slug="callkom")]
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {created.token}")

    statuses = Counter(
        client.post("/api/v1/requests/", _body(n), format="json").status_code
        for n in range(REQUESTS)
    )

    assert statuses == {201: REQUESTS}
    messages = OutboundMessage.objects.all()
    templates = Counter(messages.values_list("template", flat=True))
    assert templates == {"acknowledgement": REQUESTS, "forward_to_customer": REQUESTS}
    assert set(messages.values_list("request", flat=True)) == set(
        Request.objects.values_list("pk", flat=True)
    )
    expected = set(messages.values_list("dedup_key", flat=True))

    # The outage: every message is tried, refused and put back with a retry time, twice.
    def all_failed_twice() -> bool:
        return not OutboundMessage.objects.filter(
            Q(attempts__lt=2) | ~Q(status=MessageStatus.QUEUED) | Q(last_error="")
        ).exists()

    wait_for(
        all_failed_twice,
        timeout=30,
        what="every message has failed at least twice",
        workers=workers,
    )
    assert not OutboundMessage.objects.filter(next_attempt_at__isnull=True).exists()
    assert inbox.messages == []

    # The server comes back on the same address. Retries come from the worker's countdowns
    # and from the relay, which beat would run every minute; the test runs it every second.
    controller.start()
    wait_for(
        lambda: OutboundMessage.objects.filter(status=MessageStatus.SENT).count() == len(expected),
        timeout=40,
        what="every message is sent",
        workers=workers,
        every=outbox_relay,
    )

    # Late countdowns and more relay runs must find nothing left to send.
    settle_until = time.monotonic() + 4
    while time.monotonic() < settle_until:
        outbox_relay()
        time.sleep(1)
    assert all(worker.poll() is None for worker in workers), "a worker exited early"

    received = _received(inbox)
    assert set(received) == expected
    duplicated = {key: count for key, count in received.items() if count > 1}
    assert duplicated == {}, "a message was delivered more than once"
    assert not OutboundMessage.objects.exclude(status=MessageStatus.SENT).exists()
    # Each was sent on a retry after the failures, not as a fresh message.
    assert not OutboundMessage.objects.filter(attempts__lt=3).exists()
