"""Extension: once, with reasons, notified before the first due date passes."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ValidationError

from routing.models import Organisation
from routing.services.requests import TransitionError, request_extend, request_receive
from tests.factories import make_request
from tests.requests.helpers import SYSTEM, event_types, snapshot

pytestmark = pytest.mark.django_db

# design/deadlines.md worked example: ComfortClick (Europe/Ljubljana, SI).
RECEIVED = datetime(2026, 10, 31, 11, 0, tzinfo=UTC)
DUE = date(2026, 11, 30)
EXTENDED = date(2027, 2, 1)  # 31 January 2027 is a Sunday


@pytest.fixture
def request_(registry, time_machine):
    time_machine.move_to(RECEIVED, tick=False)
    return make_request("comfortclick", received_at=RECEIVED)


def test_extension_moves_the_effective_date_and_fulfilled_routes(
    request_, by, time_machine
) -> None:
    assert (request_.due_on, request_.effective_due_on) == (DUE, DUE)
    time_machine.move_to(datetime(2026, 11, 10, 9, 0, tzinfo=UTC), tick=False)

    request_extend(request=request_, by=by, reason="  Twelve systems hold call logs.  ")

    assert request_.extended_at == datetime(2026, 11, 10, 9, 0, tzinfo=UTC)
    assert request_.extension_reason == "Twelve systems hold call logs."
    assert request_.due_on == DUE, "the first due date stays, for the record"
    assert request_.effective_due_on == EXTENDED
    assert {r.due_on for r in request_.routes.filter(action="fulfil")} == {EXTENDED}
    event = request_.events.get(type="extended")
    assert event.data["reason"] == "Twelve systems hold call logs."
    assert event.data["effective_due_on"] == EXTENDED.isoformat()


def test_extension_is_allowed_once(request_, by) -> None:
    request_extend(request=request_, by=by, reason="complex")
    before = snapshot(request_)

    with pytest.raises(TransitionError, match="once"):
        request_extend(request=request_, by=by, reason="still complex")

    assert snapshot(request_) == before


def test_extension_needs_reasons(request_, by) -> None:
    before = snapshot(request_)

    with pytest.raises(ValidationError) as error:
        request_extend(request=request_, by=by, reason="   ")

    assert "reason" in error.value.message_dict
    assert snapshot(request_) == before


def test_extension_on_the_last_evening_of_the_first_due_date_is_allowed(
    request_, by, time_machine
) -> None:
    # 22:30 UTC on 30 November is 23:30 in Ljubljana: still the due date there.
    time_machine.move_to(datetime(2026, 11, 30, 22, 30, tzinfo=UTC), tick=False)

    request_extend(request=request_, by=by, reason="complex")

    assert request_.effective_due_on == EXTENDED


def test_extension_after_first_deadline_is_refused(request_, by, time_machine) -> None:
    # 23:30 UTC on 30 November is already 1 December in Ljubljana.
    time_machine.move_to(datetime(2026, 11, 30, 23, 30, tzinfo=UTC), tick=False)
    before = snapshot(request_)

    with pytest.raises(TransitionError) as error:
        request_extend(request=request_, by=by, reason="complex")

    assert error.value.code == "too_late"
    assert snapshot(request_) == before
    assert "extended" not in event_types(request_)


def test_an_opt_out_of_sale_has_no_extension(registry, by) -> None:
    click_and_call = Organisation.objects.get(slug="click-and-call")
    request = request_receive(
        organisation=click_and_call,
        kinds=["opt_out_sale"],
        subject={"email": "sam@example.com", "country": "US", "region": "CA"},
        by=SYSTEM,
        verified=True,
    ).request
    assert request.regime == "ccpa"
    before = snapshot(request)

    with pytest.raises(TransitionError) as error:
        request_extend(request=request, by=by, reason="complex")

    assert error.value.code == "no_extension"
    assert snapshot(request) == before
