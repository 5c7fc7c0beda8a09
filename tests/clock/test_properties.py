"""Properties that hold for any received instant in 2020-2040, in any zone."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from routing.clock import KINDS, REGIMES, ClockInput, compute_deadlines

# No example database: the suite leaves no files behind in the checkout.
SETTINGS = settings(max_examples=300, deadline=None, database=None)

# The instant's own zone is arbitrary: the clock converts it to the organisation's.
INSTANT_ZONES = [
    ZoneInfo(name)
    for name in (
        "UTC",
        "Europe/Paris",
        "Europe/London",
        "America/Los_Angeles",
        "Asia/Tokyo",
        "Pacific/Kiritimati",
        "Pacific/Pago_Pago",
        "Australia/Lord_Howe",
    )
]
instants = st.datetimes(
    # Hypothesis takes naive bounds and attaches the zones itself.
    min_value=datetime(2020, 1, 1),  # noqa: DTZ001
    max_value=datetime(2040, 12, 31, 23, 59, 59),  # noqa: DTZ001
    timezones=st.sampled_from(INSTANT_ZONES),
)

# (zone, country, subdivision) of each shipped organisation, and Comfile 360 with none.
GDPR_PLACES = [
    ("Europe/Paris", "FR", None),
    ("Europe/Ljubljana", "SI", None),
    ("Europe/London", "GB", "ENG"),
    ("America/Los_Angeles", "US", "CA"),
    ("UTC", None, None),
]
ORGANISATIONS = [
    ("gdpr", "Europe/Paris", "FR", None),
    ("gdpr", "Europe/Ljubljana", "SI", None),
    ("gdpr", "UTC", None, None),
    ("uk-gdpr", "Europe/London", "GB", "ENG"),
    ("ccpa", "America/Los_Angeles", "US", "CA"),
    ("vcdpa", "America/New_York", "US", "VA"),
    ("cpa-colorado", "America/Denver", "US", "CO"),
    ("ctdpa", "America/New_York", "US", "CT"),
    ("quebec-law25", "America/Toronto", "CA", "QC"),
    ("pipeda", "America/Vancouver", "CA", None),
    ("hk-pdpo", "Asia/Hong_Kong", "HK", None),
    ("lgpd", "America/Sao_Paulo", "BR", None),
]
organisations = st.sampled_from(ORGANISATIONS)
kinds = st.sampled_from((None, *KINDS))


@cache
def _holidays(country: str, subdivision: str | None) -> holidays.HolidayBase:
    return holidays.country_holidays(country, subdiv=subdivision, years=range(2019, 2043))


def is_working_day(day: date, country: str | None, subdivision: str | None) -> bool:
    """Checked against the holidays package directly, not through the clock."""
    if day.weekday() >= 5:
        return False
    return country is None or day not in _holidays(country, subdivision)


Org = tuple[str, str, str | None, str | None]
Place = tuple[str, str | None, str | None]


def _clock(org: Org, received: datetime, kind: str | None = None, paused: int = 0) -> ClockInput:
    regime, zone, country, subdivision = org
    return ClockInput(
        regime=regime,
        timezone=zone,
        received_at=received,
        country=country,
        subdivision=subdivision,
        kind=kind,
        paused_days=paused,
    )


@SETTINGS
@given(organisations, instants, kinds, st.integers(min_value=0, max_value=60))
def test_due_never_before_the_received_date(
    org: Org, received: datetime, kind: str | None, paused: int
) -> None:
    result = compute_deadlines(_clock(org, received, kind=kind, paused=paused))
    assert result.due_on >= result.received_on
    assert result.forward_due_on > result.received_on
    for other in (result.acknowledge_by, result.opt_out_due_on):
        assert other is None or other > result.received_on


@SETTINGS
@given(st.sampled_from(GDPR_PLACES), instants)
def test_gdpr_due_is_28_to_35_days_after_receipt(place: Place, received: datetime) -> None:
    zone, country, subdivision = place
    regime = "uk-gdpr" if country == "GB" else "gdpr"
    result = compute_deadlines(_clock((regime, zone, country, subdivision), received))
    assert 28 <= (result.due_on - result.received_on).days <= 35


@SETTINGS
@given(organisations, instants, kinds, st.integers(min_value=0, max_value=60))
def test_extended_never_before_due(
    org: Org, received: datetime, kind: str | None, paused: int
) -> None:
    result = compute_deadlines(_clock(org, received, kind=kind, paused=paused))
    if result.extended_due_on is not None:
        assert result.extended_due_on >= result.due_on


@SETTINGS
@given(st.sampled_from(GDPR_PLACES), instants, st.integers(min_value=0, max_value=60))
def test_due_and_extended_are_working_days_where_the_regime_moves_dates(
    place: Place, received: datetime, paused: int
) -> None:
    zone, country, subdivision = place
    regime = "uk-gdpr" if country == "GB" else "gdpr"
    assert REGIMES[regime].moves_to_working_day
    result = compute_deadlines(
        _clock((regime, zone, country, subdivision), received, paused=paused)
    )
    assert is_working_day(result.due_on, country, subdivision)
    assert result.extended_due_on is not None
    assert is_working_day(result.extended_due_on, country, subdivision)
    assert is_working_day(result.forward_due_on, country, subdivision)


@SETTINGS
@given(
    organisations, instants, st.timedeltas(min_value=timedelta(0), max_value=timedelta(40)), kinds
)
def test_later_receipt_never_gives_an_earlier_date(
    org: Org, received: datetime, later_by: timedelta, kind: str | None
) -> None:
    first = compute_deadlines(_clock(org, received, kind=kind))
    second = compute_deadlines(_clock(org, received + later_by, kind=kind))
    assert second.received_on >= first.received_on
    for name in ("due_on", "extended_due_on", "acknowledge_by", "opt_out_due_on", "forward_due_on"):
        before, after = getattr(first, name), getattr(second, name)
        if before is not None and after is not None:
            assert after >= before, name


@SETTINGS
@given(organisations, instants, st.integers(min_value=0, max_value=30))
def test_longer_pause_never_gives_an_earlier_date(
    org: Org, received: datetime, paused: int
) -> None:
    shorter = compute_deadlines(_clock(org, received, paused=paused))
    longer = compute_deadlines(_clock(org, received, paused=paused + 1))
    assert longer.due_on >= shorter.due_on


# The bound, exhaustively: every received date 2020-2040 on each shipped calendar. The
# expected extremes were found by counting on the holidays package's lists, not by the
# clock: 35 days is reached when one month after receipt falls on Good Friday (GB-ENG,
# received 10 March 2020) or on a Saturday before two Labour Days (SI, 29 March 2023).
@pytest.mark.parametrize(
    ("regime", "zone", "country", "subdivision", "longest"),
    [
        pytest.param("gdpr", "Europe/Paris", "FR", None, 34, id="fr-34"),
        pytest.param("gdpr", "Europe/Ljubljana", "SI", None, 35, id="si-35"),
        pytest.param("uk-gdpr", "Europe/London", "GB", "ENG", 35, id="gb-eng-35"),
        pytest.param("gdpr", "UTC", None, None, 33, id="weekends-only-33"),
    ],
)
def test_gdpr_bound_over_every_day_2020_to_2040(
    regime: str, zone: str, country: str | None, subdivision: str | None, longest: int
) -> None:
    tz = ZoneInfo(zone)
    day = date(2020, 1, 1)
    spans = set()
    while day <= date(2040, 12, 31):
        received = datetime(day.year, day.month, day.day, 12, tzinfo=tz)
        result = compute_deadlines(_clock((regime, zone, country, subdivision), received))
        spans.add((result.due_on - day).days)
        day += timedelta(days=1)
    assert min(spans) == 28
    assert max(spans) == longest
