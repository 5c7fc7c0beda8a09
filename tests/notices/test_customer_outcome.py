"""A customer who was forwarded a request hears how it ended, in the organisation's
language for customers, and what is still theirs to do."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from routing.models import EventType, OutboundMessage, Route, RouteStatus, Scope
from routing.services.actors import Actor
from routing.services.consequences import event_record
from routing.services.forwarding import follow_ups_sweep
from routing.services.requests import (
    request_complete,
    request_deny,
    request_mark_duplicate,
    request_withdraw,
    route_mark_acknowledged,
    route_mark_done,
)
from tests.factories import make_request
from tests.notices.conftest import forwarded_route

pytestmark = pytest.mark.django_db

BY = Actor.system("test")


def _outcome_emails() -> list[OutboundMessage]:
    return list(OutboundMessage.objects.filter(template="customer_outcome").order_by("id"))


def test_a_refusal_tells_the_customer_not_to_act_unless_it_must_itself(ai_calls: Scope) -> None:
    route = forwarded_route(ai_calls)

    request_deny(request=route.request, by=BY, ground="manifestly_unfounded")

    (message,) = _outcome_emails()
    assert message.recipient == "privacy@maison.example"
    assert message.route == route
    assert route.request.reference in message.subject
    assert message.subject.endswith(": refused")
    assert message.body_text.startswith("Hello Maison Exemple,")
    assert "has refused the request. It will not act on it" in message.body_text
    assert "no action is expected from you on what it forwarded, unless you have obligations" in (
        message.body_text
    )


def test_a_withdrawal_tells_the_customer_nothing_more_is_needed(ai_calls: Scope) -> None:
    route = forwarded_route(ai_calls)
    route_mark_acknowledged(route=route, by=BY)

    request_withdraw(request=route.request, by=Actor.subject())

    (message,) = _outcome_emails()
    assert message.subject.endswith(": withdrawn")
    assert "The person has withdrawn the request. No further action is needed" in (
        message.body_text
    )


def test_a_duplicate_closure_names_the_earlier_request(ai_calls: Scope) -> None:
    earlier = forwarded_route(ai_calls).request
    route = forwarded_route(ai_calls)

    request_mark_duplicate(request=route.request, by=BY, of=earlier)

    (message,) = _outcome_emails()
    assert message.route == route
    assert f"a duplicate of an earlier request by the same person, {earlier.reference}" in (
        message.body_text
    )
    assert f"No further action is needed from you on {route.request.reference}." in (
        message.body_text
    )


def test_a_completion_leaves_the_forwarded_part_to_the_customer(ai_calls: Scope) -> None:
    route = forwarded_route(ai_calls)

    request_complete(request=route.request, by=BY)

    (message,) = _outcome_emails()
    assert "has completed the request on its side." in message.body_text
    assert "still yours to answer as the controller" in message.body_text
    # A date the way English writes it, never ISO.
    assert not re.search(r"\d{4}-\d{2}-\d{2}", message.body_text)


def test_a_customer_who_answered_or_was_never_sent_the_request_hears_nothing(
    ai_calls: Scope,
) -> None:
    answered = forwarded_route(ai_calls)
    route_mark_done(route=answered, by=BY)
    unresolved = make_request(ai_calls.organisation, kinds=("erasure",), scopes=[ai_calls.key])
    assert Route.objects.get(request=unresolved).status == RouteStatus.NEEDS_CUSTOMER

    request_deny(request=answered.request, by=BY, ground="manifestly_unfounded")
    request_deny(request=unresolved, by=BY, ground="manifestly_unfounded")

    assert _outcome_emails() == []


def test_a_refusal_of_some_parts_names_them(ai_calls: Scope) -> None:
    route = forwarded_route(ai_calls, kinds=("access", "erasure"))

    event_record(route.request, BY, EventType.DENIED, ground="excessive", kinds=["erasure"])

    (message,) = _outcome_emails()
    assert "has refused these parts of the request: Right to erasure (Art. 17)." in (
        message.body_text
    )
    subject_email = OutboundMessage.objects.get(template="request_denied")
    assert "these parts of your request: Right to erasure (Art. 17)." in subject_email.body_text
    assert "Right of access" not in subject_email.body_text


def test_each_event_tells_the_customer_once(ai_calls: Scope) -> None:
    route = forwarded_route(ai_calls)
    request_withdraw(request=route.request, by=BY)
    route.request.refresh_from_db()

    assert len(_outcome_emails()) == 1


def test_no_follow_up_reaches_a_customer_once_the_request_is_closed(ai_calls: Scope) -> None:
    route = forwarded_route(ai_calls)
    request_withdraw(request=route.request, by=BY)

    follow_ups_sweep(now=timezone.now() + timedelta(days=5))

    assert not OutboundMessage.objects.filter(template="forward_follow_up").exists()


def test_no_staff_task_about_a_silent_customer_once_the_request_is_closed(ai_calls) -> None:
    route = forwarded_route(ai_calls)
    request_withdraw(request=route.request, by=BY)

    swept = follow_ups_sweep(now=timezone.now() + timedelta(days=5))
    swept += follow_ups_sweep(now=timezone.now() + timedelta(days=15))

    assert swept == 0
    assert not route.request.events.filter(type=EventType.STAFF_TASK).exists()
