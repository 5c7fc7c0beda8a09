"""Webhook deliveries: built for the consequences table (routing.services.consequences),
stored with the change that caused them, offered to the worker after commit."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from routing.domain.jobs import DELIVER_WEBHOOK, enqueue_on_commit
from routing.domain.registry_snapshot import RegistrySnapshot, registry_snapshot
from routing.models import Request, WebhookDelivery

EVENT_TYPES = (
    "request.created",
    "request.status_changed",
    "request.due_soon",
    "request.overdue",
    "route.forwarded",
    "route.acknowledged",
)


def webhook_deliveries(
    *,
    request: Request,
    event_type: str,
    data: dict[str, Any],
    snapshot: RegistrySnapshot | None = None,
) -> list[WebhookDelivery]:
    """One unsaved delivery per active integration that sees the organisation and has a
    URL (from the registry snapshot, which a change of integration refreshes)."""
    if event_type not in EVENT_TYPES:
        raise ValueError(f"event_type: unknown {event_type!r}; valid: {', '.join(EVENT_TYPES)}")
    snapshot = snapshot or registry_snapshot()
    integration_ids = snapshot.webhook_integrations.get(request.organisation_id, ())
    now = timezone.now()
    deliveries = []
    for integration_id in integration_ids:
        delivery = WebhookDelivery(
            integration_id=integration_id,
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
    return deliveries


def webhooks_store(deliveries: list[WebhookDelivery]) -> int:
    """Store deliveries in one insert, in the caller's transaction; offered to the broker
    after commit."""
    if not deliveries:
        return 0
    WebhookDelivery.objects.bulk_create(deliveries)
    ids = [d.pk for d in deliveries if d.pk is not None] or list(
        WebhookDelivery.objects.filter(event_id__in=[d.event_id for d in deliveries])
        .order_by("id")
        .values_list("pk", flat=True)
    )
    # A broker that is down loses nothing: the relay delivers what it did not take.
    for delivery_id in ids:
        enqueue_on_commit(DELIVER_WEBHOOK, delivery_id)
    return len(deliveries)
