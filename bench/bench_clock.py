"""Deadline clock throughput: ``compute_deadlines`` over instants spread across 2020-2040.

Every regime, every shipped organisation's zone and calendar, all kinds, some paused
clocks and commitments. Inputs are built in chunks outside the timed loop, so the figure
is the clock alone, on one core, with warm holiday and zone caches (the steady state of
a sweep). Run alone with ``python bench/bench_clock.py [--quick]``.
"""

from __future__ import annotations

import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from routing.clock import ClockInput

Row = tuple[str, float, str]

FULL = 1_000_000
QUICK = 20_000
CHUNK = 50_000
FIRST = datetime(2020, 1, 1, tzinfo=UTC)
SPAN_SECONDS = int((datetime(2041, 1, 1, tzinfo=UTC) - FIRST).total_seconds())

# (regime, zone, country, subdivision): the five organisations, then each other regime.
PLACES: tuple[tuple[str, str, str | None, str | None], ...] = (
    ("gdpr", "Europe/Paris", "FR", None),  # Callkom
    ("gdpr", "Europe/Ljubljana", "SI", None),  # ComfortClick
    ("gdpr", "UTC", None, None),  # Comfile 360: no country stated
    ("uk-gdpr", "Europe/London", "GB", "ENG"),  # Clickacall
    ("ccpa", "America/Los_Angeles", "US", "CA"),  # Click & Call
    ("vcdpa", "America/New_York", "US", "VA"),
    ("cpa-colorado", "America/Denver", "US", "CO"),
    ("ctdpa", "America/New_York", "US", "CT"),
    ("quebec-law25", "America/Toronto", "CA", "QC"),
    ("pipeda", "America/Vancouver", "CA", None),
    ("hk-pdpo", "Asia/Hong_Kong", "HK", None),
    ("lgpd", "America/Sao_Paulo", "BR", None),
)


def _inputs(count: int, rng: random.Random) -> list[ClockInput]:
    from routing.clock import KINDS, ClockInput, Commitment

    commitments = (
        (),
        (Commitment("Click & Call: we will respond within 45 days", days=45),),
        (Commitment("Deleted within 30 days", days=30, kinds=frozenset({"erasure"})),),
    )
    kinds = (None, *KINDS)
    batch = []
    for _ in range(count):
        regime, zone, country, subdivision = rng.choice(PLACES)
        batch.append(
            ClockInput(
                regime=regime,
                timezone=zone,
                received_at=FIRST + timedelta(seconds=rng.randrange(SPAN_SECONDS)),
                country=country,
                subdivision=subdivision,
                kind=rng.choice(kinds),
                paused_days=rng.choice((0, 0, 0, 3, 12)),
                commitments=rng.choice(commitments),
            )
        )
    return batch


def _cold_first_deadline_ms() -> float:
    """One deadline with empty caches: the cost a fresh worker pays once per calendar-year."""
    from routing.clock import ClockInput, compute_deadlines
    from routing.clock.calendars import holidays_for_year, work_calendar, zone

    for cached in (holidays_for_year, work_calendar, zone):
        cached.cache_clear()
    clock = ClockInput(
        regime="gdpr",
        timezone="Europe/Paris",
        received_at=datetime(2031, 5, 5, 9, tzinfo=UTC),
        country="FR",
    )
    start = time.perf_counter()
    compute_deadlines(clock)
    return (time.perf_counter() - start) * 1000


def run(quick: bool = False) -> list[Row]:
    from routing.clock import ClockInput, compute_deadlines

    total = QUICK if quick else FULL
    rng = random.Random(20260131)
    cold_ms = _cold_first_deadline_ms()

    # Warm every (calendar, year) the run will touch, so the timed loop is steady state.
    for regime, zone, country, subdivision in PLACES:
        for year in range(2020, 2041):
            compute_deadlines(
                ClockInput(
                    regime=regime,
                    timezone=zone,
                    received_at=datetime(year, 12, 31, 12, tzinfo=UTC),
                    country=country,
                    subdivision=subdivision,
                )
            )

    elapsed = 0.0
    done = 0
    while done < total:
        batch = _inputs(min(CHUNK, total - done), rng)
        start = time.perf_counter()
        for clock in batch:
            compute_deadlines(clock)
        elapsed += time.perf_counter() - start
        done += len(batch)

    per_second = done / elapsed
    return [
        ("clock: deadlines computed per second, one core, all regimes", per_second, "per s"),
        ("clock: mean time per deadline, with explanation", 1e6 / per_second, "µs"),
        ("clock: deadlines computed in the run", float(done), "count"),
        ("clock: first deadline with cold holiday and zone caches", cold_ms, "ms"),
    ]


def main() -> None:
    quick = "--quick" in sys.argv[1:]
    rows = run(quick=quick)
    width = max(len(figure) for figure, _, _ in rows)
    for figure, value, unit in rows:
        print(f"{figure:<{width}}  {value:>14,.1f}  {unit}")


if __name__ == "__main__":
    # Run as a script, the project root is not on the path; as ``bench.bench_clock`` it is.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    main()
