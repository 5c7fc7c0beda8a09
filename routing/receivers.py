"""Delivery reports from the email provider, through anymail's tracking webhooks."""

from __future__ import annotations

from typing import Any

from anymail.signals import AnymailTrackingEvent

from routing.services.delivery_reports import delivery_report_record


def record_tracking(sender: Any, event: AnymailTrackingEvent, esp_name: str, **kwargs: Any) -> None:
    delivery_report_record(
        provider_message_id=event.message_id or "",
        event_type=event.event_type,
        at=event.timestamp,
        reported_by=esp_name,
    )
