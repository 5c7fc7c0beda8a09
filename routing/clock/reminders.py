"""When staff are next reminded of a request: a pure function of its due date.

Reminders go out at a fixed local hour on working days: some days before the due date
(moved earlier when that day is not a working day, so the warning comes in time), and
each working day once the date has passed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from .calendars import WorkCalendar, zone

REMINDER_HOUR = time(8, 0)


@dataclass(frozen=True)
class Reminder:
    at: datetime  # aware
    on: date  # the local day it is for
    days_left: int  # negative once overdue

    @property
    def label(self) -> str:
        if self.days_left > 0:
            return f"due in {self.days_left} day{'s' if self.days_left != 1 else ''}"
        if self.days_left == 0:
            return "due today"
        late = -self.days_left
        return f"overdue by {late} day{'s' if late != 1 else ''}"


def _previous_working_day(day: date, calendar: WorkCalendar) -> date:
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    return day


def _next_working_day(day: date, calendar: WorkCalendar) -> date:
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return day


def next_reminder(
    *,
    due_on: date,
    timezone: str,
    calendar: WorkCalendar,
    days_before: Sequence[int],
    overdue: bool,
    after: datetime,
) -> Reminder | None:
    """The first reminder strictly after ``after``, or None when there is no other."""
    if after.tzinfo is None:
        raise ValueError("after: must be timezone-aware")
    tz = zone(timezone)

    def at(day: date) -> datetime:
        return datetime.combine(day, REMINDER_HOUR, tzinfo=tz)

    days = {_previous_working_day(due_on - timedelta(days=d), calendar) for d in days_before}
    for day in sorted(days):
        if at(day) > after:
            return Reminder(at=at(day), on=day, days_left=(due_on - day).days)
    if not overdue:
        return None
    local_after = after.astimezone(tz)
    day = max(due_on + timedelta(days=1), local_after.date())
    day = _next_working_day(day, calendar)
    if at(day) <= after:
        day = _next_working_day(day + timedelta(days=1), calendar)
    return Reminder(at=at(day), on=day, days_left=(due_on - day).days)
