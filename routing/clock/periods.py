"""The end of a legal period: months or days added, paused days added, then the move.

Rules 1, 2 and 5 of deadlines.md, each step explained as it is taken.
"""

from __future__ import annotations

from datetime import date, timedelta

from .calendars import WEEKDAY_NAMES, WorkCalendar, roll_forward
from .explain import Explainer, day_count, month_year
from .regimes import Period, Regime


def period_end(
    out: Explainer,
    field: str,
    start: date,
    period: Period,
    paused: int,
    regime: Regime,
    calendar: WorkCalendar,
) -> date:
    """``start`` + ``period`` (rule 1), + paused days (rule 5), then the move (rule 2)."""
    end, clamped = period.add_to(start)
    if period.months:
        if clamped:
            out.add(
                field,
                "month_added",
                f"{start.isoformat()} plus {period.describe()} reaches {month_year(end)}.",
            )
            out.add(
                field,
                "day_clamped",
                f"{month_year(end)} has no day {start.day}, so the last day of the month, "
                f"{end.isoformat()}, is used.",
            )
        else:
            out.add(
                field,
                "month_added",
                f"{start.isoformat()} plus {period.describe()} is {end.isoformat()}.",
            )
    else:
        out.add(
            field,
            "days_added",
            f"{start.isoformat()} plus {period.days} calendar days (the received day not "
            f"counted) is {end.isoformat()}.",
        )
    if paused:
        end += timedelta(days=paused)
        out.add(
            field,
            "paused_days_added",
            f"The clock was stopped for {day_count(paused)} (waiting for proof of identity "
            f"or for clarification); the date moves to {end.isoformat()}.",
        )
    if regime.moves_to_working_day:
        end, passed = roll_forward(end, calendar)
        out.moves(field, passed, regime.move_source)
    elif not calendar.is_working_day(end):
        holiday = calendar.holiday(end)
        what = f"a public holiday ({holiday})" if holiday else f"a {WEEKDAY_NAMES[end.weekday()]}"
        out.add(
            field,
            "not_moved",
            f"{end.isoformat()} is {what}; " + regime.no_move_note.format(name=out.name) + ".",
        )
    return end
