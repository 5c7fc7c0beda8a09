"""The request's stored dates, recomputed from the clock after every change that moves
them: each part's (one per kind) first, then the request's, which are its earliest open
part's, and its routes' with them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from routing.models import PartStatus, Request, RequestPart, RouteAction
from routing.selectors.deadlines import kind_deadlines, local_today
from routing.selectors.parts import PARTS_HELD
from routing.services.reminders import next_reminder_at

_PART_FIELDS = [
    "status",
    "acknowledge_by",
    "due_on",
    "extendable_to",
    "extended_at",
    "extension_reason",
    "effective_due_on",
    "closed_at",
    "denial_ground",
    "explanation",
]


def request_parts(request: Request) -> list[RequestPart]:
    """The request's parts, in the order of its kinds; a new request's are built here and
    stored by ``save_parts`` once the request has its id."""
    rows: list[RequestPart] | None = getattr(request, PARTS_HELD, None)
    if rows is None:
        rows = list(request.parts.order_by("position")) if request.pk else []
        known = {part.kind for part in rows}
        for position, kind in enumerate(request.kinds or []):
            if kind not in known:
                rows.append(RequestPart(request=request, kind=kind, position=position))
        setattr(request, PARTS_HELD, rows)
    return rows


def binding_part(parts: list[RequestPart]) -> RequestPart | None:
    """The part whose date is the request's: the earliest open one, else the earliest."""
    pool = [part for part in parts if part.status == PartStatus.OPEN] or parts
    return min(pool, key=lambda p: (p.effective_due_on, p.position), default=None)


def set_dates(request: Request) -> None:
    per_kind = kind_deadlines(request)
    parts = request_parts(request)
    for part in parts:
        deadlines = per_kind[part.kind]
        part.acknowledge_by = deadlines.acknowledge_by
        part.due_on = deadlines.due_on
        part.extendable_to = deadlines.extended_due_on
        part.effective_due_on = (
            deadlines.extended_due_on
            if part.extended_at and deadlines.extended_due_on
            else deadlines.due_on
        )
        part.explanation = deadlines.explanation()
    binding = binding_part(parts)
    deadlines = per_kind[binding.kind if binding else ""]
    open_parts = [part for part in parts if part.status == PartStatus.OPEN] or parts
    acknowledge = [p.acknowledge_by for p in open_parts if p.acknowledge_by is not None]
    request.received_on = deadlines.received_on
    request.acknowledge_by = min(acknowledge, default=None)
    request.due_on = deadlines.due_on
    request.extended_due_on = deadlines.extended_due_on
    request.opt_out_due_on = deadlines.opt_out_due_on
    request.forward_due_on = min(d.forward_due_on for d in per_kind.values())
    if binding is not None:
        request.extended_at = binding.extended_at
        request.extension_reason = binding.extension_reason
        request.effective_due_on = binding.effective_due_on
    else:
        request.effective_due_on = (
            deadlines.extended_due_on
            if request.extended_at and deadlines.extended_due_on
            else deadlines.due_on
        )
    # A moved date moves the reminders; a closed or unverified request has none.
    request.next_reminder_at = next_reminder_at(request)


def save_parts(request: Request) -> None:
    """Store the parts ``set_dates`` (or a part's change) touched: new ones in one insert,
    the others in one update."""
    parts = request_parts(request)
    new = [part for part in parts if part.pk is None]
    for part in new:
        part.request = request
    if new:
        RequestPart.objects.bulk_create(new)
    old = [part for part in parts if part not in new]
    if old:
        RequestPart.objects.bulk_update(old, _PART_FIELDS)


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
