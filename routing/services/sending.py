"""Sending the outbox: a worker claims a stored message with a conditional update, so two
workers never send one message twice, retries with backoff, and gives up with a task for
staff; the relay re-offers rows the broker never got or a dead worker left behind.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from routing.domain.jobs import SEND_MESSAGE, enqueue
from routing.models import EventType, MessageStatus, OutboundMessage, Request
from routing.services.actors import Actor
from routing.services.consequences import event_record

logger = logging.getLogger("routing.services.outbox")

# Rows handed to the broker on commit get this long before the relay offers them again.
RELAY_GRACE = timedelta(seconds=30)
# A row left "sending" longer than this belongs to a worker that died mid-send.
STALE_SENDING = timedelta(minutes=10)


@dataclass(frozen=True)
class SendOutcome:
    status: str  # "sent", "retry", "failed" or "skipped" (another worker has it, or done)
    retry_in: int | None = None


def backoff_seconds(attempts: int) -> int:
    """The base delay (a minute by default), doubled per attempt, at most an hour."""
    base = settings.DSAR_EMAIL_RETRY_BASE_SECONDS
    return int(min(base * 2 ** max(attempts - 1, 0), 3600))


def _claim(message_id: int, now: datetime) -> OutboundMessage | None:
    claimed = (
        OutboundMessage.objects.filter(pk=message_id, status=MessageStatus.QUEUED)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(status=MessageStatus.SENDING, sending_since=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return None
    return OutboundMessage.objects.get(pk=message_id)


def message_send(*, message_id: int) -> SendOutcome:
    now = timezone.now()
    message = _claim(message_id, now)
    if message is None:
        return SendOutcome("skipped")
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient],
        headers={"X-DSAR-Message": message.dedup_key[:200]},
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    try:
        email.send()
    except Exception as error:
        return _failed_attempt(message, error)
    provider_id = ""
    status = getattr(email, "anymail_status", None)
    if status is not None and getattr(status, "message_id", None) is not None:
        provider_id = str(status.message_id)
    OutboundMessage.objects.filter(pk=message.pk, status=MessageStatus.SENDING).update(
        status=MessageStatus.SENT,
        sent_at=timezone.now(),
        provider_message_id=provider_id,
        **_spent(message),
    )
    return SendOutcome("sent")


# Emails whose body carries a one-time secret: once it has left (or never will), the stored
# copy is blanked, so the outbox does not keep a working code.
SECRET_BODIES = frozenset({"download_code"})
BLANKED = "[removed after sending: it held a one-time code]"


def _spent(message: OutboundMessage) -> dict[str, str]:
    if message.template not in SECRET_BODIES:
        return {}
    return {"body_text": BLANKED, "body_html": ""}


def _failed_attempt(message: OutboundMessage, error: Exception) -> SendOutcome:
    text = f"{type(error).__name__}: {error}"[:2000]
    if message.attempts >= settings.DSAR_EMAIL_MAX_ATTEMPTS:
        with transaction.atomic():
            OutboundMessage.objects.filter(pk=message.pk).update(
                status=MessageStatus.FAILED, last_error=text, sending_since=None, **_spent(message)
            )
            if message.request_id is not None:
                event_record(
                    Request.objects.select_related("organisation").get(pk=message.request_id),
                    Actor.system("outbox"),
                    EventType.EMAIL_FAILED,
                    template=message.template,
                    attempts=message.attempts,
                    task="The email could not be sent; reach the recipient another way.",
                )
        logger.error("outbox: message %s failed for good: %s", message.pk, text)
        return SendOutcome("failed")
    delay = backoff_seconds(message.attempts)
    OutboundMessage.objects.filter(pk=message.pk).update(
        status=MessageStatus.QUEUED,
        last_error=text,
        sending_since=None,
        next_attempt_at=timezone.now() + timedelta(seconds=delay),
    )
    logger.warning("outbox: message %s attempt %s failed: %s", message.pk, message.attempts, text)
    return SendOutcome("retry", retry_in=delay)


def outbox_relay(*, now: datetime | None = None, limit: int = 500) -> int:
    """Offer the broker what it never got, or what a dead worker left; returns the count."""
    now = now or timezone.now()
    OutboundMessage.objects.filter(
        status=MessageStatus.SENDING, sending_since__lt=now - STALE_SENDING
    ).update(status=MessageStatus.QUEUED, sending_since=None, next_attempt_at=now)
    due = list(
        OutboundMessage.objects.filter(status=MessageStatus.QUEUED)
        .filter(
            Q(next_attempt_at__lte=now)
            | Q(next_attempt_at__isnull=True, created_at__lte=now - RELAY_GRACE)
        )
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    for message_id in due:
        enqueue(SEND_MESSAGE, message_id)
    return len(due)
