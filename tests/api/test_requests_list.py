from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from routing.models import Organisation, Request
from routing.services.actors import Actor
from routing.services.requests import request_assign, request_deny
from tests.factories import OrganisationFactory, StaffFactory, make_request
from tests.support.api import assert_error

pytestmark = pytest.mark.django_db

URL = "/api/v1/requests/"


def _references(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["reference"] for row in response.json()["results"]]


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.fixture
def api_organisation() -> Organisation:
    """The integration's organisation: GDPR, in Paris."""
    return OrganisationFactory.create(slug="acme")


@pytest.fixture
def requests(api_organisation, time_machine):
    """Five requests of the integration's organisation and one of another, on known dates."""
    time_machine.move_to("2026-03-20T09:00:00Z", tick=False)
    own = api_organisation
    early = make_request(own, kinds=("access",), received_at=_at("2026-01-05T10:00:00+00:00"))
    objection = make_request(
        own,
        kinds=("objection",),
        received_at=_at("2026-03-02T10:00:00+00:00"),
        email="bo@example.org",
    )
    marketing = make_request(
        own, kinds=("marketing_objection",), received_at=_at("2026-03-10T10:00:00+00:00")
    )
    uk = make_request(own, kinds=("erasure",), received_at=_at("2026-03-12T10:00:00+00:00"))
    Request.objects.filter(pk=uk.pk).update(regime="uk-gdpr")
    denied = make_request(own, kinds=("access",), received_at=_at("2026-03-15T10:00:00+00:00"))
    request_deny(request=denied, by=Actor.system(), ground="excessive")
    foreign = make_request(
        OrganisationFactory.create(slug="globex"), received_at=_at("2026-03-01T10:00:00+00:00")
    )
    return {
        "early": early, "objection": objection, "marketing": marketing, "uk": uk,
        "denied": denied, "foreign": foreign,
    }  # fmt: skip


def test_the_list_holds_the_integrations_organisations_only_newest_first(api, requests) -> None:
    references = _references(api.get(URL))

    assert requests["foreign"].reference not in references
    assert references == [
        r.reference for r in sorted(
            (v for k, v in requests.items() if k != "foreign"), key=lambda r: -r.pk
        )
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "denied"}, ["denied"]),
        ({"status": ["denied", "new"]}, ["denied", "uk", "marketing", "objection", "early"]),
        ({"kind": "objection"}, ["objection"]),
        ({"kind": "marketing_objection"}, ["marketing"]),
        ({"regime": "uk-gdpr"}, ["uk"]),
        ({"organisation": "acme", "kind": "erasure"}, ["uk"]),
        ({"organisation": "globex"}, []),
        ({"due_before": "2026-02-28"}, ["early"]),
        ({"due_after": "2026-04-12", "status": "new"}, ["uk"]),
        ({"overdue": "true"}, ["early"]),
        ({"email": "BO@example.org"}, ["objection"]),
    ],
)
def test_filters(api, requests, query, expected) -> None:
    references = _references(api.get(URL, query))

    assert references == [requests[name].reference for name in expected]


def test_filter_by_assignee(api, requests) -> None:
    staff = StaffFactory(username="lea", organisations=[requests["uk"].organisation])
    request_assign(request=requests["uk"], assignee=staff, by=Actor.system())

    assert _references(api.get(URL, {"assignee": "lea"})) == [requests["uk"].reference]


def test_filter_updated_since(api, requests, time_machine) -> None:
    time_machine.move_to("2026-03-21T09:00:00Z", tick=False)
    request_deny(request=requests["early"], by=Actor.system(), ground="excessive")

    references = _references(api.get(URL, {"updated_since": "2026-03-21T08:00:00Z"}))

    assert references == [requests["early"].reference]


def test_overdue_false_lists_the_rest(api, requests) -> None:
    references = _references(api.get(URL, {"overdue": "false"}))

    assert requests["early"].reference not in references
    assert len(references) == 4


def test_a_bad_filter_value_names_the_parameter(api, requests) -> None:
    response = api.get(URL, {"status": "lost", "due_before": "tomorrow"})

    assert_error(response, 400, "invalid", {"status": "invalid_choice", "due_before": "invalid"})


def test_cursor_pages_cover_every_row_once_even_with_inserts(api, requests) -> None:
    seen: list[str] = []
    response = api.get(URL, {"page_size": 2})
    while True:
        seen += _references(response)
        # A request created meanwhile is newer than the cursor, so it is not shown.
        make_request(requests["early"].organisation)
        following = response.json()["next"]
        if not following:
            break
        response = api.get(following)

    assert len(seen) == len(set(seen)) == 5


def test_a_bad_cursor_is_a_404_in_the_error_shape(api, requests) -> None:
    assert_error(api.get(URL, {"cursor": "garbage"}), 404, "not_found")


@pytest.fixture
def many_requests(api_organisation):
    for n in range(120):
        make_request(
            api_organisation,
            email=f"s{n}@example.org",
            received_at=timezone.now() - timedelta(days=n % 40),
        )


@pytest.mark.slow
def test_the_number_of_queries_does_not_grow_with_the_page_size(api, many_requests) -> None:
    api.get(URL)  # the first call of the minute also records last_used_at
    counts = {}
    for size in (10, 100):
        with CaptureQueriesContext(connection) as queries:
            response = api.get(URL, {"page_size": size, "status": "new"})
        assert len(response.json()["results"]) == size
        counts[size] = len(queries)

    assert counts[10] == counts[100]
    # The token with the integration's organisations, then the page.
    assert counts[100] == 2, counts
