"""Bulk actions on the queue: each calls its service per request and reports each outcome."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission

from routing.models import Status
from routing.services.actors import Actor
from routing.services.requests import request_extend
from tests.admin.helpers import admin_url, messages_of
from tests.factories import StaffFactory, make_request

pytestmark = pytest.mark.django_db

QUEUE = admin_url("request", "changelist")
SYSTEM = Actor.system("test")


def act(client, action: str, requests, **fields):
    """Post a queue action; with fields, as the confirmation page posts it."""
    data = {"action": action, "_selected_action": [str(r.pk) for r in requests], **fields}
    if fields:
        data["apply"] = "yes"
    return client.post(QUEUE, data)


def test_extend_asks_for_reasons_first(client_a, callkom) -> None:
    req = make_request(callkom)

    response = act(client_a, "extend", [req])

    assert response.status_code == 200
    assert response.templates[0].name == "admin/routing/request/confirm_action.html"
    assert "extend-reason" in response.content.decode()
    assert req.reference in response.content.decode()
    req.refresh_from_db()
    assert req.extended_at is None


def test_extend_with_reasons_extends_and_writes_the_event(client_a, staff_a, callkom) -> None:
    req = make_request(callkom)

    response = act(client_a, "extend", [req], **{"extend-reason": "Many systems to search."})

    assert response.status_code == 302
    req.refresh_from_db()
    assert req.extended_at is not None
    assert req.effective_due_on == req.extended_due_on
    event = req.events.get(type="extended")
    assert event.data["reason"] == "Many systems to search."
    assert event.actor_user == staff_a
    assert messages_of(response) == [f"Extended: {req.reference}."]


def test_extend_without_reasons_changes_nothing(client_a, callkom) -> None:
    req = make_request(callkom)

    response = act(client_a, "extend", [req], **{"extend-reason": "  "})

    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    req.refresh_from_db()
    assert req.extended_at is None


def test_a_refused_extension_shows_the_reason_and_changes_nothing(client_a, callkom) -> None:
    done = make_request(callkom, email="done@example.org")
    request_extend(request=done, by=SYSTEM, reason="first")
    fresh = make_request(callkom, email="fresh@example.org")
    done.refresh_from_db()
    before = (done.effective_due_on, done.extension_reason, done.events.count())

    response = act(client_a, "extend", [done, fresh], **{"extend-reason": "again"})

    done.refresh_from_db()
    assert (done.effective_due_on, done.extension_reason, done.events.count()) == before
    fresh.refresh_from_db()
    assert fresh.extended_at is not None
    assert messages_of(response) == [
        f"{done.reference}: This request was already extended; the law allows it once.",
        f"Extended: {fresh.reference}.",
    ]


def test_pause_needs_what_was_asked(client_a, callkom) -> None:
    req = make_request(callkom)

    refused = act(client_a, "pause", [req], **{"pause-reason": ""})
    assert refused.status_code == 200
    req.refresh_from_db()
    assert req.status == Status.NEW

    act(
        client_a, "pause", [req],
        **{"pause-reason": "proof of identity", "pause-waiting_for": "identity"},
    )  # fmt: skip

    req.refresh_from_db()
    assert req.status == Status.AWAITING_SUBJECT
    assert req.pause_reason == "proof of identity"
    assert req.waiting_for == "identity"


def test_deny_needs_a_ground(client_a, callkom) -> None:
    req = make_request(callkom)

    response = act(client_a, "deny", [req], **{"deny-ground": "", "deny-note": "no"})

    assert response.status_code == 200
    assert "ground" in response.context["form"].errors
    req.refresh_from_db()
    assert req.status == Status.NEW
    assert not req.events.filter(type="denied").exists()


def test_deny_refuses_an_unknown_ground(client_a, callkom) -> None:
    req = make_request(callkom)

    response = act(client_a, "deny", [req], **{"deny-ground": "because", "deny-note": ""})

    assert response.status_code == 200
    req.refresh_from_db()
    assert req.status == Status.NEW


def test_deny_with_a_ground_closes_the_request(client_a, callkom) -> None:
    req = make_request(callkom)

    act(client_a, "deny", [req], **{"deny-ground": "no_data_held", "deny-note": "Searched."})

    req.refresh_from_db()
    assert (req.status, req.denial_ground, req.outcome_note) == (
        Status.DENIED,
        "no_data_held",
        "Searched.",
    )
    assert req.events.get(type="denied").data == {"ground": "no_data_held", "note": "Searched."}


def test_bulk_assign_to_me(client_a, staff_a, callkom) -> None:
    first = make_request(callkom, email="one@example.org")
    second = make_request(callkom, email="two@example.org")

    response = act(client_a, "assign_to_me", [first, second])

    for req in (first, second):
        req.refresh_from_db()
        assert req.assignee == staff_a
        assert req.status == Status.IN_PROGRESS
        assert req.events.get(type="assigned").data["assignee"] == staff_a.username
    assert messages_of(response) == [f"Assigned to you: {first.reference}, {second.reference}."]


def test_bulk_assign_to_a_colleague_of_the_same_organisation(
    client_a, callkom, click_and_call, staff_b
) -> None:
    colleague: Any = StaffFactory(organisations=[callkom])
    req = make_request(callkom)

    page = act(client_a, "assign", [req])
    offered = list(page.context["form"].fields["assignee"].queryset)
    assert colleague in offered
    assert staff_b not in offered

    refused = act(client_a, "assign", [req], **{"assign-assignee": str(staff_b.pk)})
    assert refused.status_code == 200
    req.refresh_from_db()
    assert req.assignee is None

    act(client_a, "assign", [req], **{"assign-assignee": str(colleague.pk)})
    req.refresh_from_db()
    assert req.assignee == colleague


def test_bulk_assign_offers_superusers_as_the_service_and_the_api_accept_them(
    client_a, callkom, admin_user
) -> None:
    # A superuser works on every organisation's requests without a membership: "assign to
    # me" and the API already assign one, so the form must offer one too.
    req = make_request(callkom)

    page = act(client_a, "assign", [req])
    assert admin_user in list(page.context["form"].fields["assignee"].queryset)

    act(client_a, "assign", [req], **{"assign-assignee": str(admin_user.pk)})
    req.refresh_from_db()
    assert req.assignee == admin_user


def test_bulk_close_flagged_duplicates(client_a, callkom) -> None:
    original = make_request(callkom, email="ada@example.org")
    repeat = make_request(callkom, email="ada@example.org")
    unrelated = make_request(callkom, email="zoe@example.org")
    assert repeat.possible_duplicate_of == original
    assert unrelated.possible_duplicate_of is None

    page = act(client_a, "close_flagged_duplicates", [repeat, unrelated])
    assert f"flagged as a duplicate of {original.reference}" in page.content.decode()
    response = act(client_a, "close_flagged_duplicates", [repeat, unrelated], confirm="yes")

    repeat.refresh_from_db()
    assert (repeat.status, repeat.duplicate_of) == (Status.DUPLICATE, original)
    assert repeat.events.get(type="marked_duplicate").data == {"of": original.reference}
    unrelated.refresh_from_db()
    assert unrelated.status == Status.NEW
    assert messages_of(response) == [
        f"{unrelated.reference}: Name the request this one duplicates.",
        f"Closed as duplicates: {repeat.reference}.",
    ]


def test_mark_duplicate_of_a_reference_typed_loosely(client_a, callkom) -> None:
    original = make_request(callkom, email="ada@example.org")
    other = make_request(callkom, email="bea@example.org")
    number = int(original.reference.rsplit("-", 1)[1])
    typed = f"ck {original.reference.split('-')[1]} {number}"

    act(client_a, "mark_duplicate", [other], **{"mark_duplicate-original": typed})

    other.refresh_from_db()
    assert (other.status, other.duplicate_of) == (Status.DUPLICATE, original)


def test_mark_duplicate_of_another_organisations_request_is_not_found(
    client_a, callkom, click_and_call
) -> None:
    foreign = make_request(click_and_call, email="ada@example.org", country="US")
    req = make_request(callkom, email="ada@example.org")

    response = act(
        client_a, "mark_duplicate", [req], **{"mark_duplicate-original": foreign.reference}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["original"] == [
        f"No request {foreign.reference} among yours."
    ]
    req.refresh_from_db()
    assert req.status == Status.NEW


def test_staff_without_change_permission_are_offered_no_actions(client, callkom) -> None:
    viewer: Any = StaffFactory(organisations=[callkom])
    viewer.user_permissions.set(Permission.objects.filter(codename="view_request"))
    client.force_login(viewer)
    req = make_request(callkom)

    page = client.get(QUEUE)
    assert page.context["action_form"] is None or not [
        choice
        for choice in page.context["action_form"].fields["action"].choices
        if choice[0] == "assign_to_me"
    ]
    act(client, "assign_to_me", [req])

    req.refresh_from_db()
    assert req.assignee is None
