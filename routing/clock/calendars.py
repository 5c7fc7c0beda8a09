"""Working days, public holidays and time zones.

Holidays come from the ``holidays`` package, which ships its data: nothing is fetched.
A working day is Monday to Friday and not a public holiday of the calendar. Lookups are
cached per (country, subdivision, year) and zones per name, because the clock runs for
every request in every sweep.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from types import MappingProxyType
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_ONE_DAY = timedelta(days=1)
_SATURDAY = 5


@lru_cache(maxsize=256)
def zone(name: str) -> ZoneInfo:
    """The IANA zone ``name``; ValueError naming the field when it does not exist."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise ValueError(f"timezone: unknown IANA time zone {name!r}") from None


@lru_cache(maxsize=1)
def _supported() -> Mapping[str, frozenset[str]]:
    return MappingProxyType(
        {c: frozenset(s) for c, s in holidays.list_supported_countries().items()}
    )


def supported_subdivisions(country: str) -> frozenset[str]:
    """The package's subdivision codes for ``country`` (empty when it has none or is unknown)."""
    return _supported().get(country, frozenset())


def check_calendar(country: str, subdivision: str | None) -> None:
    """ValueError naming ``country`` or ``subdivision`` when the package has no such calendar."""
    subdivisions = _supported().get(country)
    if subdivisions is None:
        raise ValueError(f"country: no holiday calendar for {country!r} (ISO 3166-1 alpha-2)")
    if subdivision is not None and subdivision not in subdivisions:
        valid = ", ".join(sorted(subdivisions)) or "none"
        raise ValueError(
            f"subdivision: {country} has no subdivision {subdivision!r}; valid: {valid}"
        )


@lru_cache(maxsize=256)
def _language(country: str) -> str | None:
    # English names, so the explanation reads alike for every organisation.
    languages = getattr(holidays.country_holidays(country), "supported_languages", ())
    return "en_US" if "en_US" in languages else None


@lru_cache(maxsize=1024)
def holidays_for_year(country: str, subdivision: str | None, year: int) -> Mapping[date, str]:
    """Public holidays of one calendar year, date -> English name (names joined by '; ')."""
    check_calendar(country, subdivision)
    found = holidays.country_holidays(
        country, subdiv=subdivision, years=year, language=_language(country)
    )
    return MappingProxyType({d: n for d, n in found.items() if d.year == year})


@dataclass(frozen=True)
class WorkCalendar:
    """A holiday calendar: a country and optional subdivision, or weekends only (country None)."""

    country: str | None = None
    subdivision: str | None = None

    def __post_init__(self) -> None:
        if self.country is None:
            if self.subdivision is not None:
                raise ValueError("subdivision: given without a country")
        else:
            check_calendar(self.country, self.subdivision)

    @property
    def label(self) -> str:
        if self.country is None:
            return "no holiday calendar"
        if self.subdivision:
            return f"{self.country}-{self.subdivision}"
        return self.country

    def holiday(self, day: date) -> str | None:
        """The public holiday's name on ``day``, or None."""
        if self.country is None:
            return None
        return holidays_for_year(self.country, self.subdivision, day.year).get(day)

    def is_working_day(self, day: date) -> bool:
        if day.weekday() >= _SATURDAY:
            return False
        return self.country is None or day not in holidays_for_year(
            self.country, self.subdivision, day.year
        )


@lru_cache(maxsize=256)
def work_calendar(country: str | None, subdivision: str | None) -> WorkCalendar:
    """A validated calendar, built once per (country, subdivision)."""
    return WorkCalendar(country, subdivision)


@dataclass(frozen=True)
class Skipped:
    """A day that is not a working day, and why: its weekday name and holiday name, if any."""

    day: date
    weekday: str
    holiday: str | None

    @property
    def is_weekend(self) -> bool:
        return self.day.weekday() >= _SATURDAY


def _skipped(calendar: WorkCalendar, day: date) -> Skipped:
    return Skipped(day, WEEKDAY_NAMES[day.weekday()], calendar.holiday(day))


def roll_forward(day: date, calendar: WorkCalendar) -> tuple[date, tuple[Skipped, ...]]:
    """The first working day on or after ``day``, and each day passed over."""
    passed: list[Skipped] = []
    while not calendar.is_working_day(day):
        passed.append(_skipped(calendar, day))
        day += _ONE_DAY
    return day, tuple(passed)


def add_working_days(
    start: date, count: int, calendar: WorkCalendar
) -> tuple[date, tuple[Skipped, ...]]:
    """The ``count``-th working day after ``start`` (``start`` itself not counted).

    Also returns the weekday holidays passed over, the ones worth naming to a reader.
    """
    holidays_passed: list[Skipped] = []
    day = start
    left = count
    while left > 0:
        day += _ONE_DAY
        if calendar.is_working_day(day):
            left -= 1
        elif day.weekday() < _SATURDAY:
            holidays_passed.append(_skipped(calendar, day))
    return day, tuple(holidays_passed)
