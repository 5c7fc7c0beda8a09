"""The outbox: an email rendered and stored with the change that caused it, handed to the
broker only after commit (routing.services.sending sends it once)."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from routing.domain.emails import render_email
from routing.domain.jobs import SEND_MESSAGE, enqueue_on_commit
from routing.models import OutboundMessage, Request, Route

logger = logging.getLogger(__name__)


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

    for pk in ids:
        enqueue_on_commit(SEND_MESSAGE, pk)


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
    enqueue_on_commit(SEND_MESSAGE, message.pk)
    return message
