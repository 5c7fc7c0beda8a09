"""Delivery reports from the email provider, through anymail's tracking webhooks."""

from __future__ import annotations

from typing import Any

from anymail.signals import AnymailTrackingEvent
from django.db import transaction
from django.utils import timezone

from routing.models import EventType, MessageStatus, OutboundMessage, Request
from routing.services.actors import Actor
from routing.services.consequences import event_record

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
            who = "the customer" if message.route_id else "the subject"
            task = (
                f"The email to {message.recipient} ({message.template}) was not delivered "
                f"({event.event_type}): reach {who} another way."
            )
            request = Request.objects.select_related("organisation", "assignee").get(
                pk=message.request_id
            )
            event_record(
                request,
                Actor.system(f"{esp_name} webhook"),
                EventType.STAFF_TASK,
                extra={"key": f"bounce:{message.pk}"},
                code="email_bounced",
                template=message.template,
                task=task,
            )
