"""The request page: read-only facts, the clock's reasons, routes with their steps, actions,
and the timeline. Every change goes through a service."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from routing.models import Customer, RouteStatus, Status
from routing.selectors.deadlines import request_deadlines
from routing.services.actors import Actor
from routing.services.requests import request_deny
from tests.admin.helpers import admin_url, messages_of
from tests.factories import StaffFactory, make_request

pytestmark = pytest.mark.django_db

SYSTEM = Actor.system("test")


@pytest.fixture
def req(callkom):
    # One fulfilled scope and one processor scope whose customer is not known yet.
    return make_request(callkom, scopes=["callkom:website", "callkom:ai-calls"])


def page(client, req):
    return client.get(admin_url("request", "change", req.pk))


def act(client, req, action: str, **fields):
    return client.post(admin_url("request", "act", req.pk, action), fields)


def step(client, req, route, name: str, **fields):
    return client.post(admin_url("request", "route", req.pk, route.pk, name), fields)


def website(req):
    return req.routes.get(scope__key="callkom:website")


def ai_calls(req):
    return req.routes.get(scope__key="callkom:ai-calls")


# --- what the page shows --------------------------------------------------------------------


def test_page_is_read_only(client_a, req) -> None:
    response = page(client_a, req)

    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    assert list(response.context["adminform"].form.fields) == []
    html = response.content.decode()
    for field in ("status", "due_on", "effective_due_on", "subject_email", "assignee"):
        assert f'name="{field}"' not in html


def test_posting_the_form_itself_changes_nothing(client_a, req) -> None:
    response = client_a.post(
        admin_url("request", "change", req.pk), {"status": "completed", "due_on": "2030-01-01"}
    )

    assert response.status_code == 403
    before = req.due_on
    req.refresh_from_db()
    assert (req.status, req.due_on) == (Status.NEW, before)


def test_page_explains_every_date(client_a, req) -> None:
    html = page(client_a, req).content.decode()

    for sentence in request_deadlines(req).explanation():
        assert sentence.replace('"', "&quot;").replace("'", "&#x27;") in html


def test_page_lists_routes_with_the_steps_their_state_allows(client_a, req) -> None:
    rows = {row["route"].scope.key: row for row in page(client_a, req).context["route_rows"]}

    assert [name for name, _ in rows["callkom:website"]["buttons"]] == [
        "sent",
        "done",
        "not_applicable",
    ]
    assert not rows["callkom:website"]["set_customer"]
    assert [name for name, _ in rows["callkom:ai-calls"]["buttons"]] == ["not_applicable"]
    assert rows["callkom:ai-calls"]["set_customer"]


def test_customer_chooser_lists_only_the_organisations_customers(client_a, callkom, req) -> None:
    response = page(client_a, req)

    choices = response.context["customer_form"].fields["customer"].queryset
    assert set(choices) == set(Customer.objects.filter(organisation=callkom))
    html = response.content.decode()
    assert "Maison Exemple" in html
    assert "Sunset Sample Plumbing" not in html


def test_timeline_runs_oldest_first_newest_last(client_a, req) -> None:
    act(client_a, req, "note", **{"note-text": "Called the subject back."})
    act(client_a, req, "assign_to_me")

    response = page(client_a, req)

    types = [item["event"].type for item in response.context["events"]]
    assert types[0] == "received"
    assert types[-2:] == ["note", "assigned"]
    html = response.content.decode()
    assert html.index("event-received") < html.index("event-note") < html.index("event-assigned")
    assert "Called the subject back." in html


def test_actions_offered_follow_the_status(client_a, req) -> None:
    offered = [a["name"] for a in page(client_a, req).context["page_actions"]]
    assert "extend" in offered
    assert "pause" in offered
    assert "resume" not in offered

    request_deny(request=req, by=SYSTEM, ground="no_data_held")
    response = page(client_a, req)

    assert [a["name"] for a in response.context["page_actions"]] == ["note"]
    assert all(row["buttons"] == [] for row in response.context["route_rows"])


def test_page_has_no_inline_style_or_script(client_a, req) -> None:
    html = page(client_a, req).content.decode()

    assert "style=" not in html
    assert "<style" not in html
    assert "<script>" not in html
    assert "routing/admin.css" in html


def test_viewer_without_change_permission_sees_no_actions(client, callkom, req) -> None:
    viewer: Any = StaffFactory(organisations=[callkom])
    viewer.user_permissions.set(Permission.objects.filter(codename="view_request"))
    client.force_login(viewer)

    response = page(client, req)

    assert response.context["page_actions"] == []
    assert act(client, req, "assign_to_me").status_code == 403
    assert step(client, req, website(req), "sent").status_code == 403
    req.refresh_from_db()
    assert req.assignee is None


# --- request actions on the page ------------------------------------------------------------


def test_extend_from_the_page(client_a, staff_a, req) -> None:
    response = act(client_a, req, "extend", **{"extend-reason": "Several systems to search."})

    assert response.status_code == 302
    assert response["Location"] == admin_url("request", "change", req.pk)
    req.refresh_from_db()
    assert req.effective_due_on == req.extended_due_on
    event = req.events.get(type="extended")
    assert (event.actor_user, event.data["reason"]) == (staff_a, "Several systems to search.")


def test_refused_transition_shows_the_services_message(client_a, req) -> None:
    events = req.events.count()

    response = act(client_a, req, "complete", **{"complete-note": ""})

    assert messages_of(response) == [
        f"{req.reference}: Routes still to act on: callkom:website, callkom:ai-calls. "
        "Mark them sent, done or not applicable first."
    ]
    req.refresh_from_db()
    assert req.status == Status.NEW
    assert req.events.count() == events


def test_deny_from_the_page_needs_a_ground(client_a, req) -> None:
    response = act(client_a, req, "deny", **{"deny-ground": "", "deny-note": "x"})

    assert messages_of(response) == ["Deny: Ground: This field is required."]
    req.refresh_from_db()
    assert req.status == Status.NEW


def test_pause_and_resume_from_the_page(client_a, req) -> None:
    act(client_a, req, "pause", **{"pause-reason": "Asked for the account email."})
    req.refresh_from_db()
    assert req.status == Status.AWAITING_SUBJECT

    act(client_a, req, "resume", **{"resume-note": "Answer received."})

    req.refresh_from_db()
    assert req.status == Status.IN_PROGRESS
    assert req.events.get(type="resumed").data["note"] == "Answer received."


def test_assign_from_the_page_to_a_colleague(client_a, callkom, req) -> None:
    colleague: Any = StaffFactory(organisations=[callkom])

    act(client_a, req, "assign", **{"assign-assignee": str(colleague.pk)})

    req.refresh_from_db()
    assert req.assignee == colleague


def test_a_superuser_assigns_another_superuser_from_the_page(admin_client, req) -> None:
    # Neither is a member of the request's organisation; both see it, so either may work it.
    other: Any = StaffFactory(is_superuser=True)

    response = act(admin_client, req, "assign", **{"assign-assignee": str(other.pk)})

    assert messages_of(response) == [f"Assignee changed: {req.reference}."]
    req.refresh_from_db()
    assert req.assignee == other


def test_withdraw_and_note_from_the_page(client_a, req) -> None:
    act(client_a, req, "note", **{"note-text": "Subject phoned."})
    act(client_a, req, "withdraw", **{"withdraw-note": "Subject withdrew by phone."})

    req.refresh_from_db()
    assert req.status == Status.WITHDRAWN
    assert req.events.get(type="note").data["text"] == "Subject phoned."


def test_action_urls_accept_only_post(client_a, req) -> None:
    assert client_a.get(admin_url("request", "act", req.pk, "assign_to_me")).status_code == 405
    assert (
        client_a.get(admin_url("request", "route", req.pk, website(req).pk, "sent")).status_code
        == 405
    )


def test_unknown_action_or_step_is_404(client_a, req) -> None:
    assert act(client_a, req, "delete").status_code == 404
    assert step(client_a, req, website(req), "explode").status_code == 404


def test_actions_need_the_csrf_token(staff_a, req) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_a)

    assert act(client, req, "note", **{"note-text": "forged"}).status_code == 403
    assert step(client, req, website(req), "sent").status_code == 403
    assert not req.events.filter(type="note").exists()


# --- route steps ----------------------------------------------------------------------------


def test_route_sent_acknowledged_done(client_a, req) -> None:
    route = website(req)

    for name, status in [
        ("sent", RouteStatus.SENT),
        ("acknowledged", RouteStatus.ACKNOWLEDGED),
        ("done", RouteStatus.DONE),
    ]:
        response = step(client_a, req, route, name)
        assert response.status_code == 302
        assert response["Location"].endswith("#routes")
        route.refresh_from_db()
        assert route.status == status

    types = list(req.events.values_list("type", flat=True))
    assert types[-3:] == ["route_sent", "route_acknowledged", "route_done"]


def test_refused_route_step_shows_the_message_and_changes_nothing(client_a, req) -> None:
    route = website(req)

    response = step(client_a, req, route, "acknowledged")

    assert messages_of(response) == [
        "callkom:website: Cannot mark acknowledged a route that is pending; allowed when sent."
    ]
    route.refresh_from_db()
    assert route.status == RouteStatus.PENDING


def test_route_not_applicable(client_a, req) -> None:
    route = ai_calls(req)

    step(client_a, req, route, "not_applicable")

    route.refresh_from_db()
    assert route.status == RouteStatus.NOT_APPLICABLE


def test_set_customer_of_the_organisation(client_a, callkom, req) -> None:
    route = ai_calls(req)
    customer = Customer.objects.get(organisation=callkom, name="Maison Exemple")

    response = step(client_a, req, route, "customer", customer=str(customer.pk))

    assert messages_of(response) == [f"{req.reference}, callkom:ai-calls: customer set."]
    route.refresh_from_db()
    assert (route.customer, route.target_name) == (customer, "Maison Exemple")
    assert route.status != RouteStatus.NEEDS_CUSTOMER
    assert req.events.get(type="route_customer_set").data["customer"] == "Maison Exemple"


def test_set_customer_refuses_another_organisations_customer(client_a, click_and_call, req) -> None:
    route = ai_calls(req)
    foreign = Customer.objects.filter(organisation=click_and_call)[0]

    response = step(client_a, req, route, "customer", customer=str(foreign.pk))

    assert len(messages_of(response)) == 1
    assert "Select a valid choice" in messages_of(response)[0]
    route.refresh_from_db()
    assert (route.customer, route.status) == (None, RouteStatus.NEEDS_CUSTOMER)
    assert not req.events.filter(type="route_customer_set").exists()


def test_set_customer_on_a_fulfilled_route_is_refused(client_a, callkom, req) -> None:
    route = website(req)
    customer = Customer.objects.filter(organisation=callkom)[0]

    response = step(client_a, req, route, "customer", customer=str(customer.pk))

    assert messages_of(response) == [
        "callkom:website: Only a processor scope's route goes to a customer."
    ]
    route.refresh_from_db()
    assert route.customer is None
