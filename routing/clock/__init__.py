"""The deadline clock: pure functions from a request's facts to its legal dates.

No Django and no database: the same code runs in the web process, the worker and the
tests, and every date comes with the sentences that explain it (deadlines.md).
"""

from .applicable import EU_EEA, applicable_regime
from .calendars import WorkCalendar, holidays_for_year, work_calendar
from .compute import Deadlines, compute_deadlines
from .explain import Step
from .inputs import ClockInput, Commitment
from .regimes import KINDS, REGIMES, Period, Regime, UnknownRegime, regime_for

__all__ = [
    "EU_EEA",
    "KINDS",
    "REGIMES",
    "ClockInput",
    "Commitment",
    "Deadlines",
    "Period",
    "Regime",
    "Step",
    "UnknownRegime",
    "WorkCalendar",
    "applicable_regime",
    "compute_deadlines",
    "holidays_for_year",
    "regime_for",
    "work_calendar",
]
