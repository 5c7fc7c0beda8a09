"""Every endpoint, given another organisation's ids, answers 404 as for ids that do not
exist, and no list shows another organisation's rows."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from routing.models import Customer, CustomerIdentifier, Event, Organisation, Request, Scope
from tests.factories import (
    CustomerFactory,
    CustomerIdentifierFactory,
    OrganisationFactory,
    make_request,
)
from tests.support.api import assert_error

pytestmark = pytest.mark.django_db

MISSING = 999_999
# The integration's organisation, and another one.
OWN, FOREIGN = "acme", "globex"


@pytest.fixture
def api_organisation() -> Organisation:
    return OrganisationFactory.create(slug=OWN)


@pytest.fixture
def foreign(db) -> dict:
    organisation = OrganisationFactory.create(slug=FOREIGN)
    request = make_request(organisation, kinds=("access",))
    identifier = CustomerIdentifierFactory.create(customer__organisation=organisation)
    return {
        "organisation": organisation,
        "request": request,
        "route": request.routes.first(),
        "customer": identifier.customer,
        "identifier": identifier,
        "scope": Scope.objects.filter(organisation=organisation).first(),
    }


@pytest.fixture
def own(api_organisation) -> dict:
    request = make_request(api_organisation, kinds=("access",))
    customer = CustomerFactory.create(organisation=api_organisation)
    return {"request": request, "route": request.routes.first(), "customer": customer}


REQUEST_ACTIONS = [
    ("verify", {}), ("assign", {"assignee": None}), ("pause", {"reason": "x"}),
    ("resume", {}), ("extend", {"reason": "x"}), ("complete", {}),
    ("deny", {"ground": "excessive"}), ("withdraw", {}), ("note", {"text": "x"}),
    ("duplicate", {}),
]  # fmt: skip
ROUTE_ACTIONS = [("customer", {"customer": 1}), ("sent", {}), ("acknowledged", {}), ("done", {}),
                 ("not-applicable", {})]  # fmt: skip


def _calls(ids: dict, own: dict) -> list[tuple[str, str, Any]]:
    """(method, path, body) of every endpoint that takes an id, for the given ids."""
    request, route = ids["request"], ids["route"]
    calls: list[tuple[str, str, Any]] = [("get", f"/api/v1/requests/{request}/", None)]
    calls += [("post", f"/api/v1/requests/{request}/{a}/", b) for a, b in REQUEST_ACTIONS]
    calls += [
        ("post", f"/api/v1/requests/{request}/routes/{route}/{a}/", b) for a, b in ROUTE_ACTIONS
    ]
    # Own request, foreign route.
    calls += [
        ("post", f"/api/v1/requests/{own['request'].pk}/routes/{route}/{a}/", b)
        for a, b in ROUTE_ACTIONS
    ]
    customer = ids["customer"]
    calls += [
        ("get", f"/api/v1/customers/{customer}/", None),
        ("patch", f"/api/v1/customers/{customer}/", {"notes": "x"}),
        ("put", f"/api/v1/customers/{customer}/", {"name": "x", "email": ""}),
        ("delete", f"/api/v1/customers/{customer}/", None),
        ("get", f"/api/v1/customers/{customer}/identifiers/", None),
        (
            "post",
            f"/api/v1/customers/{customer}/identifiers/",
            {"type": "website", "value": "a.example"},
        ),
        ("delete", f"/api/v1/customers/{customer}/identifiers/{ids['identifier']}/", None),
        # Own customer, foreign identifier.
        (
            "delete",
            f"/api/v1/customers/{own['customer'].pk}/identifiers/{ids['identifier']}/",
            None,
        ),
        ("get", f"/api/v1/organisations/{ids['organisation']}/", None),
        ("get", f"/api/v1/scopes/{ids['scope']}/", None),
    ]
    return calls


def _foreign_ids(foreign: dict) -> dict:
    return {
        "request": foreign["request"].pk, "route": foreign["route"].pk,
        "customer": foreign["customer"].pk, "identifier": foreign["identifier"].pk,
        "organisation": FOREIGN, "scope": foreign["scope"].key,
    }  # fmt: skip


def _missing_ids() -> dict:
    return {
        "request": MISSING, "route": MISSING, "customer": MISSING, "identifier": MISSING,
        "organisation": "no-such-org", "scope": f"{OWN}:no-such-scope",
    }  # fmt: skip


def test_every_endpoint_answers_404_for_another_organisations_ids(api, foreign, own) -> None:
    before = Request.objects.get(pk=foreign["request"].pk)
    events = Event.objects.filter(request=before).count()

    for (method, path, body), (_, missing_path, missing_body) in zip(
        _calls(_foreign_ids(foreign), own), _calls(_missing_ids(), own), strict=True
    ):
        response = getattr(api, method)(path, body, format="json")
        assert_error(response, 404, "not_found")
        # The same answer as for an id that does not exist: nothing is revealed.
        missing = getattr(api, method)(missing_path, missing_body, format="json")
        assert response.json() == missing.json(), path

    after = Request.objects.get(pk=foreign["request"].pk)
    assert (after.status, after.updated_at) == (before.status, before.updated_at)
    assert Event.objects.filter(request=before).count() == events
    assert Customer.objects.filter(pk=foreign["customer"].pk).exists()
    assert CustomerIdentifier.objects.filter(pk=foreign["identifier"].pk).exists()


def test_lists_hold_only_the_integrations_organisations(api, foreign, own) -> None:
    requests = api.get("/api/v1/requests/").json()["results"]
    assert {r["organisation"] for r in requests} == {OWN}
    organisations = api.get("/api/v1/organisations/").json()
    assert [o["slug"] for o in organisations] == [OWN]
    scopes = api.get("/api/v1/scopes/").json()
    assert scopes
    assert {s["organisation"] for s in scopes} == {OWN}
    customers = api.get("/api/v1/customers/").json()["results"]
    assert customers
    assert {c["organisation"] for c in customers} == {OWN}


def test_the_events_feed_holds_only_the_integrations_organisations(
    api, foreign, own, time_machine
) -> None:
    time_machine.move_to(timezone.now() + timedelta(minutes=1))

    events = api.get("/api/v1/events/").json()["results"]

    assert events
    assert {e["request"]["organisation"] for e in events} == {OWN}


def test_an_integration_of_two_organisations_sees_both(
    integration_for, api_organisation, foreign, own
) -> None:
    _, api = integration_for(api_organisation, foreign["organisation"])

    assert api.get(f"/api/v1/requests/{foreign['request'].pk}/").status_code == 200
    assert api.get(f"/api/v1/organisations/{FOREIGN}/").status_code == 200


def test_tools_treat_another_organisation_as_unknown(api, foreign) -> None:
    deadlines = api.get(
        "/api/v1/deadlines/", {"organisation": FOREIGN, "received": "2026-03-02T10:00:00Z"}
    )
    assert_error(deadlines, 400, "invalid", {"organisation": "invalid"})
    assert f"valid: {OWN})" in deadlines.json()["message"]

    preview = api.post(
        "/api/v1/routing/preview",
        {"organisation": FOREIGN, "kinds": ["access"]},
        format="json",
    )
    assert_error(preview, 400, "invalid", {"organisation": "invalid"})
    assert f"valid: {OWN})" in preview.json()["message"]


def test_creating_a_customer_for_another_organisation_is_refused(api, foreign) -> None:
    response = api.post(
        "/api/v1/customers/", {"organisation": FOREIGN, "name": "Mine now"}, format="json"
    )
    assert_error(response, 400, "invalid", {"organisation": "does_not_exist"})
