"""Each kind of a request is a part with its own dates, extension and outcome; the request
is due with its earliest open part."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from routing.models import PartStatus, Status, WaitingFor
from routing.services.requests import (
    TransitionError,
    request_complete,
    request_deny,
    request_extend,
    request_mark_duplicate,
    request_pause,
    request_resume,
    request_withdraw,
    route_mark_done,
)
from tests.factories import make_request

pytestmark = pytest.mark.django_db

# Monday 2 November 2026, 10:00 in Los Angeles.
RECEIVED = datetime(2026, 11, 2, 18, 0, tzinfo=UTC)


def ccpa_deletion_and_opt_out():
    return make_request(
        "click-and-call",
        kinds=("erasure", "opt_out_sale"),
        country="US",
        received_at=RECEIVED,
    )


def parts_of(request):
    return {part.kind: part for part in request.parts.all()}


@time_machine.travel(RECEIVED, tick=False)
def test_each_kind_has_its_own_clock_and_the_request_is_due_with_the_earliest(registry) -> None:
    request = ccpa_deletion_and_opt_out()
    parts = parts_of(request)

    erasure, opt_out = parts["erasure"], parts["opt_out_sale"]
    # CCPA: 45 calendar days for a deletion, extendable by 45 more (Cal. Civ. Code
    # § 1798.130(a)(2)), here shortened by Click & Call's own promise to delete within 30
    # days; 15 business days for an opt-out of sale, with no extension (Cal. Code Regs.
    # tit. 11, § 7026(f)), Veterans Day (11 Nov) not counted.
    assert erasure.due_on == date(2026, 12, 2)
    assert erasure.extendable_to == date(2027, 1, 31)
    assert erasure.extended_due_on is None
    assert opt_out.due_on == date(2026, 11, 24)
    assert opt_out.extendable_to is None
    assert erasure.acknowledge_by is not None
    assert opt_out.acknowledge_by is None
    assert all(part.status == PartStatus.OPEN for part in parts.values())
    assert erasure.explanation
    assert opt_out.explanation != erasure.explanation
    assert request.effective_due_on == opt_out.due_on


def test_completing_one_part_moves_the_request_to_the_next_part(registry, by) -> None:
    with time_machine.travel(RECEIVED, tick=False):
        request = ccpa_deletion_and_opt_out()
    with time_machine.travel(datetime(2026, 11, 20, 18, 0, tzinfo=UTC), tick=False):
        request_complete(request=request, by=by, kinds=["opt_out_sale"], note="opted out")

    parts = parts_of(request)
    assert parts["opt_out_sale"].status == PartStatus.DONE
    assert parts["opt_out_sale"].closed_at is not None
    assert parts["erasure"].status == PartStatus.OPEN
    assert request.status == Status.IN_PROGRESS
    assert request.closed_at is None
    assert request.effective_due_on == parts["erasure"].due_on
    event = request.events.get(type="completed")
    assert event.data["kinds"] == ["opt_out_sale"]


def test_a_part_is_extended_once_on_its_own(registry, by) -> None:
    with time_machine.travel(RECEIVED, tick=False):
        request = ccpa_deletion_and_opt_out()
    with time_machine.travel(datetime(2026, 11, 20, 18, 0, tzinfo=UTC), tick=False):
        request_complete(request=request, by=by, kinds=["opt_out_sale"])
        request_extend(request=request, by=by, reason="many systems", kinds=["erasure"])
        with pytest.raises(TransitionError, match="already extended"):
            request_extend(request=request, by=by, reason="again", kinds=["erasure"])

    erasure = parts_of(request)["erasure"]
    assert erasure.extended_at is not None
    assert erasure.extended_due_on == erasure.extendable_to
    assert request.effective_due_on == erasure.extended_due_on
    assert request.events.get(type="extended").data["kinds"] == ["erasure"]


def test_extend_without_kinds_extends_every_part_that_can_be(registry, by) -> None:
    with time_machine.travel(RECEIVED, tick=False):
        request = ccpa_deletion_and_opt_out()
        request_extend(request=request, by=by, reason="many systems")

    parts = parts_of(request)
    assert parts["erasure"].extended_at is not None
    # The opt-out has no extension; the request stays due with it.
    assert parts["opt_out_sale"].extended_at is None
    assert request.effective_due_on == parts["opt_out_sale"].due_on


def test_an_opt_out_part_cannot_be_extended(registry, by) -> None:
    with time_machine.travel(RECEIVED, tick=False):
        request = ccpa_deletion_and_opt_out()
        with pytest.raises(TransitionError, match="opt_out_sale part has no extension"):
            request_extend(request=request, by=by, reason="x", kinds=["opt_out_sale"])


def test_a_part_extension_after_its_due_date_is_refused(registry, by) -> None:
    with time_machine.travel(RECEIVED, tick=False):
        request = ccpa_deletion_and_opt_out()
    with (
        time_machine.travel(datetime(2026, 12, 20, 18, 0, tzinfo=UTC), tick=False),
        pytest.raises(TransitionError, match="has passed"),
    ):
        request_extend(request=request, by=by, reason="late", kinds=["erasure"])


@pytest.mark.parametrize(
    ("kinds", "message"),
    [(["access"], "Not a part of this request: access"), ([], "Name at least one part")],
)
def test_naming_a_part_the_request_does_not_have_is_refused(registry, by, kinds, message) -> None:
    request = ccpa_deletion_and_opt_out()
    with pytest.raises(ValidationError, match=message):
        request_complete(request=request, by=by, kinds=kinds)
    assert all(p.status == PartStatus.OPEN for p in request.parts.all())


def test_a_closed_part_cannot_be_completed_again(registry, by) -> None:
    request = ccpa_deletion_and_opt_out()
    request_complete(request=request, by=by, kinds=["opt_out_sale"])
    with pytest.raises(ValidationError, match="Already closed: opt_out_sale"):
        request_complete(request=request, by=by, kinds=["opt_out_sale"])


def test_completing_the_last_open_part_completes_the_request(registry, by) -> None:
    request = ccpa_deletion_and_opt_out()
    request_complete(request=request, by=by, kinds=["opt_out_sale"])
    # The last part closes the request: every route must be dealt with first.
    with pytest.raises(TransitionError, match="Routes still to act on"):
        request_complete(request=request, by=by)
    for route in request.routes.all():
        route_mark_done(route=route, by=by)
    request_complete(request=request, by=by)

    assert request.status == Status.COMPLETED
    assert {p.status for p in request.parts.all()} == {PartStatus.DONE}
    # The second completion named the one part left of two.
    assert request.events.filter(type="completed").last().data["kinds"] == ["erasure"]


def test_a_refusal_refuses_the_open_parts_and_keeps_the_answered_ones(registry, by) -> None:
    request = ccpa_deletion_and_opt_out()
    request_complete(request=request, by=by, kinds=["opt_out_sale"])
    request_deny(request=request, by=by, ground="legal_retention")

    parts = parts_of(request)
    assert parts["opt_out_sale"].status == PartStatus.DONE
    assert parts["erasure"].status == PartStatus.REFUSED
    assert parts["erasure"].denial_ground == "legal_retention"
    assert parts["opt_out_sale"].denial_ground == ""


@pytest.mark.parametrize("close", ["withdraw", "duplicate"])
def test_withdrawal_and_duplicate_closure_close_the_open_parts(registry, by, close) -> None:
    first = make_request("callkom", kinds=("access", "erasure"))
    request = make_request("callkom", kinds=("access", "erasure"))
    if close == "withdraw":
        request_withdraw(request=request, by=by)
    else:
        request_mark_duplicate(request=request, by=by, of=first)
    assert {p.status for p in request.parts.all()} == {PartStatus.CLOSED}


def test_a_request_cannot_be_a_duplicate_of_itself(registry, by) -> None:
    request = make_request("callkom")
    with pytest.raises(TransitionError, match="cannot be a duplicate of itself") as raised:
        request_mark_duplicate(request=request, by=by, of=request)
    assert raised.value.code == "self_duplicate"
    assert request.status != Status.DUPLICATE


def test_uk_gdpr_clarification_pause_moves_only_the_access_part(registry, by) -> None:
    """UK GDPR: waiting for a clarification stops the clock only for access (DPA 2018
    s. 45(3)/UK GDPR Art. 12(3) as amended); the erasure part keeps its date."""
    start = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        request = make_request("clickacall", kinds=("access", "erasure"), country="GB")
        before = parts_of(request)
        request_pause(
            request=request, by=by, reason="which account?", waiting_for=WaitingFor.CLARIFICATION
        )
    with time_machine.travel(datetime(2026, 11, 12, 10, 0, tzinfo=UTC), tick=False):
        request_resume(request=request, by=by)

    after = parts_of(request)
    assert after["access"].due_on > before["access"].due_on
    assert after["erasure"].due_on == before["erasure"].due_on
    assert request.effective_due_on == after["erasure"].due_on


def test_ccpa_parts_never_pause(registry, by) -> None:
    with time_machine.travel(RECEIVED, tick=False):
        request = ccpa_deletion_and_opt_out()
        before = parts_of(request)
        request_pause(request=request, by=by, reason="which account?")
    with time_machine.travel(datetime(2026, 11, 12, 18, 0, tzinfo=UTC), tick=False):
        request_resume(request=request, by=by)

    after = parts_of(request)
    assert {k: p.due_on for k, p in after.items()} == {k: p.due_on for k, p in before.items()}
