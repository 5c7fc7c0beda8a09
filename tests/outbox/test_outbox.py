from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.utils import timezone

from dsar.celery import app as celery_app
from routing.models import Event, MessageStatus, OutboundMessage
from routing.services.outbox import message_build, message_store
from routing.services.sending import (
    STALE_SENDING,
    backoff_seconds,
    message_send,
    outbox_relay,
)
from tests.factories import OrganisationFactory, make_request

pytestmark = pytest.mark.django_db

FAILURES = {"left": 0}


class FlakyBackend(BaseEmailBackend):
    """Raises while FAILURES["left"] > 0, then delivers to the locmem outbox."""

    def send_messages(self, messages):
        if FAILURES["left"] > 0:
            FAILURES["left"] -= 1
            raise ConnectionRefusedError("SMTP server down")
        mail.outbox.extend(messages)
        return len(messages)


@pytest.fixture
def email_templates(settings, tmp_path: Path) -> Path:
    folder = tmp_path / "emails" / "hello"
    folder.mkdir(parents=True)
    (folder / "subject.txt").write_text("Hello {{ name }}\n")
    (folder / "body.txt").write_text("Dear {{ name }}, your reference is {{ reference }}.\n")
    (folder / "body.html").write_text("<p>Dear {{ name }}</p>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    return tmp_path


def message_schedule(**fields: Any) -> OutboundMessage | None:
    """Render and store one message, as the consequences table does for each email."""
    return message_store(message_build(**fields))


def _schedule(key: str = "hello:1", **context: str) -> OutboundMessage | None:
    return message_schedule(
        template="hello",
        recipient="ada@example.org",
        context={"name": "Ada", "reference": "CK-2026-000001", **context},
        dedup_key=key,
    )


def test_a_message_is_rendered_and_stored_before_sending(email_templates) -> None:
    message = _schedule(name="Ada <script>")

    assert message is not None
    assert message.status == MessageStatus.QUEUED
    assert message.subject == "Hello Ada &lt;script&gt;"
    assert "CK-2026-000001" in message.body_text
    assert mail.outbox == []


def test_a_dedup_key_is_stored_once(email_templates) -> None:
    assert _schedule("k") is not None
    assert _schedule("k") is None

    assert OutboundMessage.objects.count() == 1


def test_sending_twice_sends_once(email_templates) -> None:
    message = _schedule()
    assert message is not None

    first = message_send(message_id=message.pk)
    second = message_send(message_id=message.pk)

    assert (first.status, second.status) == ("sent", "skipped")
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.attempts == 1
    assert message.sent_at is not None


def test_a_failing_backend_is_retried_with_backoff_then_sent(email_templates, settings) -> None:
    settings.EMAIL_BACKEND = "tests.outbox.test_outbox.FlakyBackend"
    FAILURES["left"] = 2
    message = _schedule()
    assert message is not None

    outcome = message_send(message_id=message.pk)
    assert outcome.status == "retry"
    assert outcome.retry_in == 60
    # Not yet due: a second worker cannot send it early.
    assert message_send(message_id=message.pk).status == "skipped"
    OutboundMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert message_send(message_id=message.pk).retry_in == 120
    OutboundMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert message_send(message_id=message.pk).status == "sent"

    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.SENT, 3)
    assert "SMTP server down" in message.last_error
    assert len(mail.outbox) == 1


def test_a_permanent_failure_marks_failed_and_raises_a_staff_task(
    email_templates, settings
) -> None:
    settings.EMAIL_BACKEND = "tests.outbox.test_outbox.FlakyBackend"
    settings.DSAR_EMAIL_MAX_ATTEMPTS = 2
    FAILURES["left"] = 99
    request = make_request(OrganisationFactory.create())
    message = message_schedule(
        template="hello", recipient="ada@example.org", context={"name": "Ada"},
        dedup_key="fail", request=request,
    )  # fmt: skip
    assert message is not None

    message_send(message_id=message.pk)
    OutboundMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    outcome = message_send(message_id=message.pk)

    assert outcome.status == "failed"
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert Event.objects.filter(request=request, type="email_failed").exists()
    FAILURES["left"] = 0


def test_backoff_doubles_and_is_capped() -> None:
    assert [backoff_seconds(n) for n in (1, 2, 3, 7, 20)] == [60, 120, 240, 3600, 3600]


def test_backoff_base_is_a_setting(settings) -> None:
    settings.DSAR_EMAIL_RETRY_BASE_SECONDS = 2
    assert [backoff_seconds(n) for n in (1, 2, 3, 12)] == [2, 4, 8, 3600]


def test_the_relay_resends_a_message_a_dead_worker_left_sending(email_templates) -> None:
    message = _schedule()
    assert message is not None
    # A worker claimed it, then died before sending.
    OutboundMessage.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENDING, sending_since=timezone.now() - STALE_SENDING - timedelta(1)
    )
    celery_app.conf.task_always_eager = True
    try:
        offered = outbox_relay()
    finally:
        celery_app.conf.task_always_eager = False

    assert offered == 1
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


def test_the_relay_leaves_fresh_rows_to_the_on_commit_hand_off(email_templates) -> None:
    _schedule()

    assert outbox_relay() == 0
    assert outbox_relay(now=timezone.now() + timedelta(minutes=1)) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_send_one_message_once(email_templates) -> None:
    message = _schedule()
    assert message is not None
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def worker() -> None:
        barrier.wait()
        try:
            outcomes.append(message_send(message_id=message.pk).status)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["sent", "skipped"]
    assert len(mail.outbox) == 1
