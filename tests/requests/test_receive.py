"""Intake: reference numbers, the status token, and duplicates."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from routing.domain.tokens import token_hash
from routing.models import Event, Organisation, ReferenceCounter, Request, Status
from routing.services.requests import request_mark_duplicate, request_receive
from tests.factories import make_request
from tests.requests.helpers import SYSTEM, event_types

pytestmark = pytest.mark.django_db

RECEIVED = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)


# --- references ---------------------------------------------------------------------------


def test_references_are_sequential_per_organisation_and_year(registry, time_machine) -> None:
    time_machine.move_to(RECEIVED, tick=False)

    first = make_request("callkom", email="a@example.org")
    second = make_request("callkom", email="b@example.org")
    other = make_request("comfortclick", email="c@example.org")
    time_machine.move_to(datetime(2027, 1, 5, 10, 0, tzinfo=UTC), tick=False)
    next_year = make_request("callkom", email="d@example.org")

    assert first.reference == "CK-2026-000001"
    assert second.reference == "CK-2026-000002"
    assert other.reference == "CC-2026-000001"
    assert next_year.reference == "CK-2027-000001"


def test_the_reference_year_is_the_organisations_local_year(registry, time_machine) -> None:
    # 23:30 UTC on 31 December 2026 is 00:30 on 1 January 2027 in Paris.
    received = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    time_machine.move_to(received, tick=False)

    request = make_request("callkom", received_at=received)

    assert request.reference == "CK-2027-000001"
    assert request.received_on.year == 2027


def test_a_refused_intake_takes_no_number(registry) -> None:
    callkom = Organisation.objects.get(slug="callkom")
    with pytest.raises(ValidationError):
        request_receive(
            organisation=callkom, kinds=[], subject={"email": "not-an-address"}, by=SYSTEM
        )

    assert not ReferenceCounter.objects.exists()
    assert make_request("callkom").reference.endswith("-000001")


# --- status token -------------------------------------------------------------------------


def test_status_token_is_stored_hashed(registry) -> None:
    received = request_receive(
        organisation=Organisation.objects.get(slug="callkom"),
        kinds=["access"],
        subject={"name": "Ada Martin", "email": "ada@example.org", "country": "FR"},
        by=SYSTEM,
    )
    token = received.token
    request = Request.objects.get(pk=received.request.pk)

    assert len(token) >= 40
    assert request.status_token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert request.status_token_hash == token_hash(token)
    stored = json.dumps(
        [
            list(Request.objects.filter(pk=request.pk).values().get().values()),
            list(Event.objects.filter(request=request).values_list("data", flat=True)),
        ],
        default=str,
    )
    assert token not in stored


def test_each_request_gets_its_own_token(registry) -> None:
    callkom = Organisation.objects.get(slug="callkom")
    subject = {"email": "ada@example.org", "country": "FR"}
    first = request_receive(organisation=callkom, kinds=["access"], subject=subject, by=SYSTEM)
    second = request_receive(organisation=callkom, kinds=["erasure"], subject=subject, by=SYSTEM)

    assert first.token != second.token
    assert first.request.status_token_hash != second.request.status_token_hash


# --- duplicates ---------------------------------------------------------------------------


def _later(time_machine, days: float) -> datetime:
    moment = RECEIVED + timedelta(days=days)
    time_machine.move_to(moment, tick=False)
    return moment


@pytest.fixture
def first(registry, time_machine) -> Request:
    time_machine.move_to(RECEIVED, tick=False)
    return make_request(
        "callkom", kinds=("access", "erasure"), email="ada@example.org", phone="06 39 98 00 01"
    )


def test_same_email_and_a_shared_kind_within_30_days_is_flagged(first, time_machine) -> None:
    _later(time_machine, 12)

    second = make_request("callkom", kinds=("erasure",), email="ada@example.org")

    assert second.possible_duplicate_of == first
    assert second.status == Status.NEW, "flagged for staff, not closed"
    event = second.events.get(type="duplicate_suspected")
    assert event.data == {"of": first.reference}


def test_same_phone_with_another_email_is_flagged(first, time_machine) -> None:
    _later(time_machine, 3)

    second = make_request(
        "callkom", kinds=("access",), email="other@example.org", phone="+33 6 39 98 00 01"
    )

    assert second.possible_duplicate_of == first


def test_email_case_does_not_hide_a_duplicate(first, time_machine) -> None:
    _later(time_machine, 3)

    second = make_request("callkom", kinds=("access",), email="Ada@Example.ORG")

    assert second.possible_duplicate_of == first


def test_exactly_30_days_later_is_flagged(first, time_machine) -> None:
    received = _later(time_machine, 30)

    second = make_request("callkom", email="ada@example.org", received_at=received)

    assert second.possible_duplicate_of == first


def test_31_days_later_is_not_flagged(first, time_machine) -> None:
    _later(time_machine, 31)

    second = make_request("callkom", email="ada@example.org")

    assert second.possible_duplicate_of is None
    assert "duplicate_suspected" not in event_types(second)


def test_another_organisation_is_not_flagged(first, time_machine) -> None:
    _later(time_machine, 1)

    second = make_request("comfortclick", email="ada@example.org", phone="+33 6 39 98 00 01")

    assert second.possible_duplicate_of is None


def test_another_kind_is_not_flagged(first, time_machine) -> None:
    _later(time_machine, 1)

    second = make_request("callkom", kinds=("objection",), email="ada@example.org")

    assert second.possible_duplicate_of is None


def test_another_subject_is_not_flagged(first, time_machine) -> None:
    _later(time_machine, 1)

    second = make_request("callkom", email="grace@example.org", phone="+33 6 39 98 00 02")

    assert second.possible_duplicate_of is None


def test_the_earliest_open_match_is_named(first, by, time_machine) -> None:
    _later(time_machine, 1)
    second = make_request("callkom", email="ada@example.org")
    request_mark_duplicate(request=second, by=by)
    _later(time_machine, 2)

    third = make_request("callkom", email="ada@example.org")

    assert third.possible_duplicate_of == first, "a closed duplicate is not named again"


def test_staff_close_a_flagged_request_as_duplicate(first, by, time_machine) -> None:
    _later(time_machine, 5)
    second = make_request("callkom", kinds=("access",), email="ada@example.org")

    request_mark_duplicate(request=second, by=by)

    assert second.status == Status.DUPLICATE
    assert second.duplicate_of == first
    assert second.closed_at == RECEIVED + timedelta(days=5)
    assert second.events.get(type="marked_duplicate").data == {"of": first.reference}
    first.refresh_from_db()
    assert first.is_open, "the original is untouched"


@pytest.mark.slow
def test_a_duplicate_is_found_behind_many_requests_of_other_kinds(registry, time_machine) -> None:
    # Candidates are read in batches: the match sits after more than one batch of others.
    time_machine.move_to(RECEIVED, tick=False)
    for n in range(120):
        make_request("callkom", kinds=("portability",), email="ada@example.org", name=f"A{n}")
    earliest_erasure = make_request("callkom", kinds=("erasure",), email="ada@example.org")
    _later(time_machine, 3)

    later = make_request("callkom", kinds=("erasure",), email="Ada@Example.org")

    assert later.possible_duplicate_of == earliest_erasure


@pytest.mark.postgres
def test_the_duplicate_lookup_by_email_uses_an_index(registry) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from routing.services.requests.receive import find_duplicate

    callkom = Organisation.objects.get(slug="callkom")
    with CaptureQueriesContext(connection) as queries:
        find_duplicate(
            organisation_id=callkom.pk,
            email="Ada@Example.org",
            phone="",
            kinds=["access"],
            received_at=RECEIVED,
        )
    with connection.cursor() as cursor:
        # A small table is read whole otherwise; the question is whether an index serves.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {queries.captured_queries[0]['sql']}")
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "request_subject_email_idx" in plan, plan
