"""Bad input fails loudly, naming the field; commitments round-trip through JSON."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest

from routing.clock import ClockInput, Commitment, UnknownRegime, compute_deadlines, regime_for

RECEIVED = datetime(2026, 1, 31, 10, tzinfo=UTC)


def clock(**overrides: Any) -> ClockInput:
    fields: dict[str, Any] = {
        "regime": "gdpr",
        "timezone": "Europe/Paris",
        "received_at": RECEIVED,
        "country": "FR",
    }
    fields.update(overrides)
    return ClockInput(**fields)


def test_naive_received_at_is_refused_naming_the_field() -> None:
    naive = datetime(2026, 1, 31, 10)  # noqa: DTZ001 - deliberately naive
    with pytest.raises(ValueError, match=r"^received_at: must be timezone-aware"):
        clock(received_at=naive)


def test_a_date_is_not_a_received_instant() -> None:
    with pytest.raises(ValueError, match=r"^received_at: must be a datetime"):
        clock(received_at=date(2026, 1, 31))


def test_unknown_regime_is_a_value_error_listing_valid_keys() -> None:
    with pytest.raises(UnknownRegime, match=r"^regime: unknown regime 'eu-gdpr'") as caught:
        clock(regime="eu-gdpr")
    assert isinstance(caught.value, ValueError)
    for key in ("gdpr", "uk-gdpr", "ccpa", "pipeda", "lgpd"):
        assert key in str(caught.value)


def test_regime_for_unknown_key_raises_unknown_regime() -> None:
    with pytest.raises(UnknownRegime, match="valid keys: ccpa, cpa-colorado"):
        regime_for("gdrp")


def test_negative_pause_is_refused_naming_the_field() -> None:
    with pytest.raises(ValueError, match=r"^paused_days: must be a whole number of days >= 0"):
        clock(paused_days=-1)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        pytest.param({"timezone": "Europe/Pariss"}, r"^timezone: unknown IANA", id="timezone"),
        pytest.param({"country": "XX"}, r"^country: no holiday calendar for 'XX'", id="country"),
        pytest.param(
            {"country": "GB", "subdivision": "XYZ"}, r"^subdivision: GB has no", id="subdivision"
        ),
        pytest.param(
            {"country": None, "subdivision": "ENG"},
            r"^subdivision: given without",
            id="subdivision-alone",
        ),
        pytest.param({"kind": "delete"}, r"^kind: unknown kind 'delete'", id="kind"),
        pytest.param({"paused_days": True}, r"^paused_days:", id="pause-bool"),
        pytest.param({"paused_days": 1.5}, r"^paused_days:", id="pause-float"),
        pytest.param({"forward_working_days": 0}, r"^forward_working_days:", id="forward-zero"),
        pytest.param(
            {"restarted_on": RECEIVED}, r"^restarted_on: must be a date", id="restart-datetime"
        ),
        pytest.param(
            {"commitments": ({"label": "x", "days": 3},)}, r"^commitments:", id="commitments"
        ),
    ],
)
def test_each_bad_field_is_named(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        clock(**overrides)


def test_restart_before_receipt_is_refused() -> None:
    bad = clock(
        regime="uk-gdpr", timezone="Europe/London", country="GB", restarted_on=date(2026, 1, 30)
    )
    with pytest.raises(ValueError, match=r"^restarted_on: 2026-01-30 is before the received date"):
        compute_deadlines(bad)


def test_codes_are_case_insensitive() -> None:
    lower = compute_deadlines(clock(regime="uk-gdpr", country="gb", subdivision="eng"))
    upper = compute_deadlines(clock(regime="uk-gdpr", country="GB", subdivision="ENG"))
    assert lower.due_on == upper.due_on


def test_commitments_list_becomes_a_tuple() -> None:
    one = Commitment("30 days", days=30)
    assert clock(commitments=[one]).commitments == (one,)


# --- Commitment ----------------------------------------------------------------------


def test_commitment_round_trips_through_json() -> None:
    commitment = Commitment(
        "Click & Call: deleted within 30 days of closure",
        days=30,
        kinds=frozenset({"erasure"}),
        regimes=frozenset({"ccpa"}),
        source="Privacy policy, account closure",
    )
    data = json.loads(json.dumps(commitment.to_dict()))
    assert data == {
        "label": "Click & Call: deleted within 30 days of closure",
        "days": 30,
        "months": None,
        "kinds": ["erasure"],
        "regimes": ["ccpa"],
        "source": "Privacy policy, account closure",
    }
    assert Commitment.from_dict(data) == commitment


def test_commitment_from_minimal_dict() -> None:
    commitment = Commitment.from_dict({"label": "We answer within 45 days", "days": 45})
    assert commitment == Commitment("We answer within 45 days", days=45)
    assert commitment.kinds is None
    assert commitment.regimes is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(
            {"label": "x", "days": 3, "weeks": 1}, r"^weeks: unknown key", id="unknown-key"
        ),
        pytest.param({"days": 3}, r"^label: required", id="label-missing"),
        pytest.param({"label": " ", "days": 3}, r"^label:", id="label-blank"),
        pytest.param({"label": "x"}, r"^days: give exactly one of days or months", id="no-period"),
        pytest.param(
            {"label": "x", "days": 3, "months": 1}, r"^days: give exactly one", id="two-periods"
        ),
        pytest.param({"label": "x", "days": 0}, r"^days: must be a whole number", id="days-zero"),
        pytest.param(
            {"label": "x", "days": "30"}, r"^days: must be a whole number", id="days-text"
        ),
        pytest.param(
            {"label": "x", "months": -1}, r"^months: must be a whole number", id="months-negative"
        ),
        pytest.param(
            {"label": "x", "days": 3, "kinds": ["delete"]},
            r"^kinds: unknown \['delete'\]",
            id="kinds-unknown",
        ),
        pytest.param(
            {"label": "x", "days": 3, "kinds": "erasure"},
            r"^kinds: must be a list",
            id="kinds-string",
        ),
        pytest.param({"label": "x", "days": 3, "kinds": []}, r"^kinds: empty", id="kinds-empty"),
        pytest.param(
            {"label": "x", "days": 3, "regimes": ["cppa"]},
            r"^regimes: unknown \['cppa'\]",
            id="regimes-unknown",
        ),
        pytest.param({"label": "x", "days": 3, "source": 7}, r"^source:", id="source-not-text"),
    ],
)
def test_commitment_from_dict_names_the_bad_key(data: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Commitment.from_dict(data)


def test_commitment_from_dict_needs_a_mapping() -> None:
    with pytest.raises(ValueError, match="expected a mapping"):
        Commitment.from_dict(["label", "days"])  # type: ignore[arg-type]
