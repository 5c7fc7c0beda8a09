"""The queue: ordered by due date, coloured by risk, filtered and searched as staff work."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from routing.models import Organisation, Request, Status
from routing.selectors import queue
from routing.services.actors import Actor
from routing.services.requests import (
    request_assign,
    request_deny,
    request_override_regime,
    route_mark_done,
    route_mark_sent,
)
from tests.admin.helpers import admin_url, listed
from tests.factories import make_request

pytestmark = pytest.mark.django_db

QUEUE = admin_url("request", "changelist")
SYSTEM = Actor.system("test")


def references(response) -> list[str]:
    return [row.reference for row in listed(response)]


# --- query count and order ------------------------------------------------------------------


@pytest.mark.slow
def test_queue_query_count_is_the_same_for_10_and_100_rows(client_a, staff_a, callkom) -> None:
    def add(count: int, start: int) -> None:
        for i in range(start, start + count):
            # Some repeat an earlier email, so rows also carry a duplicate flag and assignee.
            req = make_request(callkom, email=f"subject{i % 7}@example.org")
            if i % 2:
                request_assign(request=req, assignee=staff_a, by=SYSTEM)

    add(10, 0)
    client_a.get(QUEUE)  # sessions, permissions and content types cached as in real use
    with CaptureQueriesContext(connection) as ten:
        assert len(listed(client_a.get(QUEUE))) == 10
    add(90, 10)
    with CaptureQueriesContext(connection) as hundred:
        assert len(listed(client_a.get(QUEUE))) == 100

    assert len(ten) == len(hundred), [q["sql"] for q in hundred.captured_queries]


def test_queue_is_ordered_by_effective_due_date(client_a, callkom) -> None:
    now = datetime.now(UTC)
    middle = make_request(callkom, email="m@example.org", received_at=now - timedelta(days=10))
    late = make_request(callkom, email="l@example.org", received_at=now)
    early = make_request(callkom, email="e@example.org", received_at=now - timedelta(days=20))

    assert references(client_a.get(QUEUE)) == [early.reference, middle.reference, late.reference]


# --- filters --------------------------------------------------------------------------------


def test_status_filter_open_and_one_status(client_a, callkom) -> None:
    open_one = make_request(callkom, email="o@example.org")
    unverified = make_request(callkom, email="u@example.org", verified=False)
    denied = make_request(callkom, email="d@example.org")
    request_deny(request=denied, by=SYSTEM, ground="no_data_held")

    # "open" is confirmed open work: an unconfirmed request is a choice of its own.
    assert references(client_a.get(QUEUE, {"status": "open"})) == [open_one.reference]
    assert references(client_a.get(QUEUE, {"status": Status.DENIED})) == [denied.reference]
    assert references(client_a.get(QUEUE, {"status": Status.UNVERIFIED})) == [unverified.reference]
    assert set(references(client_a.get(QUEUE, {"status": "all"}))) == {
        open_one.reference,
        unverified.reference,
        denied.reference,
    }


def test_regime_filter(client_a, callkom) -> None:
    gdpr = make_request(callkom, email="g@example.org")
    uk = make_request(callkom, email="uk@example.org")
    request_override_regime(request=uk, by=SYSTEM, regime="uk-gdpr", reason="UK establishment")

    assert references(client_a.get(QUEUE, {"regime": "gdpr"})) == [gdpr.reference]
    assert references(client_a.get(QUEUE, {"regime": "uk-gdpr"})) == [uk.reference]


def test_kind_filter_matches_whole_kinds_on_this_database(client_a, callkom) -> None:
    access = make_request(callkom, email="a@example.org", kinds=("access",))
    marketing = make_request(callkom, email="m@example.org", kinds=("marketing_objection",))
    objection = make_request(callkom, email="o@example.org", kinds=("erasure", "objection"))

    assert references(client_a.get(QUEUE, {"kind": "access"})) == [access.reference]
    # "objection" must not match inside "marketing_objection".
    assert references(client_a.get(QUEUE, {"kind": "objection"})) == [objection.reference]
    assert references(client_a.get(QUEUE, {"kind": "marketing_objection"})) == [marketing.reference]
    assert references(client_a.get(QUEUE, {"kind": "erasure"})) == [objection.reference]
    assert references(client_a.get(QUEUE, {"kind": "portability"})) == []


def test_due_filter_buckets(client_a, callkom, time_machine) -> None:
    def received(day: datetime, email: str):
        time_machine.move_to(day, tick=False)
        return make_request(callkom, email=email, received_at=day)

    # GDPR, one month from receipt; today is Monday 2026-03-16 in Paris.
    overdue = received(datetime(2026, 2, 10, 9, tzinfo=UTC), "late@example.org")  # 03-10
    this_week = received(datetime(2026, 2, 20, 9, tzinfo=UTC), "week@example.org")  # 03-20
    two_weeks = received(datetime(2026, 3, 2, 9, tzinfo=UTC), "two@example.org")  # 04-02
    later = received(datetime(2026, 3, 16, 9, tzinfo=UTC), "later@example.org")  # 04-16
    closed = received(datetime(2026, 2, 10, 9, tzinfo=UTC), "closed@example.org")
    request_deny(request=closed, by=SYSTEM, ground="no_data_held")
    time_machine.move_to(datetime(2026, 3, 16, 12, tzinfo=UTC), tick=False)
    assert [queue.days_left(r) for r in (overdue, this_week, two_weeks, later)] == [-6, 4, 17, 31]

    assert references(client_a.get(QUEUE, {"due": "overdue"})) == [overdue.reference]
    assert references(client_a.get(QUEUE, {"due": "this_week"})) == [this_week.reference]
    assert references(client_a.get(QUEUE, {"due": "next_two_weeks"})) == [two_weeks.reference]


def test_overdue_is_counted_in_the_organisations_zone(callkom, time_machine) -> None:
    time_machine.move_to(datetime(2026, 2, 20, 9, tzinfo=UTC), tick=False)
    req = make_request(callkom)
    assert req.effective_due_on.isoformat() == "2026-03-20"
    organisations = Organisation.objects.filter(pk=callkom.pk)

    def overdue() -> bool:
        return Request.objects.filter(queue.due_bucket_q("overdue", organisations)).exists()

    # 23:30 in Paris on the due date: still due today.
    time_machine.move_to(datetime(2026, 3, 20, 22, 30, tzinfo=UTC), tick=False)
    assert not overdue()
    # 00:30 in Paris the next day, though still the 20th in UTC: overdue.
    time_machine.move_to(datetime(2026, 3, 20, 23, 30, tzinfo=UTC), tick=False)
    assert overdue()


def test_assignee_filter_me_and_unassigned(client_a, staff_a, callkom) -> None:
    mine = make_request(callkom, email="mine@example.org")
    request_assign(request=mine, assignee=staff_a, by=SYSTEM)
    nobodys = make_request(callkom, email="nobody@example.org")

    assert references(client_a.get(QUEUE, {"assigned": "me"})) == [mine.reference]
    assert references(client_a.get(QUEUE, {"assigned": "nobody"})) == [nobodys.reference]


def test_route_action_filter(admin_client, callkom) -> None:
    # A named processor scope whose customer is unknown still gets its forward route.
    callkom_request = make_request(
        callkom, email="c@example.org", scopes=["callkom:website", "callkom:ai-calls"]
    )
    comfortclick_request = make_request(
        "comfortclick",
        email="cc@example.org",
        scopes=["comfortclick:app-diagnostics", "comfortclick:linhome"],
    )

    assert references(admin_client.get(QUEUE, {"route_action": "redirect"})) == [
        comfortclick_request.reference
    ]
    assert references(admin_client.get(QUEUE, {"route_action": "forward"})) == [
        callkom_request.reference
    ]
    assert set(references(admin_client.get(QUEUE, {"route_action": "fulfil"}))) == {
        callkom_request.reference,
        comfortclick_request.reference,
    }


def test_route_status_filter(client_a, callkom) -> None:
    unresolved = make_request(
        callkom, email="u@example.org", scopes=["callkom:website", "callkom:ai-calls"]
    )
    website = make_request(callkom, email="w@example.org", scopes=["callkom:website"])
    route_mark_sent(route=website.routes.get(), by=SYSTEM)

    assert references(client_a.get(QUEUE, {"route_status": "needs_customer"})) == [
        unresolved.reference
    ]
    assert references(client_a.get(QUEUE, {"route_status": "sent"})) == [website.reference]
    assert references(client_a.get(QUEUE, {"route_status": "needs_action"})) == [
        unresolved.reference
    ]


def test_routes_to_act_counts_open_routes_even_when_filtering_on_routes(client_a, callkom) -> None:
    req = make_request(
        callkom,
        email="r@example.org",
        scopes=["callkom:website", "callkom:billing", "callkom:ai-calls"],
    )
    route_mark_done(route=req.routes.get(scope__key="callkom:website"), by=SYSTEM)

    for params in ({}, {"route_action": "fulfil"}, {"route_status": "needs_action"}):
        [row] = listed(client_a.get(QUEUE, params))
        # Billing still pending and the forward waiting for its customer; website is done.
        assert row.routes_to_act == 2


# --- search ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "term", ["CK-2026-000001", "ck-2026-000001", "ck 2026 1", "CK2026-1", " ck-2026-01 "]
)
def test_search_by_reference_typed_loosely(client_a, callkom, time_machine, term) -> None:
    time_machine.move_to(datetime(2026, 5, 4, 9, tzinfo=UTC), tick=False)
    first = make_request(callkom, email="first@example.org")
    # References that merely contain the same digits, e.g. CK-2026-000010, stay out.
    for i in range(10):
        make_request(callkom, email=f"other{i}@example.org")
    assert first.reference == "CK-2026-000001"

    assert references(client_a.get(QUEUE, {"q": term})) == [first.reference]


@pytest.mark.parametrize("term", ["ada@example.org", "ADA@Example.ORG", "  ada@example.org "])
def test_search_by_email_ignores_case_and_spaces(client_a, callkom, term) -> None:
    ada = make_request(callkom, email="ada@example.org")
    make_request(callkom, email="bea@example.org")

    assert references(client_a.get(QUEUE, {"q": term})) == [ada.reference]


@pytest.mark.parametrize(
    "term",
    ["+33199001234", "+33 1 99 00 12 34", "01 99 00 12 34", "01.99.00.12.34", "0033 1 99 00 12 34"],
)
def test_search_by_phone_typed_loosely(client_a, callkom, term) -> None:
    caller = make_request(callkom, email="caller@example.org", phone="+33 1 99 00 12 34")
    make_request(callkom, email="other@example.org", phone="+33 1 99 00 56 78")
    assert caller.subject_phone == "+33199001234"

    assert references(client_a.get(QUEUE, {"q": term})) == [caller.reference]


def test_reference_and_phone_forms() -> None:
    assert queue.reference_forms("clk/2026/42") == ["CLK-2026-000042"]
    assert queue.reference_forms("ada@example.org") == []
    # A national number is read in each region; the French reading is among them.
    assert "+33199001234" in queue.phone_forms("01 99 00 12 34", ["FR", "GB"])
    assert queue.phone_forms("0033 1 99 00 12 34", ["GB"]) == ["+33199001234"]
    assert queue.phone_forms("12345", ["FR"]) == []
    assert queue.phone_forms("ada@example.org", ["FR"]) == []


# --- colour ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "css", "text"),
    [
        (30, "due-ok", "30 days left"),
        (10, "due-ok", "10 days left"),
        (9, "due-soon", "9 days left"),
        (5, "due-soon", "5 days left"),
        (4, "due-urgent", "4 days left"),
        (1, "due-urgent", "1 day left"),
        (0, "due-urgent", "due today"),
        (-1, "due-urgent", "1 day overdue"),
        (-3, "due-urgent", "3 days overdue"),
    ],
)
def test_due_colour_at_the_boundaries(client_a, callkom, time_machine, days, css, text) -> None:
    time_machine.move_to(datetime(2026, 3, 2, 9, tzinfo=UTC), tick=False)
    req = make_request(callkom)
    assert req.effective_due_on.isoformat() == "2026-04-02"
    time_machine.move_to(datetime(2026, 4, 2, 10, tzinfo=UTC) - timedelta(days=days), tick=False)

    html = client_a.get(QUEUE).content.decode()

    assert f'<span class="due {css}">2 Apr 2026<br><small>{text}</small></span>' in html


def test_days_left_are_counted_in_the_organisations_zone(client_a, callkom, time_machine) -> None:
    time_machine.move_to(datetime(2026, 3, 2, 9, tzinfo=UTC), tick=False)
    make_request(callkom)  # due 2026-04-02

    # 22:30 UTC on 03-23 is 23:30 in Paris: ten days left.
    time_machine.move_to(datetime(2026, 3, 23, 22, 30, tzinfo=UTC), tick=False)
    assert 'class="due due-ok"' in client_a.get(QUEUE).content.decode()
    # 23:30 UTC is already 03-24 in Paris: nine days left.
    time_machine.move_to(datetime(2026, 3, 23, 23, 30, tzinfo=UTC), tick=False)
    assert 'class="due due-soon"' in client_a.get(QUEUE).content.decode()


def test_closed_requests_are_not_coloured(client_a, callkom) -> None:
    req = make_request(callkom)
    request_deny(request=req, by=SYSTEM, ground="no_data_held")

    html = client_a.get(QUEUE, {"status": "all"}).content.decode()

    assert 'class="due due-closed"' in html
    assert "due-urgent" not in html


@pytest.mark.parametrize(
    ("days", "risk"), [(10, "ok"), (9, "soon"), (5, "soon"), (4, "urgent"), (-1, "urgent")]
)
def test_due_risk_boundaries(days, risk) -> None:
    assert queue.due_risk(days) == risk


def test_queue_page_has_no_inline_style_or_script(client_a, callkom) -> None:
    make_request(callkom)

    html = client_a.get(QUEUE).content.decode()

    assert "style=" not in html
    assert "<style" not in html
    assert "<script>" not in html
    assert "routing/admin.css" in html
