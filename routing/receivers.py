"""Delivery reports from the email provider, through anymail's tracking webhooks."""

from __future__ import annotations

from typing import Any

from anymail.signals import AnymailTrackingEvent
from django.db import transaction
from django.utils import timezone

from routing.models import Event, MessageStatus, OutboundMessage, Request

_STATUS = {
    "delivered": MessageStatus.DELIVERED,
    "bounced": MessageStatus.BOUNCED,
    "rejected": MessageStatus.BOUNCED,
    "complained": MessageStatus.BOUNCED,
}


def record_tracking(sender: Any, event: AnymailTrackingEvent, esp_name: str, **kwargs: Any) -> None:
    status = _STATUS.get(event.event_type)
    if status is None or not event.message_id:
        return
    with transaction.atomic():
        message = (
            OutboundMessage.objects.select_for_update()
            .filter(provider_message_id=event.message_id)
            .first()
        )
        if message is None:
            return
        fields: dict[str, Any] = {"status": status}
        if status == MessageStatus.DELIVERED:
            fields["delivered_at"] = event.timestamp or timezone.now()
        OutboundMessage.objects.filter(pk=message.pk).update(**fields)
        if status == MessageStatus.BOUNCED and message.request_id is not None:
            from routing.services.notices import staff_task

            who = "the customer" if message.route_id else "the subject"
            task = (
                f"The email to {message.recipient} ({message.template}) was not delivered "
                f"({event.event_type}): reach {who} another way."
            )
            Event.objects.create(
                request_id=message.request_id,
                created_at=timezone.now(),
                actor_type="system",
                actor_label=f"{esp_name} webhook",
                type="staff_task",
                data={"code": "email_bounced", "template": message.template, "task": task},
            )
            request = Request.objects.select_related("organisation", "assignee").get(
                pk=message.request_id
            )
            staff_task(request, task, dedup_key=f"bounce:{message.pk}")
