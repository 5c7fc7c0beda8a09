"""A worker is killed (SIGKILL) in the middle of sending an email, before the SMTP server
accepted it: the message is left "sending", the relay gives it back once it is stale, and
another worker delivers it exactly once; no other message is sent twice."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.db.models import F

from routing.models import MessageStatus, OutboundMessage
from routing.services.sending import STALE_SENDING, outbox_relay
from tests.factories import make_request
from tests.integration.faults import start_worker, wait_for
from tests.support.processes import Inbox, free_port, smtp_env, stop_process

pytestmark = [
    pytest.mark.integration,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]

REQUESTS = 3
STALL_LIMIT = 60  # seconds: a failed test must not leave the server's loop blocked for ever


class StallingInbox(Inbox):
    """Holds the first message inside DATA, before answering, until told the sender is
    dead; that message is then refused, so by SMTP it was never delivered. Later
    messages are accepted and kept."""

    def __init__(self) -> None:
        super().__init__()
        self.stalled = threading.Event()
        self.release = threading.Event()
        self.dropped: str | None = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.dropped is None:
            self.dropped = str(message_from_bytes(envelope.content)["X-DSAR-Message"])
            self.stalled.set()
            deadline = time.monotonic() + STALL_LIMIT
            while not self.release.is_set() and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            return "451 Requested action aborted: local error in processing"
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def stalling_smtp() -> Iterator[tuple[Controller, StallingInbox]]:
    inbox = StallingInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    inbox.release.set()
    controller.stop()


@pytest.fixture
def worker_env(stalling_smtp: tuple[Controller, StallingInbox]) -> dict[str, str]:
    return smtp_env(stalling_smtp[0])


def test_a_message_whose_worker_was_killed_mid_send_is_sent_once_after_the_relay(
    registry: Any,
    stalling_smtp: tuple[Controller, StallingInbox],
    worker_env: dict[str, str],
    worker_queue: str,
    tmp_path: Path,
    celery_worker_process: subprocess.Popen[bytes],
) -> None:
    _, inbox = stalling_smtp
    for n in range(REQUESTS):
        make_request(
            "callkom", kinds=("objection",), scopes=["callkom:ai-calls"],
            identifiers={"phone": "+33 1 99 00 12 34"}, email=f"person{n}@example.org",
        )  # fmt: skip
    expected = set(OutboundMessage.objects.values_list("dedup_key", flat=True))
    assert len(expected) == 2 * REQUESTS  # an acknowledgement and a forward each

    # The worker has sent the whole message and waits for the server's answer: kill it.
    deadline = time.monotonic() + 30
    while not inbox.stalled.wait(timeout=0.2):
        assert celery_worker_process.poll() is None, "the worker exited early"
        assert time.monotonic() < deadline, "no message reached the SMTP server"
    os.kill(celery_worker_process.pid, signal.SIGKILL)
    assert celery_worker_process.wait(timeout=10) == -signal.SIGKILL
    inbox.release.set()

    assert inbox.dropped in expected
    stuck = OutboundMessage.objects.get(dedup_key=inbox.dropped)
    assert stuck.status == MessageStatus.SENDING
    assert stuck.attempts == 1
    assert inbox.messages == []
    # Only a row stuck longer than STALE_SENDING is taken back: a slow send is not resent.
    outbox_relay()
    stuck.refresh_from_db()
    assert stuck.status == MessageStatus.SENDING

    # Ten minutes pass. The row is aged rather than the relay given a later ``now``: the
    # relay sets the retry time to its ``now``, and the worker claims a row only once that
    # time has come by its own clock.
    OutboundMessage.objects.filter(pk=stuck.pk).update(
        sending_since=F("sending_since") - STALE_SENDING - timedelta(seconds=1)
    )
    assert outbox_relay() >= 1
    stuck.refresh_from_db()
    assert stuck.status == MessageStatus.QUEUED

    # A new worker takes what the dead one left: the queued tasks and the relay's offer.
    replacement = start_worker(
        queue=worker_queue, directory=tmp_path, name="replacement", env=worker_env
    )
    try:
        wait_for(
            lambda: (
                OutboundMessage.objects.filter(status=MessageStatus.SENT).count() == len(expected)
            ),
            timeout=40,
            what="every message is sent",
            workers=(replacement,),
        )
        # More relay runs (beat's, every minute) must find nothing left to send.
        for _ in range(3):
            assert outbox_relay() == 0
            time.sleep(1)
        assert replacement.poll() is None, "the replacement worker exited early"
    finally:
        stop_process(replacement)

    received = Counter(str(message["X-DSAR-Message"]) for message in inbox.messages)
    assert set(received) == expected
    assert set(received.values()) == {1}, f"a message was delivered more than once: {received}"
    stuck.refresh_from_db()
    assert stuck.status == MessageStatus.SENT
    assert stuck.attempts == 2
    others = OutboundMessage.objects.exclude(pk=stuck.pk)
    assert set(others.values_list("attempts", flat=True)) == {1}
