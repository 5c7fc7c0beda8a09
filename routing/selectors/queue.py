"""Reads for the staff queue: which requests, in what order, how urgent, and what can be done.

Everything here is a read. Dates are compared in each organisation's own zone, because a
deadline ends at midnight where the organisation is, not where the server runs. The API's
list filters use the same conditions (``kind_q``, ``overdue_q``), so both answer alike.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from contextlib import suppress
from datetime import date, datetime, timedelta

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from routing.clock import REGIMES
from routing.domain.transitions import allowed_actions, allowed_route_actions
from routing.identifiers import InvalidIdentifier, normalise_phone
from routing.models import (
    OPEN_STATUSES,
    ROUTE_OPEN_STATUSES,
    WORKING_STATUSES,
    Customer,
    Organisation,
    Request,
    Role,
    Route,
)
from routing.selectors.deadlines import local_today

# The queue's default and the dashboard's "open": open requests the subject confirmed.
# An unconfirmed one is not work yet (it may never be confirmed, and then expires).
CONFIRMED_OPEN_STATUSES = WORKING_STATUSES

# Days left at which the queue turns a due date amber, then red.
AMBER_BELOW = 10
RED_BELOW = 5

DUE_BUCKETS = {
    "overdue": "overdue",
    "this_week": "due within 7 days",
    "next_two_weeks": "due in 7 to 20 days",
}


def with_queue_columns(queryset: QuerySet[Request]) -> QuerySet[Request]:
    """Everything a queue row shows, in the one query that lists the page.

    The open-route count is a subquery rather than a joined Count, so filters that join
    routes (route action, route status) cannot inflate it.
    """
    open_routes = (
        Route.objects.filter(request=OuterRef("pk"), status__in=ROUTE_OPEN_STATUSES)
        .order_by()
        .values("request")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return queryset.select_related("organisation", "assignee", "possible_duplicate_of").annotate(
        routes_to_act=Coalesce(Subquery(open_routes, output_field=IntegerField()), 0)
    )


def _pause_moves_date() -> Q:
    """Requests whose clock a pause stops: while paused they are neither overdue nor due
    soon, since resuming moves the date. Where a law stops it only for some kinds (UK
    GDPR: access), a request of one such kind."""
    matches = Q(pk__in=[])
    for key, regime in REGIMES.items():
        if not regime.pauses_clock:
            continue
        if regime.pause_kinds is None:
            matches |= Q(regime=key)
        else:
            for kind in sorted(regime.pause_kinds):
                matches |= Q(regime=key, kinds=[kind])
    return matches


PAUSE_MOVES_DATE = _pause_moves_date()


def clock_stopped_q() -> Q:
    """Paused requests whose date the pause moves: the dashboard's "clock stopped", left
    out of its overdue and due-this-week figures, and the queue's "clock" filter."""
    return Q(paused_since__isnull=False) & PAUSE_MOVES_DATE


def days_left(request: Request, now: datetime | None = None) -> int:
    """Whole days from today, in the organisation's zone, to the effective due date."""
    return (request.effective_due_on - local_today(request.organisation, now)).days


def due_risk(days: int) -> str:
    """``ok`` (green), ``soon`` (amber) or ``urgent`` (red, also when overdue)."""
    if days < RED_BELOW:
        return "urgent"
    if days < AMBER_BELOW:
        return "soon"
    return "ok"


def _organisations_by_today(
    organisations: Iterable[Organisation], now: datetime | None
) -> dict[date, list[int]]:
    by_today: dict[date, list[int]] = defaultdict(list)
    for organisation in organisations:
        by_today[local_today(organisation, now)].append(organisation.pk)
    return by_today


def due_bucket_q(
    bucket: str, organisations: Iterable[Organisation], now: datetime | None = None
) -> Q:
    """Open requests whose due date falls in ``bucket``, each counted in its own zone.

    Organisations sharing a local date share one clause, so the condition stays small.
    """
    if bucket not in DUE_BUCKETS:
        raise ValueError(f"Unknown due bucket {bucket!r}; valid: {', '.join(DUE_BUCKETS)}.")
    condition = Q(pk__in=[])
    for today, ids in _organisations_by_today(organisations, now).items():
        if bucket == "overdue":
            dates = Q(effective_due_on__lt=today)
        elif bucket == "this_week":
            dates = Q(effective_due_on__gte=today, effective_due_on__lt=today + timedelta(days=7))
        else:
            dates = Q(
                effective_due_on__gte=today + timedelta(days=7),
                effective_due_on__lt=today + timedelta(days=21),
            )
        condition |= Q(organisation_id__in=ids) & dates
    return condition & Q(status__in=OPEN_STATUSES)


def overdue_q(organisations: Iterable[Organisation], now: datetime | None = None) -> Q:
    """Open requests past their effective due date, each in its organisation's zone: the
    queue's "overdue" bucket and the API's ``overdue`` filter."""
    return due_bucket_q("overdue", organisations, now)


def kind_q(kind: str) -> Q:
    """Requests whose ``kinds`` list holds ``kind``.

    JSON containment (``kinds__contains``) exists on PostgreSQL only; matching the quoted
    name in the JSON text works on SQLite and PostgreSQL alike, and the quotes keep
    ``objection`` from matching ``marketing_objection``.
    """
    return Q(kinds__icontains=f'"{kind}"')


def route_q(*, action: str | None = None, status: str | None = None) -> Exists:
    """Requests having at least one route with this action and/or status.

    ``status="needs_action"`` means pending or waiting for its customer.
    """
    routes = Route.objects.filter(request=OuterRef("pk"))
    if action:
        routes = routes.filter(action=action)
    if status == "needs_action":
        routes = routes.filter(status__in=ROUTE_OPEN_STATUSES)
    elif status:
        routes = routes.filter(status=status)
    return Exists(routes)


_REFERENCE = re.compile(r"^\s*([A-Za-z]{1,8})[\s/_-]*(\d{4})[\s/_-]*(\d{1,6})\s*$")
_PHONE_CHARS = re.compile(r"^[\d\s().+/-]+$")


def reference_forms(term: str) -> list[str]:
    """``ck 2026 12`` or ``CK-2026-12`` as the stored ``CK-2026-000012``."""
    match = _REFERENCE.match(term)
    if not match:
        return []
    prefix, year, number = match.groups()
    return [f"{prefix.upper()}-{year}-{int(number):06d}"]


def phone_forms(term: str, regions: Sequence[str]) -> list[str]:
    """E.164 forms of a number typed with spaces, dots or a national prefix.

    A national number is read in each region given (the organisations' countries), since
    the same digits differ by country.
    """
    text = term.strip()
    if not _PHONE_CHARS.match(text) or sum(ch.isdigit() for ch in text) < 6:
        return []
    if text.startswith("00"):
        text = "+" + text[2:]
    candidates: list[str | None] = [None] if text.startswith("+") else list(regions)
    forms: list[str] = []
    for region in candidates:
        with suppress(InvalidIdentifier):
            e164 = normalise_phone(text, default_region=region).e164
            if e164 not in forms:
                forms.append(e164)
    return forms


def organisation_customers(organisation: Organisation) -> QuerySet[Customer]:
    return Customer.objects.filter(organisation=organisation).order_by("name")


# What the request page offers in each state. The services decide; these only spare staff
# buttons that would certainly be refused.


# The admin's names for the state machine's actions (routing.domain.transitions).
_ADMIN_ACTIONS = {
    "assign": "assign",
    "assign_to_me": "assign",
    "pause": "pause",
    "resume": "resume",
    "extend": "extend",
    "complete": "complete",
    "deny": "deny",
    "withdraw": "withdraw",
    "mark_duplicate": "duplicate",
    "override_regime": "regime",
}


def request_next_actions(request: Request) -> frozenset[str]:
    """The admin's actions the request's status allows; a note is always allowed, and an
    extension only while the regime has one left."""
    allowed = set(allowed_actions(request.status))
    actions = {"note"} | {name for name, key in _ADMIN_ACTIONS.items() if key in allowed}
    if request.extended_at is not None or request.extended_due_on is None:
        actions.discard("extend")
    return frozenset(actions)


def route_next_steps(route: Route, request: Request) -> tuple[str, ...]:
    """Buttons for one route; a processor route may also have its customer set."""
    steps = allowed_route_actions(request.status, route.status)
    # "customer" is for a processor route only.
    return tuple(s for s in steps if s != "customer" or route.role == Role.PROCESSOR)
