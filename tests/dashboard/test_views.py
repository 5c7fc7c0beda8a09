"""The dashboard page: staff only, inside the admin, no inline style or script, and a
query count that does not grow with the number of requests."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext

from routing.models import Organisation
from routing.services.actors import Actor
from routing.services.requests import request_deny, request_pause, request_withdraw
from tests.factories import OrganisationFactory, StaffFactory, make_request

pytestmark = pytest.mark.django_db

URL = "/dashboard/"
SYSTEM = Actor.system("test")


@pytest.fixture
def organisations() -> list[Organisation]:
    """A member's organisation first, then three others, one of them under the UK GDPR."""
    return [
        OrganisationFactory.create(name="Maison Alpha"),
        OrganisationFactory.create(name="Maison Beta"),
        OrganisationFactory.create(name="Maison Gamma", uk_gdpr=True),
        OrganisationFactory.create(name="Maison Delta"),
    ]


@pytest.fixture
def member(organisations):
    return StaffFactory(organisations=[organisations[0]])


def test_anonymous_visitors_are_sent_to_the_admin_login(client) -> None:
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/dashboard/"


def test_users_who_are_not_staff_are_sent_to_the_admin_login(client, organisations) -> None:
    user = get_user_model().objects.create_user("subject", "s@example.org", "pw")
    client.force_login(user)

    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_staff_see_their_organisations_in_the_admin_frame(client, organisations, member) -> None:
    make_request(organisations[0])
    make_request(organisations[1], email="other@example.org")
    client.force_login(member)

    response = client.get(URL)

    assert response.status_code == 200
    assert response.templates[0].name == "admin/dashboard.html"
    html = response.content.decode()
    assert "Maison Alpha" in html
    assert "Maison Beta" not in html, "another tenant's figures must not show"
    assert 'id="site-name"' in html, "the admin's header"
    assert "<svg" in html
    assert "requests received and closed per week" in html
    assert "/static/routing/dashboard.css" in html
    assert response["Cache-Control"].startswith("max-age=0")


def test_the_page_needs_no_inline_style_or_script(client, organisations, member) -> None:
    make_request(organisations[0])
    client.force_login(member)

    html = client.get(URL).content.decode()

    assert " style=" not in html
    assert "<style" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html), "inline scripts break the CSP"
    assert not re.search(r'(?:src|href)="(?:https?:)?//', html), "nothing from another host"


def test_chart_coordinates_are_plain_numbers_in_any_language(client, organisations, member) -> None:
    make_request(organisations[0])
    client.force_login(member)

    html = client.get(URL, headers={"accept-language": "fr"}).content.decode()

    charts = re.findall(r'<figure class="dashboard-chart">(.*?)</figure>', html, re.DOTALL)
    coordinates = re.findall(r'\s(?:x|y|x1|x2|y1|y2|width|height)="([^"]*)"', "".join(charts))
    assert coordinates
    assert all(re.fullmatch(r"-?\d+|100%", value) for value in coordinates), coordinates


def test_staff_without_organisations_are_told_so(client, organisations) -> None:
    client.force_login(StaffFactory())

    response = client.get(URL)

    assert response.status_code == 200
    assert "not a member of any organisation" in response.content.decode()


def test_the_admin_index_links_to_the_dashboard(client, member) -> None:
    client.force_login(member)

    html = client.get("/admin/").content.decode()

    assert 'href="/dashboard/"' in html
    assert 'id="content-main"' in html, "the admin's own index is still there"


def test_the_stylesheet_is_a_static_file() -> None:
    assert finders.find("routing/dashboard.css")


def _add_requests(organisations: list[Organisation], count: int, start: int) -> None:
    """A mix of organisations, weeks, and open, paused and closed requests."""
    base = datetime.now(UTC)
    for i in range(start, start + count):
        request = make_request(
            organisations[i % len(organisations)],
            email=f"subject{i}@example.org",
            received_at=base - timedelta(days=(i * 3) % 80),
            country="GB" if i % 4 == 2 else "FR",
        )
        if i % 5 == 1:
            request_deny(request=request, by=SYSTEM, ground="no_data_held")
        elif i % 5 == 2:
            request_withdraw(request=request, by=SYSTEM)
        elif i % 5 == 3:
            request_pause(request=request, by=SYSTEM, reason="proof of identity")


def _queries_for_page(client) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(URL)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.slow
def test_query_count_does_not_grow_with_the_number_of_requests(client, organisations) -> None:
    superuser = get_user_model().objects.create_superuser("root", "root@desk.example", "pw")
    client.force_login(superuser)
    _add_requests(organisations, 10, 0)
    client.get(URL)  # the first page of a session warms caches the others share
    with_10 = _queries_for_page(client)

    _add_requests(organisations, 190, 10)
    with_200 = _queries_for_page(client)

    assert with_200 == with_10, (with_10, with_200)
    # Session, user, organisations, and one aggregate per figure group.
    assert with_10 <= 8
