"""The outbox: store an email with the change that caused it, then send it once.

A message is scheduled inside the caller's transaction and handed to the broker only
after commit. Sending claims the row with a conditional update, so two workers never
send one message twice; the relay re-offers rows the broker never got or a dead worker
left behind.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from routing.emails import render_email
from routing.models import Event, MessageStatus, OutboundMessage, Request, Route

logger = logging.getLogger(__name__)

# Rows handed to the broker on commit get this long before the relay offers them again.
RELAY_GRACE = timedelta(seconds=30)
# A row left "sending" longer than this belongs to a worker that died mid-send.
STALE_SENDING = timedelta(minutes=10)


def _enqueue(message_id: int) -> None:
    from routing.tasks import send_message

    try:
        send_message.delay(message_id)
    except Exception:
        # The row is committed; the relay sends it once the broker is back.
        logger.warning("outbox: broker unavailable, message %s left for the relay", message_id)


def message_build(
    *,
    template: str,
    recipient: str,
    context: dict[str, Any],
    dedup_key: str,
    language: str = "en",
    request: Request | None = None,
    route: Route | None = None,
) -> OutboundMessage:
    """Render a message, unsaved: what is stored is exactly what will be sent."""
    rendered = render_email(template, context, language)
    return OutboundMessage(
        dedup_key=dedup_key,
        template=template,
        recipient=recipient,
        language=language,
        subject=rendered.subject,
        body_text=rendered.text,
        body_html=rendered.html,
        request=request,
        route=route,
        created_at=timezone.now(),
    )


def messages_store_new(messages: list[OutboundMessage]) -> None:
    """Store messages whose keys name rows made in this transaction, so none can exist
    yet (the unique key still guards it): one insert for all, sent after commit."""
    if not messages:
        return
    OutboundMessage.objects.bulk_create(messages)
    ids = [m.pk for m in messages if m.pk is not None] or list(
        OutboundMessage.objects.filter(dedup_key__in=[m.dedup_key for m in messages])
        .order_by("id")
        .values_list("pk", flat=True)
    )

    def enqueue_all() -> None:
        for pk in ids:
            _enqueue(pk)

    transaction.on_commit(enqueue_all)


def message_exists(dedup_key: str) -> bool:
    return OutboundMessage.objects.filter(dedup_key=dedup_key).exists()


def message_store(built: OutboundMessage) -> OutboundMessage | None:
    """Store a built message unless one with its key exists; sent after commit."""
    with transaction.atomic():
        message, created = OutboundMessage.objects.get_or_create(
            dedup_key=built.dedup_key,
            defaults={
                "template": built.template,
                "recipient": built.recipient,
                "language": built.language,
                "subject": built.subject,
                "body_text": built.body_text,
                "body_html": built.body_html,
                "request": built.request,
                "route": built.route,
                "created_at": built.created_at,
            },
        )
    if not created:
        return None
    transaction.on_commit(lambda: _enqueue(message.pk))
    return message


def message_schedule(
    *,
    template: str,
    recipient: str,
    context: dict[str, Any],
    dedup_key: str,
    language: str = "en",
    request: Request | None = None,
    route: Route | None = None,
) -> OutboundMessage | None:
    """Render and store a message; None if one with this key exists already."""
    if message_exists(dedup_key):
        return None
    return message_store(
        message_build(
            template=template,
            recipient=recipient,
            context=context,
            dedup_key=dedup_key,
            language=language,
            request=request,
            route=route,
        )
    )


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
        status=MessageStatus.SENT, sent_at=timezone.now(), provider_message_id=provider_id
    )
    return SendOutcome("sent")


def _failed_attempt(message: OutboundMessage, error: Exception) -> SendOutcome:
    text = f"{type(error).__name__}: {error}"[:2000]
    if message.attempts >= settings.DSAR_EMAIL_MAX_ATTEMPTS:
        with transaction.atomic():
            OutboundMessage.objects.filter(pk=message.pk).update(
                status=MessageStatus.FAILED, last_error=text, sending_since=None
            )
            if message.request_id is not None:
                Event.objects.create(
                    request_id=message.request_id,
                    created_at=timezone.now(),
                    actor_type="system",
                    actor_label="outbox",
                    type="email_failed",
                    data={
                        "template": message.template,
                        "attempts": message.attempts,
                        "task": "The email could not be sent; reach the recipient another way.",
                    },
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
        _enqueue(message_id)
    return len(due)
