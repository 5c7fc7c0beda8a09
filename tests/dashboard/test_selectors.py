"""The dashboard's figures, per organisation, in each organisation's own calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model

from routing.models import Organisation, Request
from routing.presenters.dashboard import nice_maximum as _nice_maximum
from routing.presenters.dashboard import weekly_chart
from routing.selectors.dashboard import (
    Dashboard,
    OrganisationFigures,
    WeekCount,
    _median,
    dashboard_for,
)
from routing.services.actors import Actor
from routing.services.requests import (
    request_complete,
    request_deny,
    request_pause,
    request_receive,
    request_withdraw,
    route_mark_done,
)
from tests.factories import OrganisationFactory, StaffFactory, make_request

pytestmark = pytest.mark.django_db

# A Wednesday. In Paris the week runs from Monday 16 March; "this week" is 18-24 March.
NOW = datetime(2026, 3, 18, 12, 0, tzinfo=UTC)
SYSTEM = Actor.system("test")
# Three tenants, one per regime: Paris (GDPR), California (CCPA), London (UK GDPR).
PARIS, CALIFORNIA, LONDON = "paris", "california", "london"


@pytest.fixture
def organisations() -> list[Organisation]:
    return [
        OrganisationFactory.create(slug=PARIS, name="Paris Desk"),
        OrganisationFactory.create(slug=CALIFORNIA, name="California Desk", ccpa=True),
        OrganisationFactory.create(slug=LONDON, name="London Desk", uk_gdpr=True),
    ]


def _at(time_machine, year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    moment = datetime(year, month, day, hour, minute, tzinfo=UTC)
    time_machine.move_to(moment, tick=False)
    return moment


def _received(time_machine, *args: int, organisation: str = PARIS, **kwargs) -> Request:
    moment = _at(time_machine, *args)
    return make_request(organisation, received_at=moment, **kwargs)


def _complete(request: Request) -> None:
    for route in request.routes.all():
        route_mark_done(route=route, by=SYSTEM)
    request_complete(request=request, by=SYSTEM)


@pytest.fixture
def superuser(organisations):
    return get_user_model().objects.create_superuser("root", "root@desk.example", "pw")


def _figures(user, slug: str = PARIS) -> OrganisationFigures:
    dashboard = dashboard_for(user, now=NOW)
    return next(f for f in dashboard.organisations if f.organisation.slug == slug)


def test_open_overdue_and_due_this_week(superuser, time_machine) -> None:
    overdue = _received(time_machine, 2026, 2, 9, 10, email="a@example.org")
    soon = _received(time_machine, 2026, 2, 20, 10, email="b@example.org")
    later = _received(time_machine, 2026, 3, 2, 10, email="c@example.org")
    assert overdue.effective_due_on == date(2026, 3, 9)
    assert soon.effective_due_on == date(2026, 3, 20)
    assert later.effective_due_on == date(2026, 4, 2)
    _at(time_machine, 2026, 3, 18, 12)

    figures = _figures(superuser)

    assert (figures.open, figures.overdue, figures.due_this_week) == (3, 1, 1)
    assert figures.today == date(2026, 3, 18)
    assert figures.due_this_week_until == date(2026, 3, 24)


def test_a_stopped_gdpr_clock_is_neither_overdue_nor_due(superuser, time_machine) -> None:
    paused = _received(time_machine, 2026, 2, 5, 10, email="a@example.org")
    _at(time_machine, 2026, 2, 10, 10)
    request_pause(request=paused, by=SYSTEM, reason="proof of identity")
    _received(time_machine, 2026, 3, 17, 10, email="b@example.org", verified=False)
    _at(time_machine, 2026, 3, 18, 12)

    figures = _figures(superuser)

    # The unconfirmed request is counted apart, not as open work with a stopped clock.
    assert (figures.open, figures.overdue, figures.due_this_week) == (1, 0, 0)
    assert figures.clock_stopped == 1
    assert figures.unconfirmed == 1


def test_a_paused_ccpa_request_still_runs_late(superuser, time_machine) -> None:
    _at(time_machine, 2026, 1, 20, 18)
    request = request_receive(
        organisation=Organisation.objects.get(slug=CALIFORNIA),
        kinds=["access"],
        subject={"email": "sam@example.com", "country": "US", "region": "CA"},
        by=SYSTEM,
        verified=True,
    ).request
    assert request.effective_due_on < date(2026, 3, 18)
    _at(time_machine, 2026, 2, 1, 18)
    request_pause(request=request, by=SYSTEM, reason="which account?")

    figures = _figures(superuser, CALIFORNIA)

    assert (figures.open, figures.overdue, figures.clock_stopped) == (1, 1, 0)


def test_a_paused_uk_erasure_still_runs_late(superuser, time_machine) -> None:
    _at(time_machine, 2026, 1, 20, 10)
    london = Organisation.objects.get(slug=LONDON)
    requests = [
        request_receive(
            organisation=london, kinds=kinds, by=SYSTEM, verified=True,
            subject={"email": f"{kinds[0]}@example.org", "country": "GB"},
        ).request
        for kinds in (["access"], ["erasure"])
    ]  # fmt: skip
    _at(time_machine, 2026, 2, 1, 10)
    for request in requests:
        request_pause(request=request, by=SYSTEM, reason="which account?")
    _at(time_machine, 2026, 3, 18, 12)

    figures = _figures(superuser, LONDON)

    # UK GDPR stops the clock for access only (Art. 12A(5)).
    assert (figures.open, figures.overdue, figures.clock_stopped) == (2, 1, 1)


def test_on_time_rate_and_median_days_over_the_last_90_days(superuser, time_machine) -> None:
    ten_days = _received(time_machine, 2026, 1, 5, 10, email="a@example.org")
    twenty_days = _received(time_machine, 2026, 1, 6, 10, email="b@example.org")
    late = _received(time_machine, 2026, 1, 7, 10, email="c@example.org")
    withdrawn = _received(time_machine, 2026, 1, 8, 10, email="d@example.org")
    too_old = _received(time_machine, 2025, 11, 3, 10, email="e@example.org")
    _at(time_machine, 2025, 12, 1, 10)
    request_deny(request=too_old, by=SYSTEM, ground="no_data_held")
    _at(time_machine, 2026, 1, 15, 10)
    _complete(ten_days)
    request_withdraw(request=withdrawn, by=SYSTEM)
    _at(time_machine, 2026, 1, 26, 10)
    request_deny(request=twenty_days, by=SYSTEM, ground="excessive")
    assert late.effective_due_on == date(2026, 2, 9)
    _at(time_machine, 2026, 2, 16, 10)
    _complete(late)

    figures = _figures(superuser)

    assert (figures.answered, figures.answered_on_time) == (3, 2)
    assert figures.on_time_percent == 67
    assert figures.median_days_to_close == 20
    assert figures.open == 0


def test_closing_on_the_due_date_in_the_organisations_zone_is_on_time(
    superuser, time_machine
) -> None:
    request = _received(time_machine, 2026, 2, 2, 10, email="a@example.org")
    assert request.effective_due_on == date(2026, 3, 2)
    # 22:30 UTC on 2 March is 23:30 in Paris: still the due date there.
    _at(time_machine, 2026, 3, 2, 22, 30)
    request_deny(request=request, by=SYSTEM, ground="no_data_held")

    figures = _figures(superuser)

    assert (figures.answered, figures.answered_on_time) == (1, 1)
    assert figures.median_days_to_close == 28


def test_without_answers_there_is_no_rate_or_median(superuser) -> None:
    figures = _figures(superuser)

    assert figures.on_time_percent is None
    assert figures.median_days_to_close is None


def test_weeks_received_and_closed_in_the_organisations_zone(superuser, time_machine) -> None:
    # 23:30 UTC on Sunday 8 March is Monday 9 March in Paris.
    first = _received(time_machine, 2026, 3, 8, 23, 30, email="a@example.org")
    second = _received(time_machine, 2026, 3, 10, 9, email="b@example.org")
    _received(time_machine, 2025, 12, 20, 9, email="old@example.org")  # before the 12 weeks
    # 23:30 UTC on Sunday 15 March is Monday 16 March in Paris.
    _at(time_machine, 2026, 3, 15, 23, 30)
    request_withdraw(request=first, by=SYSTEM)
    _at(time_machine, 2026, 3, 17, 9)
    request_deny(request=second, by=SYSTEM, ground="no_data_held")

    figures = _figures(superuser)

    weeks = {w.starts_on: (w.received, w.closed) for w in figures.weeks}
    assert len(figures.weeks) == 12
    assert figures.weeks[0].starts_on == date(2025, 12, 29)
    assert figures.weeks[-1].starts_on == date(2026, 3, 16)
    assert weeks[date(2026, 3, 9)] == (2, 0)
    assert weeks[date(2026, 3, 16)] == (0, 2)
    assert sum(w.received for w in figures.weeks) == 2
    assert "2 received, 2 closed" in weekly_chart(figures.weeks).description


def test_staff_see_only_their_organisations(organisations) -> None:
    paris = Organisation.objects.get(slug=PARIS)
    member = StaffFactory(organisations=[paris])
    outsider = StaffFactory()

    assert [f.organisation for f in dashboard_for(member).organisations] == [paris]
    assert dashboard_for(outsider).organisations == ()


def test_a_superuser_sees_every_organisation(superuser) -> None:
    dashboard = dashboard_for(superuser)

    assert isinstance(dashboard, Dashboard)
    assert {f.organisation.slug for f in dashboard.organisations} == set(
        Organisation.objects.values_list("slug", flat=True)
    )


# --- pure helpers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("histogram", "median"),
    [
        ([], None),
        ([(7, 1, 1)], 7),
        ([(10, 1, 1), (20, 1, 1), (40, 1, 0)], 20),
        ([(10, 1, 1), (20, 1, 1)], 15),
        ([(3, 5, 5), (30, 4, 0)], 3),
        ([(30, 2, 0), (3, 2, 2)], 16.5),
    ],
)
def test_median_from_counted_values(histogram, median) -> None:
    assert _median(histogram) == median


@pytest.mark.parametrize(
    ("value", "maximum"), [(0, 2), (1, 2), (3, 4), (7, 8), (9, 10), (11, 20), (45, 60), (101, 200)]
)
def test_chart_scale_is_a_round_number_with_a_whole_half(value, maximum) -> None:
    assert _nice_maximum(value) == maximum


def test_chart_bars_stay_inside_the_plot() -> None:
    start = date(2026, 1, 5)
    weeks = tuple(
        WeekCount(starts_on=start + timedelta(weeks=i), received=i, closed=11 - i)
        for i in range(12)
    )

    chart = weekly_chart(weeks)

    assert len(chart.received) == len(chart.closed) == len(chart.x_ticks) == 12
    for bar in (*chart.received, *chart.closed):
        assert chart.plot_left <= bar.x < bar.x + bar.width <= chart.plot_right
        assert chart.plot_top <= bar.y <= chart.plot_bottom
        assert bar.y + bar.height == chart.plot_bottom
    tallest = max(chart.closed, key=lambda b: b.value)
    assert tallest.value == 11
    assert [t.label for t in chart.y_ticks] == ["0", "10", "20"]
    assert chart.received[0].height == 0
    assert chart.x_ticks[0].label == "5 Jan"
