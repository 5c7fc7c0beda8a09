"""A request's routes: planned from the registry, forwarded to customers, and each route's
own moves (sent, acknowledged, done, not applicable, its customer set)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import cast

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from routing.domain.transitions import TransitionError
from routing.identifiers import InvalidIdentifier
from routing.models import (
    Customer,
    EventType,
    Request,
    Role,
    Route,
    RouteAction,
    RouteStatus,
    TargetType,
)
from routing.planning import Plan, PlanningError
from routing.selectors.registry import DatabaseRegistry
from routing.services.actors import Actor
from routing.services.consequences import Entry, event_record, events_record
from routing.services.forwarding import follow_up_time, forwardable
from routing.services.outbox import message_exists
from routing.services.requests.locking import locked_route

FORWARDER = Actor.system("forwarding")


def validation_from_planning(error: PlanningError | InvalidIdentifier) -> ValidationError:
    field = {"kind": "kinds", "scope": "scopes"}.get(error.field, error.field)
    message = error.message
    if isinstance(error, PlanningError) and error.valid:
        message += f" (valid: {', '.join(error.valid)})"
    return ValidationError({field: message})


def new_routes(request: Request, plan: Plan, registry: DatabaseRegistry) -> list[Route]:
    """The plan's routes as unsaved rows, scopes and customers from the registry."""
    snapshot = registry.snapshot
    routes = []
    for position, decision in enumerate(plan.routes):
        target = decision.target
        customer = (
            registry.customer_row(cast(int, target.ref))
            if target.type == TargetType.CUSTOMER
            else None
        )
        route = Route(
            request=request,
            scope=snapshot.scope_rows[decision.scope],
            position=position,
            role=decision.role,
            action=decision.action,
            target_type=target.type,
            customer=customer,
            third_party_id=snapshot.third_party_ids.get(str(target.ref))
            if target.type == TargetType.THIRD_PARTY
            else None,
            target_name=target.name or "",
            target_email=target.email or "",
            target_url=target.url or "",
            matched_by=decision.matched_by,
            tasks=[{"code": t.code, "text": t.text} for t in decision.tasks],
            explanation=decision.explanation,
            status=RouteStatus.NEEDS_CUSTOMER
            if target.type == TargetType.UNRESOLVED
            else RouteStatus.PENDING,
            due_on=request.forward_due_on
            if decision.action != RouteAction.FULFIL
            else request.effective_due_on,
        )
        routes.append(route)
    return routes


def insert_routes(routes: list[Route]) -> None:
    """One insert where the database gives the new ids back (emails name the routes)."""
    if connection.features.can_return_rows_from_bulk_insert:
        Route.objects.bulk_create(routes)
    else:
        for route in routes:
            route.save()


def forward(routes: Iterable[Route], request: Request, now: datetime) -> list[Route]:
    """Mark sent, in memory, each route that can go to its customer now (the caller saves
    them and records a ROUTE_SENT entry each, which sends the forward); returns those."""
    sent = []
    for route in routes:
        if not forwardable(route) or (route.pk and message_exists(f"forward:{route.pk}")):
            continue
        route.request = request
        route.status, route.sent_at = RouteStatus.SENT, now
        route.next_follow_up_at = follow_up_time(request, now)
        sent.append(route)
    return sent


def forward_entries(routes: Iterable[Route]) -> list[Entry]:
    return [
        Entry(FORWARDER, EventType.ROUTE_SENT, {"scope": r.scope.key, "forwarded": True}, r)
        for r in routes
    ]


def save_forwarded(routes: Iterable[Route]) -> None:
    for route in routes:
        route.save(update_fields=["status", "sent_at", "next_follow_up_at"])


_EVENTS = {
    "sent": EventType.ROUTE_SENT,
    "acknowledged": EventType.ROUTE_ACKNOWLEDGED,
    "done": EventType.ROUTE_DONE,
    "not_applicable": EventType.ROUTE_NOT_APPLICABLE,
}


def _route_step(route: Route, by: Actor, action: str) -> Route:
    with locked_route(route, action) as found:
        row, now = found.route, timezone.now()
        row.status = RouteStatus(action)
        if action == "sent":
            row.sent_at = now
        elif action == "acknowledged":
            row.acknowledged_at = now
        elif action == "done":
            row.done_at = now
        row.save()
        event_record(
            found.request,
            by,
            _EVENTS[action],
            route=row,
            status_before=found.status_before,
            scope=row.scope.key,
        )
    return route


def route_mark_sent(*, route: Route, by: Actor) -> Route:
    """Staff sent it themselves (the service sends nothing)."""
    return _route_step(route, by, "sent")


def route_mark_acknowledged(*, route: Route, by: Actor) -> Route:
    return _route_step(route, by, "acknowledged")


def route_mark_done(*, route: Route, by: Actor) -> Route:
    return _route_step(route, by, "done")


def route_mark_not_applicable(*, route: Route, by: Actor) -> Route:
    return _route_step(route, by, "not_applicable")


def customer_set_explanation(route: Route, request: Request, customer: Customer) -> str:
    """The route's sentence once staff named its customer, replacing the planner's (which
    said the customer was unknown, or named another one)."""
    scope = route.scope
    cite = f" (policy {scope.policy_section})" if scope.policy_section else ""
    if route.action == RouteAction.FORWARD:
        outcome = f"the request is forwarded to {customer.name}"
    else:
        outcome = f"the subject is redirected to {customer.name}, which answers the request"
    notes = scope.limits or {}
    limits = "".join(
        f" Limit on {kind.replace('_', ' ')}: {notes[kind].rstrip('.')}."
        for kind in request.kinds
        if kind in notes
    )
    return (
        f"{request.organisation.name} processes {scope.name} for its customer{cite}, so "
        f"{outcome}; staff identified {customer.name} as the customer concerned.{limits}"
    )


def route_set_customer(*, route: Route, customer: Customer, by: Actor) -> Route:
    """Resolve a route's target to a customer staff identified, and forward it to them."""
    with locked_route(route, "customer") as found:
        row = found.route
        if row.role != Role.PROCESSOR:
            raise TransitionError("Only a processor scope's route goes to a customer.")
        if customer.organisation_id != found.request.organisation_id:
            raise ValidationError({"customer": "Choose a customer of the request's organisation."})
        row.customer = customer
        row.target_type = TargetType.CUSTOMER
        row.target_name = customer.name
        row.target_email = customer.email
        row.matched_by = "set by staff"
        row.explanation = customer_set_explanation(row, found.request, customer)
        row.tasks = [t for t in row.tasks if t.get("code") != "identify_customer"]
        row.status = RouteStatus.PENDING
        row.save()
        # Forwarded before the events are written, so the subject reads where it went.
        forwarded = forward([row], found.request, timezone.now())
        save_forwarded(forwarded)
        events_record(
            found.request,
            [
                Entry(
                    by,
                    EventType.ROUTE_CUSTOMER_SET,
                    {"scope": row.scope.key, "customer": customer.name},
                    row,
                ),
                *forward_entries(forwarded),
            ],
            status_before=found.status_before,
        )
    return route
