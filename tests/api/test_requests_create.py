from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from routing.models import ActorType, Channel, Event, Request, Status
from tests.support.api import CONTRACT_BODY, assert_error, contract_body

pytestmark = pytest.mark.django_db


def test_the_contract_example_answers_201_with_dates_and_routes(api) -> None:
    response = api.post("/api/v1/requests/", contract_body(), format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    request = Request.objects.get(pk=body["id"])
    assert body["reference"] == request.reference
    assert body["reference"].startswith("CK-2026-")
    assert body["status"] == request.status
    assert body["status"] in ("new", "in_progress")  # in progress once forwarded
    assert body["regime"] == "gdpr"
    assert body["received_on"] == "2026-03-02"
    assert body["due_on"] == "2026-04-02"
    route = request.routes.get()
    assert body["routes"] == [
        {
            "id": route.pk,
            "scope": "callkom:ai-calls",
            "role": "processor",
            "action": "forward",
            "target": {
                "type": "customer",
                "name": "Maison Exemple",
                "email": "privacy@maison.example",
                "url": None,
            },
            "tasks": body["routes"][0]["tasks"],
            "explanation": body["routes"][0]["explanation"],
            "status": route.status,
            "due_on": "2026-03-03",
            "customer": route.customer_id,
            "matched_by": body["routes"][0]["matched_by"],
            "sent_at": body["routes"][0]["sent_at"],
            "acknowledged_at": None,
            "done_at": None,
        }
    ]
    assert "Maison Exemple" in body["routes"][0]["explanation"]
    assert body["explanation"]
    assert all(isinstance(s, str) for s in body["explanation"])
    assert body["subject"]["phone"] == "+33639981234"


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(contract_body(), id="forwarded"),
        pytest.param(contract_body(identifiers={}), id="customer-unknown"),
        pytest.param(
            contract_body(kinds=["access"], scopes=["callkom:website", "callkom:billing"]),
            id="fulfilled",
        ),
        pytest.param(contract_body(verified=False), id="unverified"),
    ],
)
def test_the_create_answer_is_what_a_retrieve_reads_back(api, body) -> None:
    # The create's body is built from what was written, not read back: it must agree.
    first = api.post("/api/v1/requests/", body, format="json")
    duplicate = api.post("/api/v1/requests/", body, format="json")

    for created in (first, duplicate):
        assert created.status_code == 201, created.content
        retrieved = api.get(f"/api/v1/requests/{created.json()['id']}/")
        assert created.json() == retrieved.json()
    assert duplicate.json()["possible_duplicate_of"] == first.json()["reference"]


def test_the_routes_are_those_plan_route_prints(api) -> None:
    import json
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command(
        "plan_route", "--organisation", "callkom", "--kind", "objection",
        "--scope", "callkom:ai-calls", "--phone", "+33 1 99 00 12 34", "--json", stdout=out,
    )  # fmt: skip
    plan = json.loads(out.getvalue())

    body = api.post("/api/v1/requests/", contract_body(), format="json").json()

    keys = ("scope", "role", "action", "target", "tasks", "explanation")
    assert [{k: r[k] for k in keys} for r in body["routes"]] == plan["routes"]


def test_an_api_request_is_verified_on_channel_api_by_the_integration(make_integration) -> None:
    _, api = make_integration("callkom", name="Zendesk")

    body = api.post("/api/v1/requests/", contract_body(), format="json").json()

    request = Request.objects.get(pk=body["id"])
    assert request.channel == Channel.API
    assert request.verified_at is not None
    assert body["verified"] is True
    event = Event.objects.get(request=request, type="received")
    assert (event.actor_type, event.actor_label) == (ActorType.INTEGRATION, "Zendesk")


def test_verified_false_waits_for_the_subject(api) -> None:
    body = api.post("/api/v1/requests/", contract_body(verified=False), format="json").json()

    assert body["status"] == Status.UNVERIFIED
    assert body["verified"] is False
    assert body["paused"] is True


def test_received_at_is_optional_and_defaults_to_now(api) -> None:
    body = contract_body()
    del body["received_at"]

    response = api.post("/api/v1/requests/", body, format="json")

    assert response.status_code == 201
    received = Request.objects.get(pk=response.json()["id"]).received_at
    assert abs(received - timezone.now()) < timedelta(minutes=1)


def test_only_the_required_fields(api) -> None:
    response = api.post(
        "/api/v1/requests/",
        {"organisation": "callkom", "kinds": ["access"], "subject": {"email": "bo@example.org"}},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["routes"]


def test_each_bad_field_is_named_with_its_path_and_code(api) -> None:
    body = contract_body(kinds=["objection", "nonsense"])
    body["subject"] = {**body["subject"], "email": "not-an-email", "country": "France"}

    response = api.post("/api/v1/requests/", body, format="json")

    assert_error(
        response, 400, "invalid",
        {"kinds.1": "invalid_choice", "subject.email": "invalid", "subject.country": "invalid"},
    )  # fmt: skip
    assert Request.objects.count() == 0


def test_a_bad_phone_is_blamed_on_the_field_that_carried_it(api) -> None:
    body = contract_body(identifiers={"phone": "12"})
    response = api.post("/api/v1/requests/", body, format="json")
    assert_error(response, 400, "invalid", {"identifiers.phone": "invalid"})
    assert "subject.phone" not in response.json()["errors"]

    body = contract_body()
    body["subject"]["phone"] = "not a number"
    response = api.post("/api/v1/requests/", body, format="json")
    assert_error(response, 400, "invalid", {"subject.phone": "invalid"})
    assert "identifiers.phone" not in response.json()["errors"]


def test_a_kind_the_organisation_does_not_handle_is_refused_with_the_valid_ones(api) -> None:
    response = api.post("/api/v1/requests/", contract_body(kinds=["opt_out_sale"]), format="json")

    assert_error(response, 400, "invalid", {"kinds": "invalid"})
    assert "valid:" in response.json()["errors"]["kinds"][0]["message"]


def test_another_organisations_scope_is_unknown_without_naming_its_owner(api) -> None:
    response = api.post(
        "/api/v1/requests/", contract_body(scopes=["comfortclick:customers"]), format="json"
    )

    assert_error(response, 400, "invalid", {"scopes": "invalid"})
    assert "comfortclick" not in response.json()["errors"]["scopes"][0]["message"].split("(")[1]


def test_an_organisation_the_integration_may_not_see_is_unknown(api) -> None:
    response = api.post(
        "/api/v1/requests/", contract_body(organisation="comfortclick"), format="json"
    )

    assert_error(response, 400, "invalid", {"organisation": "does_not_exist"})
    assert "valid: callkom" in response.json()["message"]
    assert Request.objects.count() == 0


def test_received_at_in_the_future_is_refused(api) -> None:
    later = (timezone.now() + timedelta(days=2)).isoformat()
    response = api.post("/api/v1/requests/", contract_body(received_at=later), format="json")
    assert_error(response, 400, "invalid", {"received_at": "future"})


def test_a_regime_may_be_given(api) -> None:
    response = api.post("/api/v1/requests/", contract_body(regime="uk-gdpr"), format="json")

    assert response.status_code == 201
    body = api.get(f"/api/v1/requests/{response.json()['id']}/").json()
    assert body["regime"] == "uk-gdpr"
    assert "integration" in body["regime_reason"]


def test_a_body_that_is_not_json_is_refused(api) -> None:
    response = api.post("/api/v1/requests/", "{not json", content_type="application/json")
    assert_error(response, 400, "parse_error")

    response = api.post(
        "/api/v1/requests/", "a=b", content_type="application/x-www-form-urlencoded"
    )
    assert_error(response, 415, "unsupported_media_type")

    response = api.post("/api/v1/requests/", [1, 2], format="json")
    assert_error(response, 400, "invalid")


def test_retrieve_shows_every_clock_date_and_the_explanation(api) -> None:
    created = api.post("/api/v1/requests/", contract_body(), format="json").json()

    body = api.get(f"/api/v1/requests/{created['id']}/").json()

    for field in (
        "received_on", "acknowledge_by", "due_on", "extended_due_on", "opt_out_due_on",
        "forward_due_on", "effective_due_on",
    ):  # fmt: skip
        assert field in body
    assert body["extended_due_on"] == "2026-06-02"
    assert body["forward_due_on"] == "2026-03-03"
    assert any("Due on 2026-04-02" in line for line in body["explanation"])
    assert body == {**created, "updated_at": body["updated_at"]}


@pytest.mark.django_db(transaction=True)
def test_a_create_costs_a_fixed_number_of_queries(
    make_integration, django_assert_max_num_queries
) -> None:
    # With a forward to the customer and the acknowledgement: authentication, the
    # customer lookup, the duplicate check, the reference, one insert per kind of row
    # (request, routes, events, emails) and the response's read.
    _, client = make_integration()
    assert client.post("/api/v1/requests/", CONTRACT_BODY, format="json").status_code == 201

    body = contract_body(subject={**CONTRACT_BODY["subject"], "email": "grace@example.org"})
    with django_assert_max_num_queries(13):
        response = client.post("/api/v1/requests/", body, format="json")

    assert response.status_code == 201
    assert [r["status"] for r in response.json()["routes"]] == ["sent"]
