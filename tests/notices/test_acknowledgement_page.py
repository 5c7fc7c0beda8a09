"""The customer's acknowledgement page tells the truth in every state: it offers the
button only while receipt can be confirmed, says who recorded a receipt and when, and never
claims a confirmation nobody made."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from routing.domain.links import acknowledge_url
from routing.models import Event, EventType, Route, RouteStatus, Scope
from routing.services.actors import Actor
from routing.services.requests import (
    request_complete,
    request_deny,
    request_mark_duplicate,
    request_withdraw,
    route_mark_acknowledged,
    route_mark_done,
    route_mark_not_applicable,
)
from tests.factories import StaffFactory, make_request
from tests.notices.conftest import forwarded_route

pytestmark = pytest.mark.django_db

BY = Actor.system("test")
BUTTON = "I have received this request"


def _path(route: Route) -> str:
    return "/" + acknowledge_url(route.pk).split("/", 3)[3]


def _page(client: Client, route: Route) -> str:
    response = client.get(_path(route))
    assert response.status_code == 200
    return response.content.decode()


def test_an_open_forward_offers_the_button(client: Client, ai_calls: Scope) -> None:
    route = forwarded_route(ai_calls)

    page = _page(client, route)

    assert BUTTON in page
    assert f"Confirm receipt of request {route.request.reference}" in page
    assert "confirmed" not in page.replace("Confirm receipt", "")


def test_after_the_button_the_page_says_when_and_that_it_was_the_button(
    client: Client, ai_calls: Scope, time_machine
) -> None:
    time_machine.move_to("2026-03-03T09:00:00+01:00", tick=False)
    route = forwarded_route(ai_calls)

    thanks = client.post(_path(route)).content.decode()
    again = _page(client, route)

    assert "Thank you" in thanks
    assert "now knows you received request" in thanks
    assert "Already confirmed" in again
    assert (
        f"Receipt of request {route.request.reference} was confirmed on 3 March 2026, "
        "with the button on this page." in again
    )
    assert BUTTON not in again


@pytest.mark.parametrize(
    ("actor", "words"),
    [
        ("staff", "was recorded on 3 March 2026 by {organisation}'s privacy team."),
        ("integration", "was recorded on 3 March 2026 through {organisation}'s own systems."),
    ],
)
def test_a_receipt_recorded_by_the_organisation_says_so(
    client: Client, ai_calls: Scope, time_machine, actor: str, words: str
) -> None:
    time_machine.move_to("2026-03-03T09:00:00+01:00", tick=False)
    route = forwarded_route(ai_calls)
    by = Actor.staff(StaffFactory()) if actor == "staff" else Actor.integration("Zendesk")
    route_mark_acknowledged(route=route, by=by)

    page = _page(client, route).replace("&#x27;", "'")

    assert "Already confirmed" in page
    assert words.format(organisation=ai_calls.organisation.name) in page
    assert "with the button" not in page


def test_an_answered_route_needs_nothing(client: Client, ai_calls: Scope, time_machine) -> None:
    time_machine.move_to("2026-03-03T09:00:00+01:00", tick=False)
    route = forwarded_route(ai_calls)
    route_mark_done(route=route, by=BY)

    page = _page(client, route)

    assert "Nothing to confirm" in page
    assert "as answered on 3 March 2026. Nothing more is needed from you." in page
    assert BUTTON not in page
    assert "confirmed" not in page


def test_a_route_that_does_not_apply_needs_nothing(client: Client, ai_calls: Scope) -> None:
    request = make_request(ai_calls.organisation, kinds=("erasure",), scopes=[ai_calls.key])
    route = Route.objects.get(request=request)
    route_mark_not_applicable(route=route, by=BY)

    page = _page(client, route)

    assert "does not concern the data it processes for you. Nothing is needed from you." in page
    assert BUTTON not in page


def test_a_route_not_forwarded_is_not_with_the_customer(client: Client, ai_calls: Scope) -> None:
    request = make_request(ai_calls.organisation, kinds=("erasure",), scopes=[ai_calls.key])
    route = Route.objects.get(request=request)
    assert route.status == RouteStatus.NEEDS_CUSTOMER

    page = _page(client, route)

    assert "is not with you at the moment" in page
    assert BUTTON not in page


def _close(how: str, route: Route) -> None:
    if how == "denied":
        request_deny(request=route.request, by=BY, ground="manifestly_unfounded")
    elif how == "withdrawn":
        request_withdraw(request=route.request, by=Actor.subject())
    elif how == "completed":
        request_complete(request=route.request, by=BY)
    else:
        earlier = make_request(
            route.request.organisation, kinds=("erasure",), scopes=[route.scope.key]
        )
        request_mark_duplicate(request=route.request, by=BY, of=earlier)


@pytest.mark.parametrize(
    ("how", "words"),
    [
        ("denied", "refused request {reference} on 4 March 2026 and will not act on it"),
        ("withdrawn", "The person withdrew request {reference} on 4 March 2026."),
        ("duplicate", "was closed on 4 March 2026 as a duplicate of an earlier request"),
        ("completed", "completed request {reference} on 4 March 2026."),
    ],
)
def test_a_request_closed_before_anyone_confirmed_says_it_is_closed(
    client: Client, ai_calls: Scope, time_machine, how: str, words: str
) -> None:
    time_machine.move_to("2026-03-02T10:00:00+01:00", tick=False)
    route = forwarded_route(ai_calls)
    time_machine.move_to("2026-03-04T10:00:00+01:00", tick=False)
    _close(how, route)

    page = _page(client, route)
    posted = client.post(_path(route)).content.decode()

    assert "This request is closed" in page
    assert words.format(reference=route.request.reference) in page
    assert "Nobody confirmed receipt before it was closed" in page
    assert "Already confirmed" not in page
    assert "was confirmed" not in page
    assert BUTTON not in page
    # Posting the old form changes nothing and says the same.
    assert "This request is closed" in posted
    assert not Event.objects.filter(type=EventType.ROUTE_ACKNOWLEDGED).exists()
    route.refresh_from_db()
    assert route.status == RouteStatus.SENT


def test_a_receipt_confirmed_before_the_closure_shows_both(
    client: Client, ai_calls: Scope, time_machine
) -> None:
    time_machine.move_to("2026-03-02T10:00:00+01:00", tick=False)
    route = forwarded_route(ai_calls)
    client.post(_path(route))
    time_machine.move_to("2026-03-04T10:00:00+01:00", tick=False)
    request_withdraw(request=route.request, by=Actor.subject())

    page = _page(client, route)

    assert "was confirmed on 2 March 2026, with the button on this page." in page
    assert "The person withdrew request" in page


def test_an_expired_link_is_not_valid(client: Client, ai_calls: Scope, time_machine) -> None:
    route = forwarded_route(ai_calls)
    path = _path(route)
    time_machine.move_to(timezone.now() + timedelta(days=91))

    response = client.get(path)

    assert response.status_code == 404
    assert "This link is not valid" in response.content.decode()
    assert "expired" in response.content.decode()


def test_an_altered_link_is_not_valid(client: Client, ai_calls: Scope) -> None:
    route = forwarded_route(ai_calls)

    response = client.post(_path(route).replace("/ack/", "/ack/x"))

    assert response.status_code == 404
    assert not Event.objects.filter(type=EventType.ROUTE_ACKNOWLEDGED).exists()


def test_the_page_is_in_the_customers_language(client: Client, ai_calls: Scope) -> None:
    organisation = ai_calls.organisation
    organisation.customer_language = "fr"
    organisation.save()
    route = forwarded_route(ai_calls)
    request_withdraw(request=route.request, by=Actor.subject())

    page = _page(client, route)

    assert '<html lang="fr">' in page
    assert "Cette demande est clôturée" in page
    assert "La personne a retiré la demande" in page
