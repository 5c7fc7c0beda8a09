"""Every lifecycle transition, from every status: allowed moves happen and write their
event; refused ones raise TransitionError and change nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from routing.domain.transitions import ROUTE_ACTIONS_WHEN
from routing.domain.transitions import TRANSITIONS as STATE_MACHINE
from routing.models import Request, Route, RouteStatus, Status
from routing.services.actors import Actor
from routing.services.requests import (
    TransitionError,
    request_assign,
    request_complete,
    request_deny,
    request_expire_unverified,
    request_extend,
    request_mark_duplicate,
    request_note,
    request_override_regime,
    request_pause,
    request_replan,
    request_resume,
    request_verify,
    request_withdraw,
    route_mark_acknowledged,
    route_mark_done,
    route_mark_not_applicable,
    route_mark_sent,
    route_set_customer,
)
from tests.factories import make_request
from tests.requests.helpers import event_types, request_in, snapshot

pytestmark = pytest.mark.django_db

ALL = tuple(Status)


def _close_routes(request: Request) -> None:
    # Set-up only: lets "complete" be tried from NEW, where a route service would
    # already have moved the request to IN_PROGRESS.
    Route.objects.filter(request=request).update(status=RouteStatus.NOT_APPLICABLE)


@dataclass(frozen=True)
class Transition:
    # The action's key in the state machine's table, which says where it is allowed.
    name: str
    call: Callable[[Request, Actor, Any], Request]
    event: str
    # Status after the move; None = unchanged.
    becomes: Callable[[str], str] | None = None
    prepare: Callable[[Request], None] | None = None

    @property
    def allowed(self) -> tuple[str, ...]:
        return STATE_MACHINE[self.name].allowed


def _mark_duplicate(request: Request, by: Actor, staff: Any) -> Request:
    original = make_request(email="first@example.org")
    return request_mark_duplicate(request=request, by=by, of=original)


TRANSITIONS = (
    Transition(
        "verify",
        lambda r, by, staff: request_verify(request=r, by=by),
        "verified",
        lambda s: Status.NEW,
    ),
    Transition(
        "assign",
        lambda r, by, staff: request_assign(request=r, assignee=staff, by=by),
        "assigned",
        lambda s: Status.IN_PROGRESS if s == Status.NEW else s,
    ),
    Transition(
        "pause",
        lambda r, by, staff: request_pause(request=r, by=by, reason="proof of identity"),
        "paused",
        lambda s: Status.AWAITING_SUBJECT,
    ),
    Transition(
        "resume",
        lambda r, by, staff: request_resume(request=r, by=by),
        "resumed",
        lambda s: Status.IN_PROGRESS,
    ),
    Transition(
        "extend",
        lambda r, by, staff: request_extend(request=r, by=by, reason="many systems to search"),
        "extended",
    ),
    Transition(
        "regime",
        lambda r, by, staff: request_override_regime(
            request=r, by=by, regime="uk-gdpr", reason="subject lives in London"
        ),
        "regime_overridden",
    ),
    Transition(
        "complete",
        lambda r, by, staff: request_complete(request=r, by=by, note="answered"),
        "completed",
        lambda s: Status.COMPLETED,
        prepare=_close_routes,
    ),
    Transition(
        "deny",
        lambda r, by, staff: request_deny(request=r, by=by, ground="excessive"),
        "denied",
        lambda s: Status.DENIED,
    ),
    Transition(
        "withdraw",
        lambda r, by, staff: request_withdraw(request=r, by=by),
        "withdrawn",
        lambda s: Status.WITHDRAWN,
    ),
    Transition(
        "duplicate",
        _mark_duplicate,
        "marked_duplicate",
        lambda s: Status.DUPLICATE,
    ),
    Transition(
        "expire",
        lambda r, by, staff: request_expire_unverified(request=r, by=by),
        "expired",
        lambda s: Status.EXPIRED,
    ),
    Transition(
        "replan",
        lambda r, by, staff: request_replan(request=r, by=by),
        "routes_planned",
    ),
)

CASES = [
    pytest.param(t, status, status in t.allowed, id=f"{t.name}-from-{status}")
    for t in TRANSITIONS
    for status in ALL
]


@pytest.mark.parametrize(("transition", "status", "allowed"), CASES)
def test_transition_from_each_status(staff, by, transition, status, allowed) -> None:
    request = request_in(status, staff)
    if transition.prepare is not None:
        transition.prepare(request)
    before = snapshot(request)

    if not allowed:
        with pytest.raises(TransitionError):
            transition.call(request, by, staff)
        assert snapshot(request) == before, "a refused transition must change nothing"
        return

    transition.call(request, by, staff)
    request.refresh_from_db()
    expected = transition.becomes(status) if transition.becomes else status
    assert request.status == expected
    # Its event, possibly followed by those of what it set off (forwarding on verify).
    assert event_types(request)[before["events"]] == transition.event


def test_closing_sets_closed_at_and_leaves_no_pause(staff, by) -> None:
    request = request_in(Status.AWAITING_SUBJECT, staff)

    request_withdraw(request=request, by=by, note="subject wrote back")

    assert request.closed_at is not None
    assert request.paused_since is None
    assert not request.is_open


def test_note_is_added_in_any_status_and_needs_text(staff, by) -> None:
    request = request_in(Status.COMPLETED, staff)

    event = request_note(request=request, by=by, text="  called the subject back  ")

    assert event.type == "note"
    assert event.data == {"text": "called the subject back"}
    before = snapshot(request)
    with pytest.raises(ValidationError):
        request_note(request=request, by=by, text="   ")
    assert snapshot(request) == before


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda r, by: request_pause(request=r, by=by, reason=" "), "reason"),
        (lambda r, by: request_extend(request=r, by=by, reason=""), "reason"),
        (lambda r, by: request_deny(request=r, by=by, ground="bored"), "ground"),
        (
            lambda r, by: request_override_regime(request=r, by=by, regime="mars", reason="x"),
            "regime",
        ),
        (
            lambda r, by: request_override_regime(request=r, by=by, regime="ccpa", reason=""),
            "reason",
        ),
    ],
    ids=["pause-without-reason", "extend-without-reason", "deny-unknown-ground",
         "override-unknown-regime", "override-without-reason"],
)  # fmt: skip
def test_invalid_arguments_are_refused_before_anything_changes(staff, by, call, field) -> None:
    request = request_in(Status.IN_PROGRESS, staff)
    before = snapshot(request)

    with pytest.raises(ValidationError) as error:
        call(request, by)

    assert field in error.value.message_dict
    assert snapshot(request) == before


def test_mark_duplicate_without_an_original_is_refused(staff, by) -> None:
    request = make_request()
    before = snapshot(request)

    with pytest.raises(TransitionError) as error:
        request_mark_duplicate(request=request, by=by)

    assert error.value.code == "no_original"
    assert snapshot(request) == before


def test_mark_duplicate_of_another_organisations_request_is_refused(staff, by) -> None:
    request = make_request("callkom")
    foreign = make_request("comfortclick", email="someone@example.org")
    before = snapshot(request)

    with pytest.raises(TransitionError):
        request_mark_duplicate(request=request, by=by, of=foreign)

    assert snapshot(request) == before


def test_replan_is_refused_once_a_route_was_acted_on(staff, by) -> None:
    request = make_request()
    route_mark_sent(route=request.routes.all()[0], by=by)
    before = snapshot(request)

    with pytest.raises(TransitionError):
        request_replan(request=request, by=by)

    assert snapshot(request) == before


# --- routes -------------------------------------------------------------------------------


def _unresolved_route() -> Route:
    """The AI-call route of a Callkom request whose calling number finds no customer."""
    request = make_request(
        kinds=("objection",),
        scopes=["callkom:ai-calls"],
        identifiers={"phone": "+33 1 99 00 99 99"},
    )
    return request.routes.get()


def _route_in(status: str, by: Actor) -> Route:
    if status == RouteStatus.NEEDS_CUSTOMER:
        return _unresolved_route()
    # A route the organisation fulfils itself stays pending until staff act on it.
    route = make_request().routes.filter(action="fulfil").first()
    assert route is not None
    assert route.status == RouteStatus.PENDING
    if status == RouteStatus.SENT:
        route_mark_sent(route=route, by=by)
    elif status == RouteStatus.ACKNOWLEDGED:
        route_mark_sent(route=route, by=by)
        route_mark_acknowledged(route=route, by=by)
    elif status == RouteStatus.DONE:
        route_mark_done(route=route, by=by)
    elif status == RouteStatus.NOT_APPLICABLE:
        route_mark_not_applicable(route=route, by=by)
    route.refresh_from_db()
    return route


ROUTE_TRANSITIONS = {
    "mark sent": (route_mark_sent, (RouteStatus.PENDING,), RouteStatus.SENT),
    "mark acknowledged": (route_mark_acknowledged, (RouteStatus.SENT,), RouteStatus.ACKNOWLEDGED),
    "mark done": (
        route_mark_done,
        (RouteStatus.PENDING, RouteStatus.SENT, RouteStatus.ACKNOWLEDGED),
        RouteStatus.DONE,
    ),
    "mark not applicable": (
        route_mark_not_applicable,
        (RouteStatus.PENDING, RouteStatus.NEEDS_CUSTOMER),
        RouteStatus.NOT_APPLICABLE,
    ),
}

ROUTE_CASES = [
    pytest.param(name, status, id=f"{name}-from-{status}")
    for name in ROUTE_TRANSITIONS
    for status in RouteStatus
]


@pytest.mark.parametrize(("name", "status"), ROUTE_CASES)
def test_route_transition_from_each_status(staff, by, name, status) -> None:
    call, allowed, becomes = ROUTE_TRANSITIONS[name]
    route = _route_in(status, by)
    request = route.request
    before = snapshot(request)

    if status not in allowed:
        with pytest.raises(TransitionError):
            call(route=route, by=by)
        assert snapshot(request) == before
        return

    call(route=route, by=by)
    route.refresh_from_db()
    assert route.status == becomes
    assert event_types(request)[before["events"]] == f"route_{becomes}"


@pytest.mark.parametrize("status", [s for s in Status if s not in ROUTE_ACTIONS_WHEN])
def test_route_steps_are_refused_unless_the_request_is_being_worked_on(staff, by, status) -> None:
    request = request_in(status, staff)
    route = request.routes.all()[0]
    before = snapshot(request)

    with pytest.raises(TransitionError):
        route_mark_done(route=route, by=by)

    assert snapshot(request) == before


def test_a_route_step_starts_work_on_a_new_request(staff, by) -> None:
    request = make_request()

    route_mark_done(route=request.routes.all()[0], by=by)

    request.refresh_from_db()
    assert request.status == Status.IN_PROGRESS


def test_setting_a_customer_resolves_a_route_that_needs_one(staff, by) -> None:
    route = _unresolved_route()
    customer = route.request.organisation.customers.get(name="Cabinet Fictif Conseil")

    route_set_customer(route=route, customer=customer, by=by)

    route.refresh_from_db()
    assert route.status != RouteStatus.NEEDS_CUSTOMER
    assert route.customer == customer
    assert all(task["code"] != "identify_customer" for task in route.tasks)
    assert "route_customer_set" in event_types(route.request)


@pytest.mark.parametrize("status", [RouteStatus.SENT, RouteStatus.DONE, RouteStatus.NOT_APPLICABLE])
def test_setting_a_customer_on_a_route_already_acted_on_is_refused(staff, by, status) -> None:
    route = _unresolved_route()
    customer = route.request.organisation.customers.get(name="Cabinet Fictif Conseil")
    if status == RouteStatus.NOT_APPLICABLE:
        route_mark_not_applicable(route=route, by=by)
    else:
        route_set_customer(route=route, customer=customer, by=by)
        route.refresh_from_db()
        if route.status == RouteStatus.PENDING:
            route_mark_sent(route=route, by=by)
        if status == RouteStatus.DONE:
            route_mark_done(route=route, by=by)
    before = snapshot(route.request)

    with pytest.raises(TransitionError):
        route_set_customer(route=route, customer=customer, by=by)

    assert snapshot(route.request) == before


def test_a_route_the_organisation_fulfils_takes_no_customer(staff, by) -> None:
    route = _route_in(RouteStatus.PENDING, by)
    customer = route.request.organisation.customers.all()[0]
    before = snapshot(route.request)

    with pytest.raises(TransitionError):
        route_set_customer(route=route, customer=customer, by=by)

    assert snapshot(route.request) == before


def test_a_customer_of_another_organisation_is_refused(staff, by) -> None:
    route = _unresolved_route()
    foreign = make_request("comfile-360").organisation.customers.all()[0]
    before = snapshot(route.request)

    with pytest.raises(ValidationError):
        route_set_customer(route=route, customer=foreign, by=by)

    assert snapshot(route.request) == before


def test_every_action_of_the_state_machine_is_tried_here() -> None:
    assert {t.name for t in TRANSITIONS} == set(STATE_MACHINE)


@pytest.mark.parametrize("transition", TRANSITIONS, ids=lambda t: t.name)
def test_each_move_leads_where_the_table_says(transition) -> None:
    target = STATE_MACHINE[transition.name].to
    for status in transition.allowed:
        expected = transition.becomes(status) if transition.becomes else status
        if target is not None:
            assert expected == target
