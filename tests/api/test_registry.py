from __future__ import annotations

import pytest

from routing.models import Customer, CustomerIdentifier
from tests.factories import make_request
from tests.support.api import assert_error

pytestmark = pytest.mark.django_db


def test_organisations_read(api) -> None:
    organisations = api.get("/api/v1/organisations/").json()
    assert [o["slug"] for o in organisations] == ["callkom"]

    callkom = api.get("/api/v1/organisations/callkom/").json()
    assert callkom["reference_prefix"] == "CK"
    assert callkom["timezone"] == "Europe/Paris"
    assert "objection" in callkom["kinds"]


def test_organisations_and_scopes_are_read_only(api) -> None:
    assert_error(api.post("/api/v1/organisations/", {}, format="json"), 405, "method_not_allowed")
    assert_error(api.delete("/api/v1/scopes/callkom:website/"), 405, "method_not_allowed")


def test_scopes_read_and_filter(api) -> None:
    scopes = api.get("/api/v1/scopes/", {"role": "processor"}).json()
    assert [s["key"] for s in scopes] == ["callkom:ai-calls"]

    scope = api.get("/api/v1/scopes/callkom:ai-calls/").json()
    assert scope["identifier_types"] == ["phone"]
    assert scope["organisation"] == "callkom"


def test_create_a_customer_with_identifiers_stored_normalised(api) -> None:
    response = api.post(
        "/api/v1/customers/",
        {
            "organisation": "callkom", "name": "Atelier Test", "email": "dpo@atelier.example",
            "notes": "signed 2026",
            "identifiers": [
                {"type": "phone", "value": "01 99 00 77 77"},
                {"type": "website", "value": "https://www.Atelier.example/contact"},
            ],
        },
        format="json",
    )  # fmt: skip

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["source"] == Customer.Source.API
    assert body["notes"] == "signed 2026"
    assert sorted((i["type"], i["value"]) for i in body["identifiers"]) == [
        ("phone", "+33199007777"), ("website", "atelier.example"),
    ]  # fmt: skip
    # The planner finds it at once.
    plan = api.post(
        "/api/v1/routing/preview",
        {"organisation": "callkom", "kinds": ["objection"], "scopes": ["callkom:ai-calls"],
         "phone": "+33 1 99 00 77 77"},
        format="json",
    ).json()  # fmt: skip
    assert plan["routes"][0]["target"]["name"] == "Atelier Test"


def test_a_customer_with_a_taken_identifier_is_not_created(api) -> None:
    response = api.post(
        "/api/v1/customers/",
        {"organisation": "callkom", "name": "Copycat",
         "identifiers": [{"type": "phone", "value": "+33 1 99 00 12 34"}]},
        format="json",
    )  # fmt: skip

    assert_error(response, 400, "invalid", {"identifiers": "invalid"})
    assert "Maison Exemple" in response.json()["message"] or "already" in response.json()["message"]
    assert not Customer.objects.filter(name="Copycat").exists()


def test_a_customer_name_is_unique_in_its_organisation(api) -> None:
    response = api.post(
        "/api/v1/customers/", {"organisation": "callkom", "name": "Maison Exemple"}, format="json"
    )
    assert_error(response, 400, "invalid", {"name": "unique"})


def test_update_a_customer(api) -> None:
    customer = Customer.objects.get(name="Maison Exemple")

    response = api.patch(
        f"/api/v1/customers/{customer.pk}/", {"email": "new@maison.example"}, format="json"
    )

    assert response.status_code == 200, response.content
    customer.refresh_from_db()
    assert customer.email == "new@maison.example"
    # The organisation stays.
    api.patch(f"/api/v1/customers/{customer.pk}/", {"organisation": "x"}, format="json")
    customer.refresh_from_db()
    assert customer.organisation.slug == "callkom"


def test_rename_onto_another_customer_is_refused(api) -> None:
    customer = Customer.objects.get(name="Maison Exemple")
    response = api.patch(
        f"/api/v1/customers/{customer.pk}/", {"name": "Cabinet Fictif Conseil"}, format="json"
    )
    assert_error(response, 400, "invalid", {"name": "unique"})


def test_add_and_remove_an_identifier(api) -> None:
    customer = Customer.objects.get(name="Maison Exemple")
    url = f"/api/v1/customers/{customer.pk}/identifiers/"

    response = api.post(url, {"type": "whatsapp", "value": "06 39 98 00 11"}, format="json")
    assert response.status_code == 201, response.content
    added = response.json()
    assert added["value"] == "+33639980011"
    assert added["id"] in [i["id"] for i in api.get(url).json()]

    assert api.delete(f"{url}{added['id']}/").status_code == 204
    assert not CustomerIdentifier.objects.filter(pk=added["id"]).exists()


def test_an_identifier_that_is_not_one_is_refused(api) -> None:
    customer = Customer.objects.get(name="Maison Exemple")
    url = f"/api/v1/customers/{customer.pk}/identifiers/"

    assert_error(
        api.post(url, {"type": "phone", "value": "12"}, format="json"),
        400,
        "invalid",
        {"value": "invalid"},
    )
    assert_error(
        api.post(url, {"type": "fax", "value": "12"}, format="json"),
        400,
        "invalid",
        {"type": "invalid_choice"},
    )
    taken = api.post(url, {"type": "phone", "value": "01 99 00 56 78"}, format="json")
    assert_error(taken, 400, "invalid", {"value": "invalid"})


def test_a_customer_a_route_points_to_cannot_be_deleted(api, registry) -> None:
    make_request(
        kinds=("objection",),
        scopes=["callkom:ai-calls"],
        identifiers={"phone": "+33 1 99 00 12 34"},
    )
    customer = Customer.objects.get(name="Maison Exemple")

    assert_error(api.delete(f"/api/v1/customers/{customer.pk}/"), 409, "in_use")

    unused = Customer.objects.get(name="Cabinet Fictif Conseil")
    assert api.delete(f"/api/v1/customers/{unused.pk}/").status_code == 204


def test_read_only_integrations_read_the_registry_but_do_not_write(read_only_api) -> None:
    assert read_only_api.get("/api/v1/customers/").status_code == 200
    response = read_only_api.post(
        "/api/v1/customers/", {"organisation": "callkom", "name": "X"}, format="json"
    )
    assert_error(response, 403, "permission_denied")


def test_customers_filter_by_name(api) -> None:
    body = api.get("/api/v1/customers/", {"name": "maison"}).json()
    assert [c["name"] for c in body["results"]] == ["Maison Exemple"]


def test_a_missing_email_is_null_in_and_out(api) -> None:
    response = api.post(
        "/api/v1/customers/",
        {"organisation": "callkom", "name": "Sans Adresse", "email": None},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["email"] is None
    assert Customer.objects.get(name="Sans Adresse").email == ""
    organisation = api.get("/api/v1/organisations/callkom/").json()
    # Callkom's published address is garbled, so it is stored as missing.
    assert organisation["privacy_email"] is None
    assert organisation["contact_problem"]
