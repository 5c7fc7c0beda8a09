"""The explanation of a computation: its steps, and the words its sentences are made of.

Dates and counts are spelled here, not with strftime or the locale, so the same input
gives the same sentences in every process (deadlines.md).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

from .calendars import WEEKDAY_NAMES, Skipped
from .regimes import Regime

_ONE_DAY = timedelta(days=1)
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_ORDINALS = ("zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh")


class Step(NamedTuple):
    """One sentence of the explanation: which date it concerns, a stable code, the text.

    A named tuple rather than a dataclass: a computation makes a dozen or more, and
    tuples are immutable and cheap to build.

    Codes: received_date, regime, before_effective, kind, kind_not_named, kind_note,
    suppress_at_once, calendar, acknowledge, no_acknowledgement, opt_out, opt_out_is_due,
    restarted, restart_ignored, pause_ignored, month_added, day_clamped, days_added,
    paused_days_added, weekend_skipped, holiday_skipped, not_moved, commitment,
    commitment_not_applicable, commitment_applied, law_kept, due, refusal_by, extension,
    no_extension, extended_due, forward.
    """

    field: str
    code: str
    text: str


def weekday_date(day: date) -> str:
    """``2025-03-03 (Monday)``."""
    return f"{day.isoformat()} ({WEEKDAY_NAMES[day.weekday()]})"


def month_year(day: date) -> str:
    """``March 2025``."""
    # Not strftime("%B"): that follows the process locale.
    return f"{_MONTHS[day.month - 1]} {day.year}"


def ordinal(n: int) -> str:
    """``first`` to ``seventh`` in words, then ``8th``, ``21st``..."""
    if n < len(_ORDINALS):
        return _ORDINALS[n]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def day_count(n: int) -> str:
    """``1 day``, ``2 days``."""
    return f"{n} day" if n == 1 else f"{n} days"


class Explainer:
    """Collects the steps of one computation."""

    __slots__ = ("name", "steps")

    def __init__(self, regime: Regime) -> None:
        self.name = regime.short_name
        self.steps: list[Step] = []

    def add(self, field: str, code: str, text: str) -> None:
        self.steps.append(Step(field, code, text))

    def moves(self, field: str, passed: tuple[Skipped, ...], source: str) -> None:
        for skipped in passed:
            after = (skipped.day + _ONE_DAY).isoformat()
            if skipped.is_weekend:
                holiday = f" and a public holiday ({skipped.holiday})" if skipped.holiday else ""
                self.add(
                    field,
                    "weekend_skipped",
                    f"{skipped.day.isoformat()} is a {skipped.weekday}{holiday}; "
                    f"moved to {after} ({source}).",
                )
            else:
                self.add(
                    field,
                    "holiday_skipped",
                    f"{skipped.day.isoformat()} is a public holiday ({skipped.holiday}); "
                    f"moved to {after} ({source}).",
                )

    def holidays_not_counted(
        self, field: str, passed: tuple[Skipped, ...], unit: str = "business day"
    ) -> None:
        for skipped in passed:
            self.add(
                field,
                "holiday_skipped",
                f"{skipped.day.isoformat()} is a public holiday ({skipped.holiday}) "
                f"and is not counted as a {unit}.",
            )
