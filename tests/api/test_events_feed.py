from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from routing.api.selectors import EVENTS_SAFETY_LAG, EventCursor
from routing.models import ActorType, Event, Organisation
from routing.services.actors import Actor
from routing.services.requests import request_note
from tests.factories import OrganisationFactory, make_request
from tests.support.api import assert_error

pytestmark = pytest.mark.django_db

URL = "/api/v1/events/"


@pytest.fixture
def api_organisation() -> Organisation:
    return OrganisationFactory.create(slug="acme")


def _read_all(api, after: str | None = None, limit: int = 2) -> tuple[list[int], str | None]:
    ids: list[int] = []
    while True:
        query = {"limit": limit, **({"after": after} if after else {})}
        response = api.get(URL, query)
        assert response.status_code == 200, response.content
        body = response.json()
        ids += [e["id"] for e in body["results"]]
        after = body["cursor"]
        if not body["has_more"]:
            return ids, after


def test_pages_follow_each_other_without_gaps_or_repeats(
    api, api_organisation, time_machine
) -> None:
    time_machine.move_to("2026-03-02T10:00:00Z", tick=False)
    request = make_request(api_organisation)
    for n in range(6):
        request_note(request=request, by=Actor.system(), text=f"note {n}")
    time_machine.move_to(timezone.now() + EVENTS_SAFETY_LAG, tick=False)

    ids, cursor = _read_all(api)

    expected = list(
        Event.objects.filter(request=request)
        .order_by("created_at", "id")
        .values_list("pk", flat=True)
    )
    assert ids == expected
    assert len(ids) == 7  # received + six notes

    # Later events continue from the cursor, once they are past the safety lag.
    request_note(request=request, by=Actor.system(), text="later")
    assert _read_all(api, cursor)[0] == []
    time_machine.move_to(timezone.now() + EVENTS_SAFETY_LAG, tick=False)
    later, _ = _read_all(api, cursor)
    assert later == [Event.objects.get(type="note", data__text="later").pk]


def test_an_event_committed_late_with_an_earlier_time_is_not_skipped(
    api, api_organisation, time_machine
) -> None:
    """Ids are taken at insert and created_at just before: a slow transaction can insert a
    lower created_at after a quicker one. Ordering by (created_at, id) and waiting out the
    lag keeps the feed complete."""
    time_machine.move_to("2026-03-02T10:00:00Z", tick=False)
    request = make_request(api_organisation)
    start = timezone.now()
    quick = Event.objects.create(
        request=request, created_at=start + timedelta(milliseconds=2), actor_type=ActorType.SYSTEM,
        type="note", data={"text": "quick"},
    )  # fmt: skip
    slow = Event.objects.create(
        request=request, created_at=start + timedelta(milliseconds=1), actor_type=ActorType.SYSTEM,
        type="note", data={"text": "slow"},
    )  # fmt: skip
    assert slow.pk > quick.pk
    time_machine.move_to(start + EVENTS_SAFETY_LAG + timedelta(seconds=1), tick=False)

    ids, _ = _read_all(api)

    assert ids[-2:] == [slow.pk, quick.pk]


def test_events_are_shaped_for_integrations(api, api_organisation, time_machine) -> None:
    time_machine.move_to("2026-03-02T10:00:00Z", tick=False)
    request = make_request(api_organisation)
    time_machine.move_to(timezone.now() + EVENTS_SAFETY_LAG, tick=False)

    event = api.get(URL).json()["results"][0]

    assert event["type"] == "received"
    assert event["request"] == {
        "id": request.pk, "reference": request.reference, "organisation": "acme",
    }  # fmt: skip
    assert event["actor"] == {"type": "system", "label": "test"}
    assert EventCursor.decode(event["cursor"]).id == event["id"]


def test_no_events_keeps_the_cursor(api) -> None:
    body = api.get(URL, {"after": "1700000000000000-5"}).json()

    assert body == {"results": [], "cursor": "1700000000000000-5", "has_more": False}


@pytest.mark.parametrize("cursor", ["abc", "12", "-1-2", "1-", "9" * 30 + "-1"])
def test_a_cursor_the_api_did_not_give_is_refused(api, cursor) -> None:
    assert_error(api.get(URL, {"after": cursor}), 400, "invalid", {"after": "invalid_cursor"})


def test_limit_is_bounded(api) -> None:
    assert_error(api.get(URL, {"limit": 0}), 400, "invalid", {"limit": "min_value"})
    assert_error(api.get(URL, {"limit": 501}), 400, "invalid", {"limit": "max_value"})
