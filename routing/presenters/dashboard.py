"""The dashboard as staff see it: each organisation's figures with the geometry of its
weekly chart, computed here so the template only places shapes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from routing.selectors.dashboard import Dashboard, OrganisationFigures, WeekCount, dashboard_for


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    value: int
    label: str


@dataclass(frozen=True)
class Tick:
    position: int
    label: str


@dataclass(frozen=True)
class WeeklyChart:
    """Geometry of a bar chart in SVG user units, so the template only places shapes."""

    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    received: tuple[Bar, ...]
    closed: tuple[Bar, ...]
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    description: str


def nice_maximum(value: int) -> int:
    """The smallest of 2, 4, 6, 8, 10, 20, 40 ... at or above ``value``: halves are whole."""
    scale = 1
    while True:
        for step in (2, 4, 6, 8, 10):
            if step * scale >= value:
                return step * scale
        scale *= 10


def weekly_chart(
    weeks: tuple[WeekCount, ...], *, width: int = 640, height: int = 220
) -> WeeklyChart:
    """Bars of received and closed requests per week, side by side, on a shared scale."""
    left, right, top, bottom = 40, width - 8, 12, height - 28
    plot_height = bottom - top
    maximum = nice_maximum(max([1, *(w.received for w in weeks), *(w.closed for w in weeks)]))
    slot = (right - left) / max(len(weeks), 1)
    bar_width = max(int(slot * 0.36), 1)

    def bar(index: int, offset: int, value: int, label: str) -> Bar:
        bar_height = round(plot_height * value / maximum)
        return Bar(
            x=round(left + index * slot + slot * 0.12) + offset,
            y=bottom - bar_height,
            width=bar_width,
            height=bar_height,
            value=value,
            label=label,
        )

    received = []
    closed = []
    x_ticks = []
    for index, week in enumerate(weeks):
        day = f"{week.starts_on.day} {week.starts_on:%b}"
        received.append(bar(index, 0, week.received, f"week of {day}: {week.received} received"))
        closed.append(
            bar(index, bar_width + 2, week.closed, f"week of {day}: {week.closed} closed")
        )
        x_ticks.append(Tick(position=round(left + (index + 0.5) * slot), label=day))
    y_ticks = tuple(
        Tick(position=bottom - round(plot_height * value / maximum), label=str(value))
        for value in (0, maximum // 2, maximum)
    )
    total_received = sum(w.received for w in weeks)
    total_closed = sum(w.closed for w in weeks)
    description = (
        f"Requests received and closed per week over the last {len(weeks)} weeks: "
        f"{total_received} received, {total_closed} closed."
    )
    return WeeklyChart(
        width=width,
        height=height,
        plot_left=left,
        plot_right=right,
        plot_top=top,
        plot_bottom=bottom,
        received=tuple(received),
        closed=tuple(closed),
        x_ticks=tuple(x_ticks),
        y_ticks=y_ticks,
        description=description,
    )


@dataclass(frozen=True)
class QueueLinks:
    """The queue filtered to the requests each figure counts, so following a figure lists
    exactly that many rows."""

    open: str
    overdue: str
    due_this_week: str
    clock_stopped: str
    unconfirmed: str


# The queue's filters matching each figure (routing/admin/requests/filters.py). Overdue
# and due this week leave out stopped clocks, as the figures do.
_FIGURE_FILTERS: dict[str, dict[str, str]] = {
    "open": {"status": "open"},
    "overdue": {"status": "open", "due": "overdue", "clock": "running"},
    "due_this_week": {"status": "open", "due": "this_week", "clock": "running"},
    "clock_stopped": {"status": "open", "clock": "stopped"},
    "unconfirmed": {"status": "unverified"},
}


def queue_links(organisation_id: int | None = None) -> QueueLinks:
    """Links for one organisation's figures, or for the totals (every organisation)."""
    queue = reverse("admin:routing_request_changelist")
    scope = {"organisation__id__exact": str(organisation_id)} if organisation_id else {}
    return QueueLinks(
        **{
            figure: f"{queue}?{urlencode({**filters, **scope})}"
            for figure, filters in _FIGURE_FILTERS.items()
        }
    )


@dataclass(frozen=True)
class Panel:
    figures: OrganisationFigures
    chart: WeeklyChart
    links: QueueLinks


@dataclass(frozen=True)
class DashboardPage:
    dashboard: Dashboard
    panels: tuple[Panel, ...]
    total_links: QueueLinks


def dashboard_page(user: Any, *, now: datetime | None = None) -> DashboardPage:
    dashboard = dashboard_for(user, now=now)
    panels = tuple(
        Panel(f, weekly_chart(f.weeks), queue_links(f.organisation.pk))
        for f in dashboard.organisations
    )
    return DashboardPage(dashboard=dashboard, panels=panels, total_links=queue_links())
