"""Reads for the staff queue: which requests, in what order, how urgent, and what can be done.

Everything here is a read. Dates are compared in each organisation's own zone, because a
deadline ends at midnight where the organisation is, not where the server runs.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from contextlib import suppress
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from routing.identifiers import InvalidIdentifier, normalise_phone
from routing.models import (
    OPEN_STATUSES,
    ROUTE_OPEN_STATUSES,
    WORKING_STATUSES,
    Customer,
    Organisation,
    Request,
    Route,
    RouteStatus,
    Status,
)
from routing.selectors.deadlines import local_today

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


def assignable_staff(organisation_ids: Iterable[int]) -> QuerySet[Any]:
    """Active staff users who are members of every one of these organisations."""
    users = get_user_model().objects.filter(is_active=True, is_staff=True)
    ids = sorted(set(organisation_ids))
    if not ids:
        return users.none()
    for organisation_id in ids:
        # One join per organisation: a user must hold each membership, not just one.
        users = users.filter(memberships__organisation_id=organisation_id)
    return users.order_by("username")


def organisation_customers(organisation: Organisation) -> QuerySet[Customer]:
    return Customer.objects.filter(organisation=organisation).order_by("name")


# What the request page offers in each state. The services decide; these only spare staff
# buttons that would certainly be refused.


def request_next_actions(request: Request) -> frozenset[str]:
    actions = {"note"}
    if request.status in OPEN_STATUSES:
        actions |= {
            "assign",
            "assign_to_me",
            "deny",
            "withdraw",
            "mark_duplicate",
            "override_regime",
        }
    if request.status in (Status.NEW, Status.IN_PROGRESS):
        actions |= {"pause", "complete"}
    if request.status == Status.AWAITING_SUBJECT:
        actions.add("resume")
    if (
        request.status in WORKING_STATUSES
        and request.extended_at is None
        and request.extended_due_on is not None
    ):
        actions.add("extend")
    return frozenset(actions)


_ROUTE_STEPS: dict[str, tuple[str, ...]] = {
    RouteStatus.PENDING: ("sent", "done", "not_applicable"),
    RouteStatus.NEEDS_CUSTOMER: ("not_applicable",),
    RouteStatus.SENT: ("acknowledged", "done"),
    RouteStatus.ACKNOWLEDGED: ("done",),
}


def route_next_steps(route: Route, request: Request) -> tuple[str, ...]:
    """Buttons for one route; a processor route may also have its customer set."""
    if request.status not in WORKING_STATUSES:
        return ()
    steps = _ROUTE_STEPS.get(route.status, ())
    if route.role == "processor" and route.status in ROUTE_OPEN_STATUSES:
        steps = (*steps, "customer")
    return steps
