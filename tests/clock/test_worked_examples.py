"""The worked examples of deadlines.md, every column of both tables."""

from datetime import date, datetime

import pytest

from routing.clock import ClockInput, compute_deadlines

# (zone, country, subdivision) of the organisations in the first table.
PARIS = ("Europe/Paris", "FR", None)
LONDON = ("Europe/London", "GB", "ENG")
LJUBLJANA = ("Europe/Ljubljana", "SI", None)


@pytest.mark.parametrize(
    ("regime", "where", "received", "received_on", "due", "extended", "reason"),
    [
        pytest.param(
            "gdpr", PARIS, "2026-01-31T10:00:00+00:00", "2026-01-31", "2026-03-02",
            "2026-04-30", "2026-02-28 is a Saturday", id="gdpr-paris-31-jan-28-feb-saturday",
        ),
        pytest.param(
            "gdpr", PARIS, "2026-01-31T23:30:00+00:00", "2026-02-01", "2026-03-02",
            "2026-05-04", "2026-03-01 is a Sunday", id="gdpr-paris-1-feb-in-paris-1-mar-sunday",
        ),
        pytest.param(
            "gdpr", PARIS, "2026-04-14T12:00:00+02:00", "2026-04-14", "2026-05-15",
            "2026-07-15", "2026-05-14 is a public holiday (Ascension Day); moved to 2026-05-15",
            id="gdpr-paris-14-may-ascension",
        ),
        pytest.param(
            "uk-gdpr", LONDON, "2027-04-01T09:00:00+01:00", "2027-04-01", "2027-05-04",
            "2027-07-01", "2027-05-03 is a public holiday (May Day)",
            id="uk-gdpr-london-1-may-saturday-3-may-bank-holiday",
        ),
        pytest.param(
            "uk-gdpr", LONDON, "2025-12-02T09:00:00+00:00", "2025-12-02", "2026-01-02",
            "2026-03-02", "2025-12-02 plus one month is 2026-01-02", id="uk-gdpr-london-2-dec",
        ),
        pytest.param(
            "gdpr", LJUBLJANA, "2026-10-31T12:00:00+01:00", "2026-10-31", "2026-11-30",
            "2027-02-01", "2027-01-31 is a Sunday", id="gdpr-ljubljana-31-jan-sunday",
        ),
    ],
)  # fmt: skip
def test_gdpr_and_uk_gdpr_worked_examples(
    regime: str,
    where: tuple[str, str, str | None],
    received: str,
    received_on: str,
    due: str,
    extended: str,
    reason: str,
) -> None:
    zone, country, subdivision = where
    result = compute_deadlines(
        ClockInput(
            regime=regime,
            timezone=zone,
            received_at=datetime.fromisoformat(received),
            country=country,
            subdivision=subdivision,
        )
    )
    assert result.received_on == date.fromisoformat(received_on)
    assert result.due_on == date.fromisoformat(due)
    assert result.extended_due_on == date.fromisoformat(extended)
    assert result.acknowledge_by is None
    assert result.opt_out_due_on is None
    assert any(reason in line for line in result.explanation())


@pytest.mark.parametrize(
    ("received", "acknowledge", "due", "extended", "opt_out"),
    [
        pytest.param(
            "2025-01-15T12:00:00-08:00", "2025-01-30", "2025-03-01", "2025-04-15", "2025-02-06",
            id="ccpa-15-jan-2025-mlk-day-in-acknowledgement",
        ),
        pytest.param(
            "2025-12-15T12:00:00-08:00", "2025-12-30", "2026-01-29", "2026-03-15", "2026-01-07",
            id="ccpa-15-dec-2025-christmas-and-new-year",
        ),
    ],
)  # fmt: skip
def test_ccpa_worked_examples(
    received: str, acknowledge: str, due: str, extended: str, opt_out: str
) -> None:
    result = compute_deadlines(
        ClockInput(
            regime="ccpa",
            timezone="America/Los_Angeles",
            received_at=datetime.fromisoformat(received),
            country="US",
            subdivision="CA",
        )
    )
    assert result.acknowledge_by == date.fromisoformat(acknowledge)
    assert result.due_on == date.fromisoformat(due)
    assert result.extended_due_on == date.fromisoformat(extended)
    assert result.opt_out_due_on == date.fromisoformat(opt_out)


def test_ccpa_due_on_a_saturday_is_not_moved_and_says_so() -> None:
    result = compute_deadlines(
        ClockInput(
            regime="ccpa",
            timezone="America/Los_Angeles",
            received_at=datetime.fromisoformat("2025-01-15T12:00:00-08:00"),
            country="US",
            subdivision="CA",
        )
    )
    assert result.due_on == date(2025, 3, 1)
    assert [s.code for s in result.steps if s.field == "due_on"][:2] == ["days_added", "not_moved"]
    assert "2025-03-01 is a Saturday" in " ".join(result.explanation())
