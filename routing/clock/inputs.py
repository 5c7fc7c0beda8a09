"""What the clock is given: the request's facts and the organisation's own commitments.

Both types check themselves on construction and raise ValueError naming the bad field,
so a mistake surfaces where the input is built, not deep inside a computation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from .calendars import check_calendar, supported_subdivisions, zone
from .regimes import KINDS, REGIMES, Period, UnknownRegime

_COMMITMENT_KEYS = ("label", "days", "months", "kinds", "regimes", "source")


def _positive_int(value: object, name: str) -> int:
    # bool is an int subclass; True days is a bug, not one day.
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{name}: must be a whole number of at least 1, not {value!r}")
    return value


def _keys(value: object, name: str, valid: Iterable[str]) -> frozenset[str] | None:
    if value is None:
        return None
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ValueError(f"{name}: must be a list of keys, not {value!r}")
    keys = frozenset(value)
    allowed = frozenset(valid)
    unknown = sorted(str(k) for k in keys - allowed)
    if unknown:
        raise ValueError(f"{name}: unknown {unknown}; valid: {', '.join(sorted(allowed))}")
    if not keys:
        raise ValueError(f"{name}: empty; use None for every {name[:-1]}")
    return keys


@dataclass(frozen=True)
class Commitment:
    """An organisation's own promise; when shorter than the law, it sets the due date.

    Counted in calendar days (or months) with the rules of the regime it is made under:
    from where the legal clock starts, lengthened by the same paused days, and moved off
    a non-working day when that regime moves its dates (see ``commitments``).
    """

    label: str
    days: int | None = None
    months: int | None = None
    kinds: frozenset[str] | None = None  # None = every kind
    regimes: frozenset[str] | None = None  # None = every regime
    source: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.label, str) or not self.label.strip():
            raise ValueError("label: a commitment needs a non-empty label")
        if (self.days is None) == (self.months is None):
            raise ValueError("days: give exactly one of days or months")
        if self.days is not None:
            _positive_int(self.days, "days")
        if self.months is not None:
            _positive_int(self.months, "months")
        object.__setattr__(self, "kinds", _keys(self.kinds, "kinds", KINDS))
        object.__setattr__(self, "regimes", _keys(self.regimes, "regimes", REGIMES))
        if not isinstance(self.source, str):
            raise ValueError("source: must be text")

    @property
    def period(self) -> Period:
        return Period(months=self.months or 0, days=self.days or 0)

    def covers_kind(self, kind: str | None) -> bool:
        # An unknown kind is covered: of two readings the project keeps the earlier date.
        return self.kinds is None or kind is None or kind in self.kinds

    def covers_regime(self, regime: str) -> bool:
        return self.regimes is None or regime in self.regimes

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Commitment:
        """Build from stored JSON; ValueError naming the bad or unknown key."""
        if not isinstance(data, Mapping):
            raise ValueError(f"commitment: expected a mapping, not {type(data).__name__}")
        for key in data:
            if key not in _COMMITMENT_KEYS:
                raise ValueError(f"{key}: unknown key; valid keys: {', '.join(_COMMITMENT_KEYS)}")
        if "label" not in data:
            raise ValueError("label: required")
        return cls(
            label=data["label"],
            days=data.get("days"),
            months=data.get("months"),
            kinds=data.get("kinds"),
            regimes=data.get("regimes"),
            source=data.get("source", ""),
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready; ``from_dict(c.to_dict()) == c``."""
        return {
            "label": self.label,
            "days": self.days,
            "months": self.months,
            "kinds": None if self.kinds is None else sorted(self.kinds),
            "regimes": None if self.regimes is None else sorted(self.regimes),
            "source": self.source,
        }


@dataclass(frozen=True)
class ClockInput:
    """One request's facts, as the clock needs them.

    ``received_at`` is the stored instant (any zone, never naive); the received *date*
    is that instant in ``timezone``, the organisation's zone. ``country`` and
    ``subdivision`` name the organisation's holiday calendar; when ``country`` is None the
    regime's default calendar is used, or weekends only when it has none.
    """

    regime: str
    timezone: str
    received_at: datetime
    country: str | None = None
    subdivision: str | None = None
    kind: str | None = None
    paused_days: int = 0
    restarted_on: date | None = None
    commitments: tuple[Commitment, ...] = ()
    forward_working_days: int = 1
    # Why the regime applies (``applicable_regime``'s reason), repeated in the explanation.
    regime_reason: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.regime, str) or self.regime not in REGIMES:
            raise UnknownRegime(self.regime)
        if not isinstance(self.timezone, str):
            raise ValueError(f"timezone: must be an IANA name, not {self.timezone!r}")
        zone(self.timezone)
        received = self.received_at
        if not isinstance(received, datetime):
            raise ValueError(f"received_at: must be a datetime, not {type(received).__name__}")
        if received.tzinfo is None or received.utcoffset() is None:
            raise ValueError(
                "received_at: must be timezone-aware (a naive datetime has no instant)"
            )
        self._check_calendar()
        if self.kind is not None and self.kind not in KINDS:
            raise ValueError(f"kind: unknown kind {self.kind!r}; valid: {', '.join(KINDS)}")
        pause = self.paused_days
        if not isinstance(pause, int) or isinstance(pause, bool) or pause < 0:
            raise ValueError(f"paused_days: must be a whole number of days >= 0, not {pause!r}")
        restart = self.restarted_on
        if restart is not None and (not isinstance(restart, date) or isinstance(restart, datetime)):
            raise ValueError(f"restarted_on: must be a date, not {restart!r}")
        if not isinstance(self.commitments, tuple):
            object.__setattr__(self, "commitments", tuple(self.commitments))
        for item in self.commitments:
            if not isinstance(item, Commitment):
                raise ValueError(f"commitments: expected Commitment items, not {item!r}")
        _positive_int(self.forward_working_days, "forward_working_days")

    def _check_calendar(self) -> None:
        country, subdivision = self.country, self.subdivision
        if country is None:
            if subdivision is not None:
                raise ValueError("subdivision: given without a country")
            return
        if not isinstance(country, str):
            raise ValueError(f"country: must be an ISO 3166-1 alpha-2 code, not {country!r}")
        # Codes are case-insensitive for people, not for the holidays package.
        country = country.strip().upper()
        object.__setattr__(self, "country", country)
        if subdivision is not None:
            if not isinstance(subdivision, str):
                raise ValueError(f"subdivision: must be a code, not {subdivision!r}")
            subdivision = subdivision.strip()
            # "eng" means "ENG"; a few package subdivisions are names ("Flemish"), kept as given.
            if subdivision.upper() in supported_subdivisions(country):
                subdivision = subdivision.upper()
            object.__setattr__(self, "subdivision", subdivision)
        check_calendar(country, subdivision)
