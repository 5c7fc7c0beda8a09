"""Shared set-up for lifecycle tests: requests in a given state, and snapshots to prove a
refused transition changed nothing."""

from __future__ import annotations

from typing import Any

from routing.models import Event, Request, Route, Status
from routing.services.actors import Actor
from routing.services.requests import (
    request_assign,
    request_complete,
    request_deny,
    request_expire_unverified,
    request_mark_duplicate,
    request_pause,
    request_withdraw,
    route_mark_done,
)
from tests.factories import make_request

SYSTEM = Actor.system("test")


def snapshot(request: Request) -> dict[str, Any]:
    """Everything a transition could change: the row, its routes, its audit trail."""
    return {
        "row": Request.objects.filter(pk=request.pk).values().get(),
        "routes": list(Route.objects.filter(request=request).order_by("pk").values()),
        "events": Event.objects.filter(request=request).count(),
    }


def finish_routes(request: Request, by: Actor = SYSTEM) -> None:
    for route in request.routes.all():
        route_mark_done(route=route, by=by)
    request.refresh_from_db()


def request_in(status: str, staff: Any, **kwargs: Any) -> Request:
    """A request brought to ``status`` through the services, as staff would."""
    by = Actor.staff(staff)
    if status == Status.UNVERIFIED:
        return make_request(verified=False, **kwargs)
    if status == Status.EXPIRED:
        return request_expire_unverified(request=make_request(verified=False, **kwargs))
    request = make_request(**kwargs)
    if status == Status.NEW:
        return request
    if status == Status.IN_PROGRESS:
        return request_assign(request=request, assignee=staff, by=by)
    if status == Status.AWAITING_SUBJECT:
        return request_pause(request=request, by=by, reason="proof of identity")
    if status == Status.COMPLETED:
        finish_routes(request, by)
        return request_complete(request=request, by=by, note="done")
    if status == Status.DENIED:
        return request_deny(request=request, by=by, ground="no_data_held")
    if status == Status.WITHDRAWN:
        return request_withdraw(request=request, by=by)
    if status == Status.DUPLICATE:
        original = make_request(email="original@example.org")
        return request_mark_duplicate(request=request, by=by, of=original)
    raise ValueError(f"no recipe for {status}")


def event_types(request: Request) -> list[str]:
    return list(request.events.order_by("created_at", "pk").values_list("type", flat=True))
