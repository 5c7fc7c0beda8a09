"""Row locks for a change: the request (or a route and its request) is locked, re-read and
checked against the transition table before anything changes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import transaction

from routing.domain.transitions import (
    ROUTE_ACTIONS_WHEN,
    ROUTE_TRANSITIONS,
    TransitionError,
    check,
)
from routing.models import Request, Route, Status


@dataclass
class Locked:
    """The locked row and the status it had, so the change's events can announce a new one."""

    request: Request
    status_before: str


@contextmanager
def locked(request: Request, action: str) -> Iterator[Locked]:
    """Lock the row, re-read it, and check ``action`` (a key of TRANSITIONS) is allowed."""
    with transaction.atomic():
        # of=("self",): lock the request, not the organisation joined for its zone, which
        # would serialise every transition and intake of that organisation.
        row = (
            Request.objects.select_for_update(of=("self",))
            .select_related("organisation")
            .get(pk=request.pk)
        )
        check(action, row.status)
        yield Locked(row, row.status)
    # The caller's object reflects what was stored.
    request.refresh_from_db()


@dataclass
class LockedRoute:
    route: Route
    status_before: str

    @property
    def request(self) -> Request:
        return self.route.request


@contextmanager
def locked_route(route: Route, action: str) -> Iterator[LockedRoute]:
    """Lock the route's request, re-read the route, check ``action`` (a key of
    ROUTE_TRANSITIONS) is allowed; acting on a route of a new request starts work on it."""
    transition = ROUTE_TRANSITIONS[action]
    with transaction.atomic():
        request = (
            Request.objects.select_for_update(of=("self",))
            .select_related("organisation")
            .get(pk=route.request_id)
        )
        if request.status not in ROUTE_ACTIONS_WHEN:
            raise TransitionError(
                f"Cannot {transition.verb}: the request is {request.get_status_display()}."
            )
        row = Route.objects.select_related("scope", "customer").get(pk=route.pk)
        check(action, row.status, table=ROUTE_TRANSITIONS)
        row.request = request
        before = request.status
        if request.status == Status.NEW:
            request.status = Status.IN_PROGRESS
            request.save(update_fields=["status", "updated_at"])
        yield LockedRoute(row, before)
    route.refresh_from_db()
