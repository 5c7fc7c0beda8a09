"""In a real browser: a letter entered, previewed and saved; and the queue at 1280 pixels."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from routing.models import Channel, Organisation, Request
from routing.presenters.formats import format_date
from routing.services.actors import Actor
from routing.services.requests import request_assign, request_pause
from tests.factories import StaffFactory, make_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SYSTEM = Actor.system("test")


def _signed_in(chromium: Any, live_server: Any, user: Any, width: int) -> Iterator[Any]:
    """A page whose browser carries the user's session (signed in as the admin would)."""
    client = Client()
    client.force_login(user)
    context = chromium.new_context(locale="en-GB", viewport={"width": width, "height": 900})
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    errors: list[str] = []
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and "Failed to load resource" not in m.text
            else None
        ),
    )
    yield page
    context.close()
    # A CSP violation or a script error in the admin shows in the console.
    assert errors == []


@pytest.fixture
def callkom(registry: Any) -> Organisation:
    return Organisation.objects.get(slug="callkom")


@pytest.fixture
def staff(callkom: Organisation) -> Any:
    return StaffFactory(username="camille", organisations=[callkom])


@pytest.fixture
def page(chromium: Any, live_server: Any, staff: Any) -> Iterator[Any]:
    yield from _signed_in(chromium, live_server, staff, 1400)


@pytest.fixture
def narrow_page(chromium: Any, live_server: Any, staff: Any) -> Iterator[Any]:
    # A member of two organisations: the queue then names each row's organisation too.
    staff.memberships.create(organisation=Organisation.objects.get(slug="click-and-call"))
    yield from _signed_in(chromium, live_server, staff, 1280)


def test_staff_enter_a_letter_preview_its_routes_and_save_it(
    live_server: Any, callkom: Organisation, page: Any, screenshot_dir: Path
) -> None:
    yesterday = timezone.localdate() - timedelta(days=1)

    page.goto(f"{live_server.url}/admin/routing/request/")
    page.get_by_role("link", name="Add request").click()
    page.wait_for_selector("#receive-form")
    page.check("input[name=channel][value=post]")
    page.select_option("select[name=organisation]", str(callkom.pk))
    page.fill("input[name=received_on]", yesterday.isoformat())
    page.fill("input[name=received_time]", "09:30")
    page.check("input[name=kinds][value=objection]")
    page.check("input[name=scopes][value='callkom:ai-calls']")
    page.fill("input[name=caller_phone]", "01 99 00 12 34")
    page.fill("input[name=name]", "Ada Martin")
    page.fill("input[name=email]", "ada@example.org")
    page.select_option("select[name=country]", "FR")
    page.fill("textarea[name=details]", "Letter asking Callkom's AI agent to stop calling.")
    page.click("input[name=_preview]")

    page.wait_for_selector("#preview")
    page.screenshot(path=str(screenshot_dir / "admin-receive-1-preview.png"), full_page=True)
    routes = page.locator("#preview-routes").inner_text()
    assert "callkom:ai-calls" in routes
    assert "forward" in routes
    assert "Maison Exemple" in routes
    received = page.locator("#preview-received").inner_text()
    assert received == f"{format_date(yesterday)}, 09:30 (Europe/Paris)"
    due = page.locator("#preview-due").inner_text()
    assert Request.objects.count() == 0

    page.click("input[name=_save]")
    page.wait_for_selector("#routes")
    page.screenshot(path=str(screenshot_dir / "admin-receive-2-saved.png"), full_page=True)

    req = Request.objects.get()
    assert req.channel == Channel.POST
    assert format_date(req.due_on) == due
    assert f"{req.reference} received by post" in page.locator(".messagelist").inner_text()
    saved_routes = page.locator("#routes").inner_text()
    assert "callkom:ai-calls" in saved_routes
    assert "Maison Exemple" in saved_routes
    route = req.routes.get()
    assert format_date(route.due_on) in saved_routes
    assert format_date(route.due_on) in routes, "the saved route is due when the preview said"
    assert received in page.content()


def test_the_queues_key_columns_fit_at_1280_pixels(
    live_server: Any, callkom: Organisation, staff: Any, narrow_page: Any, screenshot_dir: Path
) -> None:
    # The widest cells a row has: many kinds, a long name and address, an assignee, a
    # long status and a duplicate flag.
    name = "Maximilienne de La Tour-Dubois-Marchand"
    email = "maximilienne.de-la-tour-dubois@exemple-long-domaine.example"
    first = make_request(
        callkom,
        kinds=("access", "erasure", "marketing_objection", "withdraw_consent"),
        name=name,
        email=email,
    )
    again = make_request(callkom, kinds=("access",), name=name, email=email)
    request_assign(request=first, assignee=staff, by=SYSTEM)
    request_pause(request=again, by=SYSTEM, reason="Which account?")
    make_request(callkom, email="bob@example.org", received_at=timezone.now() - timedelta(40))

    narrow_page.goto(f"{live_server.url}/admin/routing/request/")
    narrow_page.wait_for_selector("#result_list")
    narrow_page.screenshot(path=str(screenshot_dir / "admin-queue-1280.png"), full_page=True)

    overflow = narrow_page.evaluate(
        """() => {
            const results = document.querySelector('#changelist .results');
            const page = document.documentElement;
            return {
                results: results.scrollWidth - results.clientWidth,
                page: page.scrollWidth - page.clientWidth,
            };
        }"""
    )
    assert overflow == {"results": 0, "page": 0}
    rows = narrow_page.locator("#result_list tbody").inner_text()
    assert "possible duplicate of" in rows
    assert "camille" in rows
    assert "Callkom" in rows
