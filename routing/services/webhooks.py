"""Webhook events: stored with the change that caused them, delivered after commit."""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from django.db import transaction
from django.utils import timezone

from routing.models import Integration, Request, WebhookDelivery

EVENT_TYPES = (
    "request.created",
    "request.status_changed",
    "request.due_soon",
    "request.overdue",
    "route.forwarded",
    "route.acknowledged",
)


def _enqueue(delivery_ids: list[int]) -> None:
    from routing.webhook_tasks import deliver_webhook

    for delivery_id in delivery_ids:
        # A broker that is down loses nothing: the relay delivers what it did not take.
        with suppress(Exception):
            deliver_webhook.delay(delivery_id)


def webhooks_emit(*, request: Request, event_type: str, data: dict[str, Any]) -> int:
    """Store one delivery per integration that sees the organisation and has a URL."""
    if event_type not in EVENT_TYPES:
        raise ValueError(f"event_type: unknown {event_type!r}; valid: {', '.join(EVENT_TYPES)}")
    integrations = Integration.objects.filter(
        organisations=request.organisation_id, revoked_at__isnull=True
    ).exclude(webhook_url="")
    now = timezone.now()
    deliveries = []
    for integration in integrations:
        delivery = WebhookDelivery(
            integration=integration,
            request=request,
            event_type=event_type,
            created_at=now,
            next_attempt_at=now,
        )
        delivery.payload = {
            "id": str(delivery.event_id),
            "type": event_type,
            "created_at": now.isoformat(),
            "organisation": request.organisation.slug,
            "data": {"id": request.pk, "reference": request.reference, **data},
        }
        deliveries.append(delivery)
    if not deliveries:
        return 0
    WebhookDelivery.objects.bulk_create(deliveries)
    ids = [d.pk for d in deliveries if d.pk is not None] or list(
        WebhookDelivery.objects.filter(event_id__in=[d.event_id for d in deliveries]).values_list(
            "pk", flat=True
        )
    )
    transaction.on_commit(lambda: _enqueue(ids))
    return len(deliveries)
