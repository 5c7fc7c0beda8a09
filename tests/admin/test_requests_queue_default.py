"""The queue opens on confirmed open work; unconfirmed requests and every other status are
filter choices, as is whether the clock runs."""

from __future__ import annotations

import pytest

from routing.models import Status, WaitingFor
from routing.services.actors import Actor
from routing.services.requests import request_assign, request_deny, request_pause
from tests.admin.helpers import admin_url, filter_choices, listed
from tests.factories import make_request

pytestmark = pytest.mark.django_db

QUEUE = admin_url("request", "changelist")
SYSTEM = Actor.system("test")


def references(response) -> set[str]:
    return {row.reference for row in listed(response)}


@pytest.fixture
def mix(callkom):
    new = make_request(callkom, email="new@example.org")
    working = make_request(callkom, email="work@example.org")
    request_assign(request=working, assignee=None, by=SYSTEM)
    working.refresh_from_db()
    assert working.status == Status.IN_PROGRESS
    paused = make_request(callkom, email="paused@example.org")
    request_pause(request=paused, by=SYSTEM, reason="An ID", waiting_for=WaitingFor.IDENTITY)
    unconfirmed = make_request(callkom, email="unconfirmed@example.org", verified=False)
    denied = make_request(callkom, email="denied@example.org")
    request_deny(request=denied, by=SYSTEM, ground="no_data_held")
    return {
        "new": new,
        "working": working,
        "paused": paused,
        "unconfirmed": unconfirmed,
        "denied": denied,
    }


def test_the_default_queue_is_confirmed_open_work(client_a, mix) -> None:
    response = client_a.get(QUEUE)

    assert references(response) == {
        mix["new"].reference,
        mix["working"].reference,
        mix["paused"].reference,
    }


def test_unconfirmed_requests_are_a_choice_of_their_own(client_a, mix) -> None:
    response = client_a.get(QUEUE)

    choices = filter_choices(response, "status")
    assert choices[:2] == ["unconfirmed (address not confirmed yet)", "new"]
    assert "any status" in choices
    assert references(client_a.get(QUEUE, {"status": Status.UNVERIFIED})) == {
        mix["unconfirmed"].reference
    }
    assert len(listed(client_a.get(QUEUE, {"status": "all"}))) == 5


def test_the_default_choice_is_shown_selected(client_a, mix) -> None:
    response = client_a.get(QUEUE)

    spec = next(s for s in response.context["cl"].filter_specs if s.title == "status")
    selected = [c["display"] for c in spec.choices(response.context["cl"]) if c["selected"]]
    assert selected == ["open (confirmed)"]


def test_clock_filter(client_a, mix) -> None:
    assert references(client_a.get(QUEUE, {"clock": "stopped"})) == {mix["paused"].reference}
    running = references(client_a.get(QUEUE, {"clock": "running"}))
    assert mix["paused"].reference not in running
    assert mix["new"].reference in running


def test_the_queues_query_count_is_bounded(
    client_a, callkom, django_assert_max_num_queries
) -> None:
    for i in range(12):
        make_request(callkom, email=f"subject{i % 5}@example.org")
    client_a.get(QUEUE)

    with django_assert_max_num_queries(12):
        assert len(listed(client_a.get(QUEUE))) == 12
