"""Staff triage in a real browser: log in, filter overdue, open a request, extend it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from routing.models import Event, Organisation, Request
from routing.presenters.formats import format_date
from tests.factories import StaffFactory, make_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(locale="en-GB", viewport={"width": 1400, "height": 1000})
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


def test_staff_filter_overdue_open_and_extend_a_request(
    live_server: Any, registry: Any, page: Any, screenshot_dir: Path
) -> None:
    callkom = Organisation.objects.get(slug="callkom")
    StaffFactory(username="camille", organisations=[callkom])
    overdue = make_request("callkom", received_at=timezone.now() - timedelta(days=45))
    current = make_request("callkom", email="bob@example.org", kinds=("erasure",))
    other = make_request("clickacall", email="eve@example.org", country="GB")
    first_due = current.effective_due_on

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "camille")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/routing/request/")
    page.screenshot(path=str(screenshot_dir / "admin-1-queue.png"), full_page=True)
    assert other.reference not in page.content(), "another organisation's request is hidden"

    page.locator("#changelist-filter").get_by_role("link", name="overdue", exact=True).click()
    page.wait_for_url("**due=overdue**")
    page.screenshot(path=str(screenshot_dir / "admin-2-overdue.png"), full_page=True)
    results = page.locator("#result_list").inner_text()
    assert overdue.reference in results
    assert current.reference not in results

    page.goto(f"{live_server.url}/admin/routing/request/")
    page.get_by_role("link", name=current.reference).click()
    page.wait_for_selector("#action-extend")
    page.locator("#action-extend [name=extend-reason]").fill("Several systems must be searched.")
    page.locator("#action-extend button[type=submit]").click()
    page.wait_for_selector("text=Extended")
    page.screenshot(path=str(screenshot_dir / "admin-3-extended.png"), full_page=True)

    current.refresh_from_db()
    assert current.effective_due_on > first_due
    assert format_date(current.effective_due_on) in page.content()
    timeline = page.locator("#timeline").inner_text()
    assert "extended" in timeline
    assert Event.objects.filter(request=current, type="extended").count() == 1
    assert Request.objects.get(pk=overdue.pk).extended_at is None
