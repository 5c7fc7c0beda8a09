"""Delivery reports from the email provider: the outbox row's status, and a task for
staff when an email to a subject or a customer did not arrive."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from routing.models import EventType, MessageStatus, OutboundMessage, Request
from routing.services.actors import Actor
from routing.services.consequences import event_record

# The provider's word (anymail's normalised event type) → the outbox's.
REPORTED = {
    "delivered": MessageStatus.DELIVERED,
    "bounced": MessageStatus.BOUNCED,
    "rejected": MessageStatus.BOUNCED,
    "complained": MessageStatus.BOUNCED,
}


def delivery_report_record(
    *, provider_message_id: str, event_type: str, at: datetime | None, reported_by: str
) -> bool:
    """Record one report; False when it says nothing the outbox keeps or names no
    message of ours."""
    status = REPORTED.get(event_type)
    if status is None or not provider_message_id:
        return False
    with transaction.atomic():
        message = (
            OutboundMessage.objects.select_for_update()
            .filter(provider_message_id=provider_message_id)
            .first()
        )
        if message is None:
            return False
        fields: dict[str, Any] = {"status": status}
        if status == MessageStatus.DELIVERED:
            fields["delivered_at"] = at or timezone.now()
        OutboundMessage.objects.filter(pk=message.pk).update(**fields)
        if status == MessageStatus.BOUNCED and message.request_id is not None:
            who = "the customer" if message.route_id else "the subject"
            task = (
                f"The email to {message.recipient} ({message.template}) was not delivered "
                f"({event_type}): reach {who} another way."
            )
            request = Request.objects.select_related("organisation", "assignee").get(
                pk=message.request_id
            )
            event_record(
                request,
                Actor.system(f"{reported_by} webhook"),
                EventType.STAFF_TASK,
                extra={"key": f"bounce:{message.pk}"},
                code="email_bounced",
                template=message.template,
                task=task,
            )
    return True
