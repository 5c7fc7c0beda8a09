"""Figures for the staff dashboard, per organisation the user may see.

The number of queries does not grow with the number of requests: every figure is counted
in the database, grouped by organisation (and by week, or by days taken to close), so
only a few rows per organisation come back. Dates are each organisation's own: "today",
"this week" and "closed on" are read in its time zone, as its deadlines are.
"""

from __future__ import annotations

import zoneinfo
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db.models import (
    Case,
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    When,
)
from django.db.models.functions import TruncDate, TruncWeek
from django.utils import timezone

from routing.models import CLOSED_STATUSES, OPEN_STATUSES, Organisation, Request, Status
from routing.selectors.deadlines import local_today
from routing.selectors.queue import CONFIRMED_OPEN_STATUSES, clock_stopped_q
from routing.selectors.tenancy import visible_organisations

WEEKS = 12
# "Due this week": due today or in the six days after, so Friday still sees next Monday.
DUE_SOON_DAYS = 7
CLOSE_WINDOW = timedelta(days=90)
# Requests the organisation answered; a withdrawal, a duplicate or an expiry is not an
# answer, so it counts neither for nor against being on time.
ANSWERED = (Status.COMPLETED, Status.DENIED)


@dataclass(frozen=True)
class WeekCount:
    starts_on: date
    received: int
    closed: int


@dataclass(frozen=True)
class OrganisationFigures:
    organisation: Organisation
    today: date
    open: int
    overdue: int
    due_this_week: int
    clock_stopped: int
    answered: int
    answered_on_time: int
    median_days_to_close: float | None
    weeks: tuple[WeekCount, ...]
    # Open but not confirmed by the subject yet: not in ``open``.
    unconfirmed: int = 0

    @property
    def due_this_week_until(self) -> date:
        return self.today + timedelta(days=DUE_SOON_DAYS - 1)

    @property
    def on_time_percent(self) -> int | None:
        if not self.answered:
            return None
        return round(100 * self.answered_on_time / self.answered)


@dataclass(frozen=True)
class Totals:
    """The figures of every organisation shown, added up (the median over all answers)."""

    open: int
    overdue: int
    due_this_week: int
    clock_stopped: int
    unconfirmed: int
    answered: int
    answered_on_time: int
    median_days_to_close: float | None

    @property
    def on_time_percent(self) -> int | None:
        if not self.answered:
            return None
        return round(100 * self.answered_on_time / self.answered)


@dataclass(frozen=True)
class Dashboard:
    generated_at: datetime
    organisations: tuple[OrganisationFigures, ...]
    close_window_days: int = CLOSE_WINDOW.days
    weeks: int = WEEKS
    total: Totals | None = None


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _per_organisation(organisations: list[Organisation], value: Any, output_field: Any) -> Case:
    """One expression that takes each organisation's own form of ``value(organisation)``."""
    return Case(
        *[When(organisation_id=o.pk, then=value(o)) for o in organisations],
        output_field=output_field,
    )


def _closed_on(organisations: list[Organisation]) -> Case:
    """The date a request was closed, where its organisation is."""
    return _per_organisation(
        organisations,
        lambda o: TruncDate("closed_at", tzinfo=zoneinfo.ZoneInfo(o.timezone)),
        DateField(),
    )


def _open_counts(
    organisations: list[Organisation], today: dict[int, date]
) -> dict[int, dict[str, int]]:
    overdue = Q()
    soon = Q()
    for organisation in organisations:
        day = today[organisation.pk]
        overdue |= Q(organisation_id=organisation.pk, effective_due_on__lt=day)
        soon |= Q(
            organisation_id=organisation.pk,
            effective_due_on__gte=day,
            effective_due_on__lte=day + timedelta(days=DUE_SOON_DAYS - 1),
        )
    # Unconfirmed requests are counted apart: they are not work yet, and their clock
    # waits for the confirmation.
    confirmed = Q(status__in=[s.value for s in CONFIRMED_OPEN_STATUSES])
    stopped = clock_stopped_q()
    rows = (
        Request.objects.filter(
            organisation_id__in=list(today), status__in=[s.value for s in OPEN_STATUSES]
        )
        .values("organisation_id")
        .annotate(
            open=Count("pk", filter=confirmed),
            overdue=Count("pk", filter=confirmed & overdue & ~stopped),
            due_soon=Count("pk", filter=confirmed & soon & ~stopped),
            stopped=Count("pk", filter=confirmed & stopped),
            unconfirmed=Count("pk", filter=Q(status=Status.UNVERIFIED)),
        )
        .order_by()
    )
    return {row.pop("organisation_id"): row for row in rows}


def _days_to_close(
    organisations: list[Organisation], now: datetime
) -> dict[int, list[tuple[int, int, int]]]:
    """Per organisation: (days taken, requests, of which on time), for the last 90 days."""
    rows = (
        Request.objects.filter(
            organisation_id__in=[o.pk for o in organisations],
            status__in=[s.value for s in ANSWERED],
            closed_at__gte=now - CLOSE_WINDOW,
        )
        .annotate(closed_on=_closed_on(organisations))
        .annotate(
            days=ExpressionWrapper(F("closed_on") - F("received_on"), output_field=DurationField())
        )
        .values("organisation_id", "days")
        .annotate(
            count=Count("pk"),
            on_time=Count("pk", filter=Q(closed_on__lte=F("effective_due_on"))),
        )
        .order_by()
    )
    histogram: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for row in rows:
        histogram[row["organisation_id"]].append((row["days"].days, row["count"], row["on_time"]))
    return histogram


def _median(histogram: list[tuple[int, int, int]]) -> float | None:
    """The median of values given as (value, how many) pairs."""
    counts = sorted((days, count) for days, count, _ in histogram)
    total = sum(count for _, count in counts)
    if not total:
        return None
    # The middle one (odd total) or the two middle ones (even), by 0-based rank.
    wanted = sorted({(total - 1) // 2, total // 2})
    found: list[int] = []
    seen = 0
    for days, count in counts:
        while wanted and wanted[0] < seen + count:
            found.append(days)
            wanted.pop(0)
        seen += count
    return sum(found) / len(found)


def _weekly(
    organisations: list[Organisation], first_week: date, now: datetime
) -> tuple[dict[tuple[int, date], int], dict[tuple[int, date], int]]:
    """Requests received and closed per (organisation, week starting Monday)."""
    ids = [o.pk for o in organisations]
    received = (
        Request.objects.filter(organisation_id__in=ids, received_on__gte=first_week)
        .annotate(week=TruncWeek("received_on"))
        .values("organisation_id", "week")
        .annotate(count=Count("pk"))
        .order_by()
    )
    # A day's margin: zones run up to 14 hours either side of UTC.
    since = datetime.combine(first_week - timedelta(days=1), time.min, tzinfo=UTC)
    closed = (
        Request.objects.filter(
            organisation_id__in=ids,
            status__in=[s.value for s in CLOSED_STATUSES],
            closed_at__gte=min(since, now),
        )
        .annotate(week=TruncWeek(_closed_on(organisations), output_field=DateField()))
        .values("organisation_id", "week")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return (
        {(row["organisation_id"], row["week"]): row["count"] for row in received},
        {(row["organisation_id"], row["week"]): row["count"] for row in closed},
    )


def dashboard_for(user: Any, *, now: datetime | None = None) -> Dashboard:
    """The dashboard of every organisation ``user`` may see, by name."""
    now = now or timezone.now()
    organisations = list(visible_organisations(user).order_by("name", "pk"))
    if not organisations:
        return Dashboard(generated_at=now, organisations=())
    today = {o.pk: local_today(o, now) for o in organisations}
    first_weeks = {pk: _week_start(day) - timedelta(weeks=WEEKS - 1) for pk, day in today.items()}

    open_counts = _open_counts(organisations, today)
    histograms = _days_to_close(organisations, now)
    received, closed = _weekly(organisations, min(first_weeks.values()), now)

    figures = []
    for organisation in organisations:
        counts = open_counts.get(organisation.pk, {})
        histogram = histograms.get(organisation.pk, [])
        weeks = tuple(
            WeekCount(
                starts_on=start,
                received=received.get((organisation.pk, start), 0),
                closed=closed.get((organisation.pk, start), 0),
            )
            for start in (
                first_weeks[organisation.pk] + timedelta(weeks=index) for index in range(WEEKS)
            )
        )
        figures.append(
            OrganisationFigures(
                organisation=organisation,
                today=today[organisation.pk],
                open=counts.get("open", 0),
                overdue=counts.get("overdue", 0),
                due_this_week=counts.get("due_soon", 0),
                clock_stopped=counts.get("stopped", 0),
                answered=sum(count for _, count, _ in histogram),
                answered_on_time=sum(on_time for _, _, on_time in histogram),
                median_days_to_close=_median(histogram),
                weeks=weeks,
                unconfirmed=counts.get("unconfirmed", 0),
            )
        )
    total = Totals(
        open=sum(f.open for f in figures),
        overdue=sum(f.overdue for f in figures),
        due_this_week=sum(f.due_this_week for f in figures),
        clock_stopped=sum(f.clock_stopped for f in figures),
        unconfirmed=sum(f.unconfirmed for f in figures),
        answered=sum(f.answered for f in figures),
        answered_on_time=sum(f.answered_on_time for f in figures),
        median_days_to_close=_median([row for rows in histograms.values() for row in rows]),
    )
    return Dashboard(generated_at=now, organisations=tuple(figures), total=total)
