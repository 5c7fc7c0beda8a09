"""Each dashboard figure links to the queue filtered to the requests it counts, for each
organisation and for the total across them; unconfirmed requests are counted apart."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.utils.html import escape

from routing.models import Organisation, WaitingFor
from routing.services.actors import Actor
from routing.services.requests import request_deny, request_pause
from tests.factories import OrganisationFactory, StaffFactory, make_request

pytestmark = pytest.mark.django_db

URL = "/dashboard/"
SYSTEM = Actor.system("test")
FIGURES = ("open", "overdue", "due_this_week", "clock_stopped", "unconfirmed")


@pytest.fixture
def organisations() -> list[Organisation]:
    return [
        OrganisationFactory.create(name="Maison Alpha"),
        OrganisationFactory.create(name="Maison Beta", ccpa=True),
        OrganisationFactory.create(name="Maison Gamma"),
    ]


@pytest.fixture
def member(organisations):
    # Not a member of Gamma: its requests count nowhere on this dashboard.
    return StaffFactory(organisations=organisations[:2])


@pytest.fixture
def requests(organisations, time_machine) -> None:
    alpha, beta, gamma = organisations

    def received(organisation, day: datetime, email: str, **kwargs: Any):
        time_machine.move_to(day, tick=False)
        return make_request(organisation, email=email, received_at=day, **kwargs)

    # Alpha (GDPR, Paris): two overdue, one of them paused for proof of identity (its
    # clock is stopped), one due this week, one later, one unconfirmed, one closed.
    received(alpha, datetime(2026, 1, 5, 9, tzinfo=UTC), "late@example.org")
    paused = received(alpha, datetime(2026, 1, 6, 9, tzinfo=UTC), "paused@example.org")
    request_pause(request=paused, by=SYSTEM, reason="An ID", waiting_for=WaitingFor.IDENTITY)
    received(alpha, datetime(2026, 2, 20, 9, tzinfo=UTC), "week@example.org")
    received(alpha, datetime(2026, 3, 16, 9, tzinfo=UTC), "later@example.org")
    received(alpha, datetime(2026, 3, 17, 9, tzinfo=UTC), "new@example.org", verified=False)
    closed = received(alpha, datetime(2026, 1, 5, 9, tzinfo=UTC), "closed@example.org")
    request_deny(request=closed, by=SYSTEM, ground="no_data_held")
    # Beta (CCPA, Los Angeles): one open, one unconfirmed.
    received(beta, datetime(2026, 3, 1, 18, tzinfo=UTC), "ca@example.org", country="US")
    received(
        beta, datetime(2026, 3, 17, 18, tzinfo=UTC), "ca2@example.org", country="US", verified=False
    )
    # Gamma: not the member's.
    received(gamma, datetime(2026, 3, 2, 9, tzinfo=UTC), "g@example.org")
    time_machine.move_to(datetime(2026, 3, 18, 12, tzinfo=UTC), tick=False)


def _rows(client, link: str) -> int:
    response = client.get(link)
    assert response.status_code == 200
    return response.context["cl"].result_count


def test_every_figure_links_to_the_queue_showing_that_many_requests(
    client, member, organisations, requests
) -> None:
    client.force_login(member)

    response = client.get(URL)

    html = response.content.decode()
    page = response.context["page"]
    checked = 0
    for figures, links in [
        *((panel.figures, panel.links) for panel in page.panels),
        (page.dashboard.total, page.total_links),
    ]:
        for name in FIGURES:
            count, link = getattr(figures, name), getattr(links, name)
            assert f'<a href="{escape(link)}">{count}</a>' in html
            assert _rows(client, link) == count, (name, link)
            checked += 1
    assert checked == 3 * len(FIGURES)


def test_unconfirmed_requests_are_not_open_work(client, member, organisations, requests) -> None:
    client.force_login(member)

    page = client.get(URL).context["page"]

    alpha = page.panels[0].figures
    assert alpha.organisation.name == "Maison Alpha"
    assert (alpha.open, alpha.unconfirmed) == (4, 1)
    assert (alpha.overdue, alpha.due_this_week, alpha.clock_stopped) == (1, 1, 1)


def test_the_total_adds_up_the_members_organisations(
    client, member, organisations, requests
) -> None:
    client.force_login(member)

    response = client.get(URL)

    total = response.context["page"].dashboard.total
    assert (total.open, total.unconfirmed, total.overdue) == (5, 2, 1)
    assert "All 2 organisations" in response.content.decode()


def test_one_organisation_shows_no_separate_total(client, organisations, requests) -> None:
    client.force_login(StaffFactory(organisations=organisations[:1]))

    assert "dashboard-total" not in client.get(URL).content.decode()


def test_the_pages_query_count_is_bounded(
    client, member, organisations, requests, django_assert_max_num_queries
) -> None:
    client.force_login(member)
    client.get(URL)

    # Session, user, its two permission reads (the admin's menu), organisations, and one
    # aggregate per figure group: links and totals cost none.
    with django_assert_max_num_queries(9):
        client.get(URL)
