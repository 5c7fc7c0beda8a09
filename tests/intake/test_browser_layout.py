"""Long unbroken text on the public pages, in a real browser (Debian's chromium).

A name without spaces, a pasted link, an organisation's long name: every public page keeps
them within the window at a phone's width and a desktop's, without scrolling sideways.
The details field counts its characters as the subject types.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core import mail

from routing.models import Organisation, Request
from tests.support.pages import link_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (390, 1280)
# As long as each field accepts: the name and an organisation's name hold 200 characters.
LONG_NAME = "N" * 200
LONG_WORD = "W" * 300
LONG_URL = "https://example.org/" + "p" * 300
# The sideways overflow of the page, in CSS pixels: 0 when nothing sticks out.
OVERFLOW = """
() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)
      - window.innerWidth
"""


@pytest.fixture
def site(live_server: Any, settings: Any, registry: Any, eager_celery: None) -> str:
    settings.DSAR_PUBLIC_URL = live_server.url
    return str(live_server.url)


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(locale="en-GB", viewport={"width": WIDTHS[0], "height": 800})
    yield context.new_page()
    context.close()


def overflow_at_each_width(page: Any, folder: Path, name: str) -> dict[int, int]:
    """{width: pixels past the window's right edge}, with a screenshot at each width."""
    found = {}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        found[width] = page.evaluate(OVERFLOW)
        page.screenshot(path=str(folder / f"long-text-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": WIDTHS[0], "height": 800})
    return found


def test_long_unbroken_text_wraps_on_every_public_page(
    site: str, page: Any, screenshot_dir: Path
) -> None:
    Organisation.objects.filter(slug="callkom").update(name=LONG_NAME)
    overflow: dict[str, dict[int, int]] = {}

    def check(name: str) -> None:
        overflow[name] = overflow_at_each_width(page, screenshot_dir, name)

    page.goto(f"{site}/")
    check("chooser")
    page.goto(f"{site}/o/callkom/request/")
    page.get_by_label("An automated agent called me on behalf of a company").check()
    page.get_by_label("The phone number that called you").fill("01 99 00 12 34")
    page.get_by_label("When the call came").fill("W" * 100)
    page.get_by_label("Your email address").fill("ada@example.org")
    page.get_by_label("Your name").fill(LONG_NAME)
    page.get_by_label("Country where you live").select_option(label="France")
    page.get_by_label("Anything else we should know").fill(f"{LONG_WORD} {LONG_URL}")
    check("form")
    # No kind ticked: the form comes back with its errors and everything typed.
    page.get_by_role("button", name="Send my request").click()
    page.get_by_role("alert").wait_for()
    check("form-errors")
    page.get_by_label("Right to object (Art. 21(1))").check()
    page.get_by_role("button", name="Send my request").click()
    page.get_by_role("heading", name="Check your email").wait_for()
    check("sent")

    [confirmation] = mail.outbox
    page.goto(link_in(confirmation, "/confirm/"))
    assert LONG_WORD in page.content()
    check("confirm")
    page.get_by_role("button", name="Confirm my request").click()
    reference = Request.objects.get().reference
    page.get_by_role("heading", name=f"Your request {reference}").wait_for()
    check("status")
    page.goto(link_in(confirmation, "/confirm/"))
    page.get_by_role("heading", name="Your address is already confirmed").wait_for()
    check("confirm-again")

    forward = next(m for m in mail.outbox if "/ack/" in str(m.body))
    page.goto(link_in(forward, "/ack/"))
    check("acknowledge")
    page.get_by_role("button", name="I have received this request").click()
    page.get_by_role("heading", name="Thank you").wait_for()
    check("acknowledged")
    page.goto(f"{site}/ack/{LONG_WORD}/")
    check("acknowledge-invalid")
    page.goto(f"{site}/confirm/{LONG_WORD}/")
    check("confirm-invalid")
    page.goto(f"{site}/s/{LONG_WORD}/")
    check("status-invalid")

    assert {name: widths for name, widths in overflow.items() if any(widths.values())} == {}
    assert len(overflow) == 12


def test_the_details_counter_says_what_is_left_and_what_is_over(site: str, page: Any) -> None:
    page.goto(f"{site}/o/callkom/request/")
    details = page.get_by_label("Anything else we should know")
    counter = page.locator("#id_details_counter")

    assert "Up to 5,000 characters." in page.locator("#id_details_helptext").inner_text()
    assert counter.inner_text() == "Characters left: 5,000"
    details.fill("x" * 4990 + "\n" * 2)
    # A line break counts once, as the server counts it; trailing ones are trimmed.
    assert counter.inner_text() == "Characters left: 10"
    details.fill("x" * 4990 + "\ny" * 15)
    assert counter.inner_text() == "Characters over the limit: 20"
    assert "counter-over" in (counter.get_attribute("class") or "")
    # The browser cuts nothing: the whole text stays in the field to be shortened.
    assert len(details.input_value()) == 4990 + 30
