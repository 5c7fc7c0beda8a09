"""The explanation: plain sentences in order, and the JSON integrations receive."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from routing.clock import ClockInput, Commitment, Deadlines, Step, compute_deadlines


def paris_1_february() -> Deadlines:
    return compute_deadlines(
        ClockInput(
            regime="gdpr",
            timezone="Europe/Paris",
            received_at=datetime(2026, 1, 31, 23, 30, tzinfo=UTC),
            country="FR",
            regime_reason="The organisation is established in FR.",
        )
    )


def test_as_json_has_exactly_the_contract_keys() -> None:
    data = paris_1_february().as_json()
    assert list(data) == [
        "regime",
        "received_on",
        "acknowledge_by",
        "due_on",
        "extended_due_on",
        "opt_out_due_on",
        "forward_due_on",
        "explanation",
    ]
    assert data["regime"] == "gdpr"
    assert data["received_on"] == "2026-02-01"
    assert data["acknowledge_by"] is None
    assert data["due_on"] == "2026-03-02"
    assert data["extended_due_on"] == "2026-05-04"
    assert data["opt_out_due_on"] is None
    assert data["forward_due_on"] == "2026-02-02"
    assert json.loads(json.dumps(data)) == data


def test_explanation_walks_through_each_step_in_order() -> None:
    result = paris_1_february()
    assert result.explanation() == [step.text for step in result.steps]
    codes = [step.code for step in result.steps]
    assert codes[:3] == ["received_date", "regime", "calendar"]
    due = [step.code for step in result.steps if step.field == "due_on"]
    assert due[:3] == ["month_added", "weekend_skipped", "due"]
    extended = [step.code for step in result.steps if step.field == "extended_due_on"]
    assert extended == [
        "extension",
        "month_added",
        "holiday_skipped",
        "weekend_skipped",
        "weekend_skipped",
        "extended_due",
    ]
    text = result.explanation()
    assert text[0].startswith("Received at 2026-01-31T23:30:00+00:00; in Europe/Paris")
    assert "2026-02-01 (Sunday)" in text[0]
    assert "Why it applies: The organisation is established in FR." in text[1]
    assert "2026-05-01 is a public holiday (Labor Day); moved to 2026-05-02" in " ".join(text)


def test_explanation_names_the_winning_commitment() -> None:
    result = compute_deadlines(
        ClockInput(
            regime="gdpr",
            timezone="Europe/Paris",
            received_at=datetime(2026, 3, 2, 12, tzinfo=UTC),
            country="FR",
            commitments=(Commitment("We answer within 30 days", days=30, source="§4"),),
        )
    )
    applied = [s for s in result.steps if s.code == "commitment_applied"]
    assert applied == [
        Step(
            "due_on",
            "commitment_applied",
            "The commitment “We answer within 30 days” (§4) (2026-04-01) is earlier than the "
            "legal deadline (2026-04-02), so it sets the due date.",
        )
    ]
    assert result.due_on == date(2026, 4, 1)


def test_clamped_day_is_explained() -> None:
    result = compute_deadlines(
        ClockInput(
            regime="gdpr",
            timezone="Europe/Paris",
            received_at=datetime(2026, 1, 31, 10, tzinfo=UTC),
            country="FR",
        )
    )
    text = result.explanation()
    assert "2026-01-31 plus one month reaches February 2026." in text
    assert "February 2026 has no day 31, so the last day of the month, 2026-02-28, is used." in text
    assert "2026-02-28 is a Saturday; moved to 2026-03-01 (Reg. 1182/71 Art. 3(4))." in text


def test_deadlines_are_immutable_and_comparable() -> None:
    assert paris_1_february() == paris_1_february()
