"""The API's request carries its parts; extend and complete name the parts they act on."""

from __future__ import annotations

import pytest

from routing.models import Request
from tests.factories import make_request
from tests.support.api import assert_error

pytestmark = pytest.mark.django_db


def _url(request: Request, action: str) -> str:
    return f"/api/v1/requests/{request.pk}/{action}/"


@pytest.fixture
def two_parts(registry) -> Request:
    return make_request("callkom", kinds=("access", "erasure"))


def test_the_request_lists_its_parts_with_their_dates(api, two_parts) -> None:
    body = api.get(f"/api/v1/requests/{two_parts.pk}/").json()

    assert [part["kind"] for part in body["parts"]] == ["access", "erasure"]
    for part in body["parts"]:
        assert part["status"] == "open"
        assert part["due_on"]
        assert part["extended_due_on"] is None
        assert part["explanation"]
    assert body["due_on"] == min(part["due_on"] for part in body["parts"])


def test_create_answers_with_the_parts_without_reading_them_back(api, registry) -> None:
    response = api.post(
        "/api/v1/requests/",
        {
            "organisation": "callkom",
            "kinds": ["access", "erasure"],
            "subject": {"email": "ada@example.org", "country": "FR"},
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert [part["kind"] for part in response.json()["parts"]] == ["access", "erasure"]


def test_complete_one_part_then_the_other(api, two_parts) -> None:
    body = api.post(_url(two_parts, "complete"), {"kinds": ["erasure"]}, format="json").json()
    assert {p["kind"]: p["status"] for p in body["parts"]} == {"access": "open", "erasure": "done"}
    assert body["status"] == "in_progress"

    for route in two_parts.routes.all():
        api.post(f"/api/v1/requests/{two_parts.pk}/routes/{route.pk}/done/", {}, format="json")
    body = api.post(_url(two_parts, "complete"), {}, format="json").json()
    assert body["status"] == "completed"
    assert {p["status"] for p in body["parts"]} == {"done"}


def test_extend_one_part(api, two_parts) -> None:
    body = api.post(
        _url(two_parts, "extend"), {"reason": "many systems", "kinds": ["access"]}, format="json"
    ).json()
    parts = {p["kind"]: p for p in body["parts"]}
    assert parts["access"]["extended_due_on"] is not None
    assert parts["erasure"]["extended_due_on"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [({"kinds": ["portability"]}, "kinds"), ({"kinds": ["nonsense"]}, "kinds.0")],
)
def test_naming_a_part_the_request_lacks_is_a_clear_400(api, two_parts, body, field) -> None:
    response = api.post(_url(two_parts, "complete"), body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"] or "kinds" in response.json()["errors"]


def test_a_request_marked_a_duplicate_of_itself_is_refused_clearly(api, two_parts) -> None:
    response = api.post(_url(two_parts, "duplicate"), {"of": two_parts.reference}, format="json")
    assert_error(response, 409, "self_duplicate")
    assert "cannot be a duplicate of itself" in response.json()["message"]


def test_identity_refusal_needs_a_request_for_proof_first(api, two_parts) -> None:
    response = api.post(_url(two_parts, "deny"), {"ground": "identity_not_verified"}, format="json")
    assert_error(response, 400, "invalid", {"ground": "invalid"})

    api.post(
        _url(two_parts, "pause"), {"reason": "ID card", "waiting_for": "identity"}, format="json"
    )
    response = api.post(_url(two_parts, "deny"), {"ground": "identity_not_verified"}, format="json")
    assert response.status_code == 200, response.content
    assert {p["status"] for p in response.json()["parts"]} == {"refused"}
