"""Closing a request: completion once every route is dealt with, and refusals that tell
the subject where to complain."""

from __future__ import annotations

import pytest

from routing.domain.denials import DENIAL_GROUNDS, denial_text
from routing.models import Organisation, RouteStatus, Status, WaitingFor
from routing.services.requests import (
    TransitionError,
    request_complete,
    request_deny,
    request_pause,
    route_mark_done,
    route_mark_not_applicable,
    route_mark_sent,
)
from tests.factories import make_request
from tests.requests.helpers import snapshot

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("ground", sorted(DENIAL_GROUNDS))
def test_denial_names_the_authority_and_the_judicial_remedy(registry, by, ground) -> None:
    request = make_request("callkom")
    if ground == "identity_not_verified":
        request_pause(request=request, by=by, reason="ID card", waiting_for=WaitingFor.IDENTITY)

    request_deny(request=request, by=by, ground=ground, note="see file")

    assert request.status == Status.DENIED
    assert request.denial_ground == ground
    text = denial_text(request)
    assert "Callkom" in text
    assert "complaint with CNIL (https://www.cnil.fr)" in text
    assert "judicial remedy" in text
    assert request.events.get(type="denied").data == {"ground": ground, "note": "see file"}


@pytest.mark.parametrize("ground", sorted(DENIAL_GROUNDS))
def test_denial_without_a_named_authority_still_names_the_remedies(registry, by, ground) -> None:
    comfile = Organisation.objects.get(slug="comfile-360")
    assert not comfile.authority_name
    request = make_request(comfile)
    if ground == "identity_not_verified":
        request_pause(request=request, by=by, reason="ID card", waiting_for=WaitingFor.IDENTITY)

    request_deny(request=request, by=by, ground=ground)

    text = denial_text(request)
    assert "()" not in text
    assert "judicial remedy" in text


def test_denial_under_uk_gdpr_names_the_ico(registry, by) -> None:
    request = make_request("clickacall", country="GB")

    request_deny(request=request, by=by, ground="manifestly_unfounded")

    assert "Information Commissioner's Office (https://ico.org.uk)" in denial_text(request)


def test_complete_is_refused_while_routes_are_open(registry, by) -> None:
    request = make_request("callkom")
    routes = list(request.routes.all())
    assert len(routes) > 1
    route_mark_done(route=routes[0], by=by)
    before = snapshot(request)

    with pytest.raises(TransitionError) as error:
        request_complete(request=request, by=by)

    assert error.value.code == "routes_open"
    assert routes[1].scope.key in error.value.message
    assert snapshot(request) == before


def test_a_route_waiting_for_its_customer_blocks_completion(registry, by) -> None:
    request = make_request(
        kinds=("objection",), scopes=["callkom:ai-calls"], identifiers={"phone": "01 99 00 99 99"}
    )
    assert request.routes.get().status == RouteStatus.NEEDS_CUSTOMER
    before = snapshot(request)

    with pytest.raises(TransitionError):
        request_complete(request=request, by=by)

    assert snapshot(request) == before


def test_complete_once_every_route_is_done_sent_or_not_applicable(registry, by) -> None:
    request = make_request("callkom")
    first, second, *others = request.routes.all()
    route_mark_sent(route=first, by=by)
    route_mark_not_applicable(route=second, by=by)
    for route in others:
        route_mark_done(route=route, by=by)

    request_complete(request=request, by=by, note="All answered.")

    assert request.status == Status.COMPLETED
    assert request.closed_at is not None
    assert request.outcome_note == "All answered."
