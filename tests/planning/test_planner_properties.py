"""Properties of the planner over the shipped registry, with generated requests."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from routing.planning import (
    ROLE_ACTIONS,
    Identifiers,
    InMemoryRegistry,
    OrganisationSpec,
    Plan,
    plan_routes,
)

REGISTRY = InMemoryRegistry.load()
ORGANISATIONS = REGISTRY.files.organisations


def _values(kind: str) -> list[str]:
    return sorted({value for c in REGISTRY.customers for k, value in c.identifiers if k == kind})


# Known customers' identifiers, plus fiction-range values that match no one.
PHONES = [*_values("phone"), "+33199009999", "+447700900999", "+12135550199"]
WEBSITES = [*_values("website"), "nobody.example", "elsewhere.example.net"]
WHATSAPPS = [*_values("whatsapp"), "+33639989999"]


@dataclass(frozen=True)
class Request:
    organisation: OrganisationSpec
    kinds: list[str]
    scopes: list[str] | None
    identifiers: Identifiers


@st.composite
def requests(draw: st.DrawFn, *, named_scopes: bool | None = None) -> Request:
    organisation = draw(st.sampled_from(ORGANISATIONS))
    kinds = draw(st.lists(st.sampled_from(organisation.kinds), min_size=1, unique=True))
    some_scopes = st.lists(st.sampled_from(organisation.scope_keys), min_size=1, unique=True)
    if named_scopes is None:
        scopes = draw(st.none() | some_scopes)
    else:
        scopes = draw(some_scopes) if named_scopes else None
    identifiers = Identifiers(
        phone=draw(st.none() | st.sampled_from(PHONES)),
        website=draw(st.none() | st.sampled_from(WEBSITES)),
        whatsapp=draw(st.none() | st.sampled_from(WHATSAPPS)),
    )
    return Request(organisation, kinds, scopes, identifiers)


def plan(request: Request, kinds: list[str] | None = None, scopes: list[str] | None = None) -> Plan:
    return plan_routes(
        REGISTRY,
        organisation=request.organisation.slug,
        kinds=request.kinds if kinds is None else kinds,
        scopes=request.scopes if scopes is None else scopes,
        identifiers=request.identifiers,
    )


@given(requests(), st.randoms(use_true_random=False))
def test_same_request_gives_the_same_plan_in_any_order(
    request: Request, rnd: random.Random
) -> None:
    first = plan(request)
    kinds = list(request.kinds)
    rnd.shuffle(kinds)
    scopes = None
    if request.scopes is not None:
        scopes = list(request.scopes)
        rnd.shuffle(scopes)

    again = plan(request, kinds=kinds, scopes=scopes)

    assert again == first
    assert json.dumps(again.as_json(), sort_keys=True) == json.dumps(
        first.as_json(), sort_keys=True
    )


@given(requests(named_scopes=True))
def test_every_named_scope_gets_exactly_one_route_in_file_order(request: Request) -> None:
    result = plan(request)

    assert request.scopes is not None
    expected = [key for key in request.organisation.scope_keys if key in request.scopes]
    assert [route.scope for route in result.routes] == expected


@given(requests(named_scopes=False))
def test_without_scopes_only_controller_and_matched_processor_scopes_are_routed(
    request: Request,
) -> None:
    result = plan(request)

    customer_values = {
        (kind, value)
        for customer in REGISTRY.customers
        if customer.organisation == request.organisation.slug
        for kind, value in customer.identifiers
    }
    expected = [
        scope.key
        for scope in request.organisation.scopes
        if scope.role == "controller"
        or (
            scope.role == "processor"
            and any(
                (kind, request.identifiers.get(kind)) in customer_values
                for kind in scope.identifier_types
            )
        )
    ]
    assert [route.scope for route in result.routes] == expected
    assert all(route.role != "independent_controller" for route in result.routes)
    assert all(route.target.type != "unresolved" for route in result.routes)


@given(requests())
def test_every_route_is_consistent_with_its_role(request: Request) -> None:
    result = plan(request)

    assert result.kinds == tuple(k for k in request.organisation.kinds if k in request.kinds)
    for route in result.routes:
        codes = [task.code for task in route.tasks]
        assert route.action in ROLE_ACTIONS[route.role]
        assert route.kinds == result.kinds
        assert (route.target.type == "unresolved") == ("identify_customer" in codes)
        if route.target.type != "unresolved":
            assert (route.target.email is None) == ("restore_contact_address" in codes)
        assert len(codes) == len(set(codes))
        assert route.explanation.endswith(".")
