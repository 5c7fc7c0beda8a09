"""The request's stored dates, recomputed from the clock after every change that moves
them, and its routes' dates with them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from routing.models import Request, RouteAction
from routing.selectors.deadlines import local_today, request_deadlines
from routing.services.reminders import next_reminder_at


def set_dates(request: Request) -> None:
    deadlines = request_deadlines(request)
    request.received_on = deadlines.received_on
    request.acknowledge_by = deadlines.acknowledge_by
    request.due_on = deadlines.due_on
    request.extended_due_on = deadlines.extended_due_on
    request.opt_out_due_on = deadlines.opt_out_due_on
    request.forward_due_on = deadlines.forward_due_on
    request.effective_due_on = (
        deadlines.extended_due_on
        if request.extended_at and deadlines.extended_due_on
        else deadlines.due_on
    )
    # A moved date moves the reminders; a closed or unverified request has none.
    request.next_reminder_at = next_reminder_at(request)


def sync_route_dates(request: Request) -> None:
    """Fulfilled parts are due with the request; forwards and redirects "without delay"."""
    request.routes.filter(action=RouteAction.FULFIL).update(due_on=request.effective_due_on)
    request.routes.exclude(action=RouteAction.FULFIL).update(due_on=request.forward_due_on)


def dates_data(request: Request) -> dict[str, Any]:
    """The dates an event keeps."""
    return {
        "due_on": request.due_on.isoformat(),
        "effective_due_on": request.effective_due_on.isoformat(),
    }


def whole_days_paused(request: Request, until: datetime) -> int:
    if request.paused_since is None:
        return 0
    started = local_today(request.organisation, request.paused_since)
    ended = local_today(request.organisation, until)
    return max((ended - started).days, 0)


def close_pause(request: Request, now: datetime) -> int:
    days = whole_days_paused(request, now)
    request.paused_days += days
    request.paused_since = None
    request.pause_reason = ""
    request.waiting_for = ""
    return days
