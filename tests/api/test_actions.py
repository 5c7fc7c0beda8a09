from __future__ import annotations

import pytest

from routing.models import ActorType, Customer, Event, Organisation, Request, RouteStatus, Status
from routing.services.actors import Actor
from routing.services.registry import customer_create
from routing.services.requests import request_deny
from tests.factories import StaffFactory, make_request
from tests.support.api import assert_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_(registry) -> Request:
    """A verified Callkom objection with one route, forwarded to a demo customer."""
    return make_request(
        kinds=("objection",),
        scopes=["callkom:ai-calls"],
        identifiers={"phone": "+33 1 99 00 12 34"},
    )


@pytest.fixture
def pending(registry) -> Request:
    """A request whose forward route waits: its customer has no address to forward to."""
    customer_create(
        organisation=Organisation.objects.get(slug="callkom"),
        name="Sans Adresse",
        identifiers=[("phone", "+33 1 99 00 44 44")],
    )
    request = make_request(
        kinds=("objection",),
        scopes=["callkom:ai-calls"],
        identifiers={"phone": "+33 1 99 00 44 44"},
    )
    assert request.routes.get().status == RouteStatus.PENDING
    return request


def _url(request: Request, action: str) -> str:
    return f"/api/v1/requests/{request.pk}/{action}/"


def _route_url(request: Request, step: str) -> str:
    route = request.routes.get()
    return f"/api/v1/requests/{request.pk}/routes/{route.pk}/{step}/"


def _ok(response, status: str | None = None) -> dict:
    assert response.status_code == 200, response.content
    body = response.json()
    if status is not None:
        assert body["status"] == status
    return body


def test_verify(api, registry) -> None:
    unverified = make_request(verified=False)

    body = _ok(
        api.post(_url(unverified, "verify"), {"method": "id_document"}, format="json"), "new"
    )

    assert body["verified"] is True
    event = Event.objects.get(request=unverified, type="verified")
    assert event.actor_type == ActorType.INTEGRATION
    assert event.data["method"] == "id_document"


def test_verify_a_verified_request_is_a_conflict_with_the_reason(api, request_) -> None:
    response = api.post(_url(request_, "verify"), {}, format="json")

    assert_error(response, 409, "not_allowed")
    assert "allowed when unverified" in response.json()["message"]


def test_assign_and_unassign(api, request_) -> None:
    StaffFactory(username="lea", organisations=[request_.organisation])

    body = _ok(
        api.post(_url(request_, "assign"), {"assignee": "lea"}, format="json"), "in_progress"
    )
    assert body["assignee"] == "lea"

    body = _ok(api.post(_url(request_, "assign"), {"assignee": None}, format="json"))
    assert body["assignee"] is None


def test_assign_to_someone_outside_the_organisation_is_refused(api, request_, registry) -> None:
    from routing.models import Organisation

    StaffFactory(username="max", organisations=[Organisation.objects.get(slug="comfortclick")])

    response = api.post(_url(request_, "assign"), {"assignee": "max"}, format="json")

    assert_error(response, 400, "invalid", {"assignee": "does_not_exist"})


def test_pause_then_resume(api, request_) -> None:
    body = _ok(
        api.post(_url(request_, "pause"), {"reason": "proof of identity"}, format="json"),
        "awaiting_subject",
    )
    assert body["paused"] is True
    assert body["pause_reason"] == "proof of identity"

    body = _ok(
        api.post(_url(request_, "resume"), {"note": "received"}, format="json"), "in_progress"
    )
    assert body["paused"] is False


def test_a_uk_gdpr_proof_of_identity_restarts_the_clock_on_resume(
    make_integration, time_machine
) -> None:
    _, api = make_integration("clickacall")
    time_machine.move_to("2026-03-10T10:00:00Z", tick=False)
    request = make_request("clickacall", country="GB")
    assert request.regime == "uk-gdpr"
    time_machine.move_to("2026-03-12T10:00:00Z", tick=False)
    body = _ok(
        api.post(
            _url(request, "pause"),
            {"reason": "a proof of identity", "waiting_for": "identity"},
            format="json",
        ),
        "awaiting_subject",
    )
    assert (body["waiting_for"], body["restarted_on"]) == ("identity", None)
    time_machine.move_to("2026-03-20T10:00:00Z", tick=False)

    body = _ok(api.post(_url(request, "resume"), {}, format="json"), "in_progress")

    assert (body["waiting_for"], body["restarted_on"]) == ("", "2026-03-20")
    assert body["due_on"] == "2026-04-20"


def test_pause_waits_for_a_known_thing(api, request_) -> None:
    response = api.post(
        _url(request_, "pause"), {"reason": "x", "waiting_for": "a letter"}, format="json"
    )
    assert_error(response, 400, "invalid", {"waiting_for": "invalid_choice"})


def test_pause_needs_a_reason(api, request_) -> None:
    response = api.post(_url(request_, "pause"), {}, format="json")
    assert_error(response, 400, "invalid", {"reason": "required"})


def test_resume_a_running_request_is_a_conflict(api, request_) -> None:
    assert_error(api.post(_url(request_, "resume"), {}, format="json"), 409, "not_allowed")


def test_extend_once(api, request_) -> None:
    body = _ok(api.post(_url(request_, "extend"), {"reason": "many systems"}, format="json"))
    assert body["effective_due_on"] == body["extended_due_on"]

    response = api.post(_url(request_, "extend"), {"reason": "again"}, format="json")
    assert_error(response, 409, "not_allowed")
    assert "once" in response.json()["message"]


def test_extend_after_the_first_due_date_is_too_late(api, request_, time_machine) -> None:
    time_machine.move_to(request_.due_on.isoformat() + "T23:00:00+00:00", tick=False)
    time_machine.shift(86400 * 2)

    response = api.post(_url(request_, "extend"), {"reason": "late"}, format="json")

    assert_error(response, 409, "too_late")


def test_complete_waits_for_the_routes(api, pending) -> None:
    response = api.post(_url(pending, "complete"), {}, format="json")
    assert_error(response, 409, "routes_open")
    assert "callkom:ai-calls" in response.json()["message"]

    _ok(api.post(_route_url(pending, "done"), {}, format="json"))
    _ok(api.post(_url(pending, "complete"), {"note": "done"}, format="json"), "completed")


def test_deny_with_a_ground(api, request_) -> None:
    body = _ok(
        api.post(_url(request_, "deny"), {"ground": "excessive", "note": "fifth"}, format="json"),
        "denied",
    )
    assert body["denial_ground"] == "excessive"
    assert body["closed_at"] is not None


def test_deny_names_the_valid_grounds(api, request_) -> None:
    response = api.post(_url(request_, "deny"), {"ground": "bored"}, format="json")
    assert_error(response, 400, "invalid", {"ground": "invalid_choice"})


def test_withdraw_then_every_action_is_a_conflict(api, request_) -> None:
    _ok(api.post(_url(request_, "withdraw"), {"note": "by phone"}, format="json"), "withdrawn")

    for action, body in [
        ("withdraw", {}), ("deny", {"ground": "excessive"}), ("pause", {"reason": "x"}),
        ("complete", {}), ("extend", {"reason": "x"}), ("assign", {"assignee": None}),
    ]:  # fmt: skip
        assert_error(api.post(_url(request_, action), body, format="json"), 409, "not_allowed")
    assert_error(api.post(_route_url(request_, "done"), {}, format="json"), 409, "not_allowed")


def test_note(api, request_) -> None:
    response = api.post(_url(request_, "note"), {"text": "Called the subject."}, format="json")

    assert response.status_code == 201
    body = response.json()
    assert body["type"] == "note"
    assert body["data"] == {"text": "Called the subject."}
    assert body["actor"]["type"] == "integration"
    assert body["request"]["reference"] == request_.reference


def test_note_needs_text(api, request_) -> None:
    assert_error(
        api.post(_url(request_, "note"), {"text": ""}, format="json"),
        400,
        "invalid",
        {"text": "blank"},
    )


def test_duplicate(api, request_) -> None:
    second = make_request(kinds=("objection",))

    body = _ok(api.post(_url(second, "duplicate"), {"of": request_.reference}, format="json"))

    assert body["status"] == Status.DUPLICATE
    assert body["duplicate_of"] == request_.reference


def test_duplicate_of_an_unknown_reference(api, request_) -> None:
    response = api.post(_url(request_, "duplicate"), {"of": "CK-1999-000001"}, format="json")
    assert_error(response, 400, "invalid", {"of": "does_not_exist"})


def test_route_sent_acknowledged_done(api, pending) -> None:
    body = _ok(api.post(_route_url(pending, "sent"), {}, format="json"), "in_progress")
    assert body["routes"][0]["status"] == RouteStatus.SENT
    assert body["routes"][0]["sent_at"]

    body = _ok(api.post(_route_url(pending, "acknowledged"), {}, format="json"))
    assert body["routes"][0]["status"] == RouteStatus.ACKNOWLEDGED

    body = _ok(api.post(_route_url(pending, "done"), {}, format="json"))
    assert body["routes"][0]["status"] == RouteStatus.DONE


def test_route_sent_twice_is_a_conflict(api, pending) -> None:
    _ok(api.post(_route_url(pending, "sent"), {}, format="json"))

    response = api.post(_route_url(pending, "sent"), {}, format="json")

    assert_error(response, 409, "not_allowed")
    assert "allowed when pending" in response.json()["message"]


def test_route_acknowledged_before_sent_is_a_conflict(api, pending) -> None:
    response = api.post(_route_url(pending, "acknowledged"), {}, format="json")

    assert_error(response, 409, "not_allowed")
    assert "allowed when sent" in response.json()["message"]


def test_route_not_applicable(api, pending) -> None:
    body = _ok(api.post(_route_url(pending, "not-applicable"), {}, format="json"))
    assert body["routes"][0]["status"] == RouteStatus.NOT_APPLICABLE


def test_route_set_customer(api, registry) -> None:
    unresolved = make_request(
        kinds=("objection",),
        scopes=["callkom:ai-calls"],
        identifiers={"phone": "+33 1 99 00 99 99"},
    )
    assert unresolved.routes.get().status == RouteStatus.NEEDS_CUSTOMER
    customer = Customer.objects.get(name="Cabinet Fictif Conseil")

    body = _ok(
        api.post(_route_url(unresolved, "customer"), {"customer": customer.pk}, format="json")
    )

    route = body["routes"][0]
    # Pending, or already forwarded where the service forwards at once.
    assert route["status"] in (RouteStatus.PENDING, RouteStatus.SENT)
    assert route["target"]["name"] == "Cabinet Fictif Conseil"
    assert route["customer"] == customer.pk


def test_route_customer_of_another_organisation_is_refused(api, request_) -> None:
    foreign = Customer.objects.exclude(organisation=request_.organisation).first()
    assert foreign is not None

    response = api.post(_route_url(request_, "customer"), {"customer": foreign.pk}, format="json")

    assert_error(response, 400, "invalid", {"customer": "does_not_exist"})


def test_route_customer_on_a_controller_route_is_a_conflict(api, registry) -> None:
    request = make_request(kinds=("access",), scopes=["callkom:website"])
    customer = Customer.objects.filter(organisation=request.organisation).first()
    assert customer is not None

    response = api.post(_route_url(request, "customer"), {"customer": customer.pk}, format="json")

    assert_error(response, 409, "not_allowed")


def test_a_read_only_integration_may_not_act(read_only_api, request_) -> None:
    response = read_only_api.post(_url(request_, "note"), {"text": "x"}, format="json")

    assert_error(response, 403, "permission_denied")
    assert "read" in response.json()["message"]


def test_actions_on_a_closed_request_by_staff_are_conflicts_too(api, request_) -> None:
    request_deny(request=request_, by=Actor.system(), ground="excessive")

    assert_error(api.post(_url(request_, "resume"), {}, format="json"), 409, "not_allowed")


def test_a_request_lists_the_actions_its_status_allows(api, registry) -> None:
    unverified = make_request(verified=False)
    body = api.get(f"/api/v1/requests/{unverified.pk}/").json()
    assert body["actions"] == ["verify", "assign", "deny", "withdraw", "duplicate"]

    _ok(api.post(_url(unverified, "verify"), {}, format="json"))
    body = api.get(f"/api/v1/requests/{unverified.pk}/").json()
    assert "verify" not in body["actions"]
    assert {"pause", "extend", "complete"} <= set(body["actions"])

    _ok(api.post(_url(unverified, "withdraw"), {}, format="json"), "withdrawn")
    assert api.get(f"/api/v1/requests/{unverified.pk}/").json()["actions"] == []
