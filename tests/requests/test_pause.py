"""Stopping the clock: whole days in the organisation's zone move the dates under the
GDPR, and move nothing under the CCPA, whose clock verification does not stop."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ValidationError

from routing.models import Organisation, Request
from routing.services.requests import (
    request_extend,
    request_pause,
    request_receive,
    request_resume,
    request_verify,
)
from tests.factories import make_request
from tests.requests.helpers import SYSTEM

pytestmark = pytest.mark.django_db

# Callkom, Europe/Paris. Received Tuesday 10 March 2026: due Friday 10 April.
RECEIVED = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)


def _at(time_machine, year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    moment = datetime(year, month, day, hour, minute, tzinfo=UTC)
    time_machine.move_to(moment, tick=False)
    return moment


def _ccpa_request(**kwargs) -> Request:
    """A Click & Call request from a Californian: the CCPA's clock."""
    request = request_receive(
        organisation=Organisation.objects.get(slug="click-and-call"),
        kinds=["access"],
        subject={"name": "Sam Lee", "email": "sam@example.com", "country": "US", "region": "CA"},
        by=SYSTEM,
        received_at=RECEIVED,
        **kwargs,
    ).request
    assert request.regime == "ccpa"
    return request


def _route_dates(request: Request) -> dict[str, set[date | None]]:
    dates: dict[str, set[date | None]] = {}
    for route in request.routes.all():
        dates.setdefault(route.action, set()).add(route.due_on)
    return dates


def test_pause_and_resume_add_the_whole_days_paused(registry, by, time_machine) -> None:
    _at(time_machine, 2026, 3, 10, 10, 0)
    request = make_request("callkom", received_at=RECEIVED)
    assert request.due_on == date(2026, 4, 10)
    forward_due = request.forward_due_on

    _at(time_machine, 2026, 3, 12, 10, 0)
    request_pause(request=request, by=by, reason="Please send proof of identity.")
    assert request.is_paused
    assert request.pause_reason == "Please send proof of identity."
    _at(time_machine, 2026, 3, 17, 10, 0)
    request_resume(request=request, by=by, note="ID received")

    assert request.paused_days == 5
    assert not request.is_paused
    assert request.due_on == date(2026, 4, 15)
    assert request.effective_due_on == date(2026, 4, 15)
    assert request.extended_due_on == date(2026, 6, 15)
    assert request.forward_due_on == forward_due, "forwarding 'without delay' does not wait"
    assert _route_dates(request)["fulfil"] == {date(2026, 4, 15)}
    assert request.events.get(type="resumed").data["paused_days"] == 5


def test_an_extended_request_keeps_its_extension_when_the_clock_moves(
    registry, by, time_machine
) -> None:
    _at(time_machine, 2026, 3, 10, 10, 0)
    request = make_request("callkom", received_at=RECEIVED)
    request_extend(request=request, by=by, reason="complex")
    assert request.effective_due_on == date(2026, 6, 10)
    _at(time_machine, 2026, 3, 12, 10, 0)
    request_pause(request=request, by=by, reason="clarify the scope")
    _at(time_machine, 2026, 3, 15, 10, 0)
    request_resume(request=request, by=by)

    assert request.effective_due_on == date(2026, 6, 15), "10 June + 3 days is a Saturday"
    assert _route_dates(request)["fulfil"] == {date(2026, 6, 15)}


def test_hours_that_cross_no_local_midnight_add_nothing(registry, by, time_machine) -> None:
    _at(time_machine, 2026, 3, 10, 10, 0)
    request = make_request("callkom", received_at=RECEIVED)
    # 23:30 UTC on 12 March is 00:30 on 13 March in Paris; 22:30 UTC on 13 March is
    # 23:30 the same day there: 23 hours, one UTC midnight, no Paris midnight.
    _at(time_machine, 2026, 3, 12, 23, 30)
    request_pause(request=request, by=by, reason="clarify")
    _at(time_machine, 2026, 3, 13, 22, 30)
    request_resume(request=request, by=by)

    assert request.paused_days == 0
    assert request.due_on == date(2026, 4, 10)


def test_an_hour_across_local_midnight_counts_one_day(registry, by, time_machine) -> None:
    _at(time_machine, 2026, 3, 10, 10, 0)
    request = make_request("callkom", received_at=RECEIVED)
    # 23:30 to 00:30 in Paris, the same UTC date.
    _at(time_machine, 2026, 3, 12, 22, 30)
    request_pause(request=request, by=by, reason="clarify")
    _at(time_machine, 2026, 3, 12, 23, 30)
    request_resume(request=request, by=by)

    assert request.paused_days == 1
    assert request.due_on == date(2026, 4, 13), "11 April + 1 day is a Saturday"


def test_pause_under_ccpa_moves_no_date(registry, by, time_machine) -> None:
    _at(time_machine, 2026, 3, 10, 18, 0)
    request = _ccpa_request(verified=True)
    dates = (request.due_on, request.effective_due_on, request.extended_due_on)
    routes = _route_dates(request)
    assert request.due_on == date(2026, 4, 24)

    _at(time_machine, 2026, 3, 12, 18, 0)
    request_pause(request=request, by=by, reason="Please confirm your account email.")
    _at(time_machine, 2026, 3, 22, 18, 0)
    request_resume(request=request, by=by)

    assert request.paused_days == 10, "the pause is recorded"
    assert (request.due_on, request.effective_due_on, request.extended_due_on) == dates
    assert _route_dates(request) == routes


def test_gdpr_wait_for_confirmation_counts_as_a_pause(registry, time_machine) -> None:
    _at(time_machine, 2026, 3, 10, 10, 0)
    request = make_request("callkom", received_at=RECEIVED, verified=False)
    assert request.is_paused
    assert request.due_on == date(2026, 4, 10)

    _at(time_machine, 2026, 3, 13, 8, 0)
    request_verify(request=request, by=SYSTEM)

    assert request.paused_days == 3
    assert request.due_on == date(2026, 4, 13)
    assert _route_dates(request)["fulfil"] == {date(2026, 4, 13)}
    assert request.events.get(type="verified").data["paused_days"] == 3


def test_ccpa_wait_for_confirmation_does_not_stop_the_clock(registry, time_machine) -> None:
    _at(time_machine, 2026, 3, 10, 18, 0)
    request = _ccpa_request(verified=False)
    due = request.due_on

    _at(time_machine, 2026, 3, 16, 18, 0)
    request_verify(request=request, by=SYSTEM)

    assert request.due_on == due == date(2026, 4, 24)
    assert request.effective_due_on == due


# --- UK GDPR: the "relevant time" -----------------------------------------------------------


def test_under_uk_gdpr_a_proof_of_identity_starts_the_clock_afresh(
    registry, by, time_machine
) -> None:
    _at(time_machine, 2026, 3, 10, 10, 0)
    request = make_request("clickacall", country="GB", received_at=RECEIVED)
    assert request.regime == "uk-gdpr"
    _at(time_machine, 2026, 3, 12, 10, 0)
    request_pause(request=request, by=by, reason="A proof of identity.", waiting_for="identity")
    assert request.waiting_for == "identity"

    _at(time_machine, 2026, 3, 20, 10, 0)
    request_resume(request=request, by=by, note="Passport copy received")

    assert request.restarted_on == date(2026, 3, 20)
    assert request.paused_days == 0, "the days waited are inside the restart, not added to it"
    # One month from Friday 20 March: Monday 20 April, a working day in England.
    assert request.due_on == date(2026, 4, 20)
    assert request.waiting_for == ""
    assert request.events.get(type="resumed").data["restarted_on"] == "2026-03-20"


def test_under_uk_gdpr_a_clarification_only_pauses(registry, by, time_machine) -> None:
    _at(time_machine, 2026, 3, 10, 10, 0)
    request = make_request("clickacall", country="GB", received_at=RECEIVED)
    _at(time_machine, 2026, 3, 12, 10, 0)
    request_pause(request=request, by=by, reason="Which account?", waiting_for="clarification")
    _at(time_machine, 2026, 3, 20, 10, 0)

    request_resume(request=request, by=by)

    assert request.restarted_on is None
    assert request.paused_days == 8
    # 10 April + 8 days = Saturday 18 April, moved to Monday 20 April.
    assert request.due_on == date(2026, 4, 20)


def test_under_uk_gdpr_a_clarification_does_not_move_an_erasure(registry, by, time_machine) -> None:
    _at(time_machine, 2026, 3, 10, 10, 0)
    request = make_request(
        "clickacall", kinds=("access", "erasure"), country="GB", received_at=RECEIVED
    )
    due = request.due_on
    _at(time_machine, 2026, 3, 12, 10, 0)
    request_pause(request=request, by=by, reason="Which account?", waiting_for="clarification")
    _at(time_machine, 2026, 3, 20, 10, 0)

    request_resume(request=request, by=by)

    # Art. 12A(5) stops the clock for access only; the erasure's date binds, unmoved.
    assert request.paused_days == 8
    assert request.due_on == due == date(2026, 4, 10)


def test_under_gdpr_a_proof_of_identity_pauses_without_a_restart(
    registry, by, time_machine
) -> None:
    _at(time_machine, 2026, 3, 10, 10, 0)
    request = make_request("callkom", received_at=RECEIVED)
    _at(time_machine, 2026, 3, 12, 10, 0)
    request_pause(request=request, by=by, reason="A proof of identity.", waiting_for="identity")
    _at(time_machine, 2026, 3, 17, 10, 0)

    request_resume(request=request, by=by)

    assert request.restarted_on is None
    assert request.paused_days == 5
    assert request.due_on == date(2026, 4, 15)
    assert "restarted_on" not in request.events.get(type="resumed").data


def test_a_pause_waits_for_something_known(registry, by) -> None:
    request = make_request("callkom")

    with pytest.raises(ValidationError) as refused:
        request_pause(request=request, by=by, reason="?", waiting_for="a letter")

    assert "waiting_for" in refused.value.message_dict
