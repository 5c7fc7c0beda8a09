"""How a forwarded route's receipt was recorded, read from the audit trail."""

from __future__ import annotations

from routing.models import Event, EventType, Route


def route_acknowledgement(route: Route) -> Event | None:
    """The event that recorded the customer's receipt of ``route`` (the latest, should a
    route ever be acknowledged again)."""
    return (
        Event.objects.filter(
            request_id=route.request_id,
            type=EventType.ROUTE_ACKNOWLEDGED,
            data__scope=route.scope.key,
        )
        .order_by("-created_at", "-id")
        .first()
    )
