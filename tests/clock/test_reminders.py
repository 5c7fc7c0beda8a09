from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from routing.clock.calendars import work_calendar
from routing.clock.reminders import next_reminder

FR = work_calendar("FR", None)
PARIS = "Europe/Paris"


def _next(due: str, after: str, *, days=(7, 2, 0), overdue=True):
    return next_reminder(
        due_on=date.fromisoformat(due),
        timezone=PARIS,
        calendar=FR,
        days_before=days,
        overdue=overdue,
        after=datetime.fromisoformat(after),
    )


@pytest.mark.parametrize(
    ("due", "after", "on", "label"),
    [
        # Due Monday 2026-03-02: 7 days before is Monday 23 February.
        ("2026-03-02", "2026-02-01T00:00:00+00:00", "2026-02-23", "due in 7 days"),
        # 2 days before is Saturday 28 February: moved earlier, to Friday 27 February.
        ("2026-03-02", "2026-02-23T09:00:00+01:00", "2026-02-27", "due in 3 days"),
        ("2026-03-02", "2026-02-27T09:00:00+01:00", "2026-03-02", "due today"),
        # After the due day's reminder: each working day overdue, from the next one.
        ("2026-03-02", "2026-03-02T09:00:00+01:00", "2026-03-03", "overdue by 1 day"),
        # Overdue across a weekend: Friday 6 March, then Monday 9 March.
        ("2026-03-02", "2026-03-06T09:00:00+01:00", "2026-03-09", "overdue by 7 days"),
        # 1 May (Fête du Travail) is not a working day in France.
        ("2026-04-29", "2026-04-30T09:00:00+02:00", "2026-05-04", "overdue by 5 days"),
        # A reminder at exactly 08:00 local is in the past at 08:00: the next one is taken.
        ("2026-03-02", "2026-03-02T08:00:00+01:00", "2026-03-03", "overdue by 1 day"),
    ],
    ids=["seven-days", "weekend-moved-earlier", "due-today", "overdue", "weekend-skipped",
         "holiday-skipped", "exact-hour"],
)  # fmt: skip
def test_next_reminder(due, after, on, label) -> None:
    reminder = _next(due, after)

    assert reminder is not None
    assert reminder.on == date.fromisoformat(on)
    assert reminder.label == label
    assert reminder.at.hour == 8


def test_no_overdue_reminders_when_switched_off() -> None:
    assert _next("2026-03-02", "2026-03-02T09:00:00+01:00", overdue=False) is None


def test_naive_after_is_refused() -> None:
    with pytest.raises(ValueError, match=r"^after:"):
        _next("2026-03-02", "2026-03-01T09:00:00")


@settings(max_examples=200, deadline=None)
@given(
    due=st.dates(min_value=date(2020, 1, 1), max_value=date(2040, 12, 31)),
    offset=st.integers(min_value=-60, max_value=60),
    minutes=st.integers(min_value=0, max_value=24 * 60),
)
def test_reminders_move_forward_and_fall_on_working_days(due, offset, minutes) -> None:
    after = datetime.combine(due + timedelta(days=offset), datetime.min.time(), UTC)
    after += timedelta(minutes=minutes)
    reminder = next_reminder(
        due_on=due, timezone=PARIS, calendar=FR, days_before=(7, 2, 0), overdue=True, after=after
    )

    assert reminder is not None
    assert reminder.at > after
    assert FR.is_working_day(reminder.on)
    following = next_reminder(
        due_on=due, timezone=PARIS, calendar=FR, days_before=(7, 2, 0), overdue=True,
        after=reminder.at,
    )  # fmt: skip
    assert following is not None
    assert following.at > reminder.at
