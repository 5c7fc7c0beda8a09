"""Emails leave through a real Celery worker on Redis and arrive at a real SMTP server."""

from __future__ import annotations

import time
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from routing.models import MessageStatus, OutboundMessage
from tests.factories import make_request
from tests.support.processes import Inbox, smtp_env

pytestmark = [
    pytest.mark.integration,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def worker_env(smtp_server: tuple[Controller, Inbox]) -> dict[str, str]:
    return smtp_env(smtp_server[0])


def test_a_new_request_is_acknowledged_and_forwarded_over_smtp(
    registry: Any, smtp_server: tuple[Controller, Inbox], celery_worker_process: Any
) -> None:
    _, inbox = smtp_server
    request = make_request(
        "callkom", kinds=("objection",), scopes=["callkom:ai-calls"],
        identifiers={"phone": "+33 1 99 00 12 34"},
    )  # fmt: skip

    deadline = time.monotonic() + 60
    while len(inbox.messages) < 2 and time.monotonic() < deadline:
        assert celery_worker_process.poll() is None, "the worker exited early"
        time.sleep(0.2)

    recipients = sorted(message["To"] for message in inbox.messages)
    assert recipients == ["ada@example.org", "privacy@maison.example"]
    subjects = " | ".join(message["Subject"] for message in inbox.messages)
    assert request.reference in subjects
    statuses = set(OutboundMessage.objects.filter(request=request).values_list("status", flat=True))
    assert statuses == {MessageStatus.SENT}
    # Nothing is sent twice, even after the relay has looked.
    time.sleep(1)
    assert len(inbox.messages) == 2
