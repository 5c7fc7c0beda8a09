"""The public pages in a real browser (Debian's chromium through Playwright).

Each test walks one subject's way through: the form, its errors, the email's
confirmation link, the status page. A screenshot of every page goes to var/screenshots/.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core import mail

from routing.models import Request, Status
from tests.support.pages import fr, link_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server: Any, settings: Any, registry: Any, eager_celery: None) -> str:
    # Links in emails point at the server the browser talks to.
    settings.DSAR_PUBLIC_URL = live_server.url
    return str(live_server.url)


def _page(chromium: Any, **context: Any) -> Iterator[Any]:
    browser_context = chromium.new_context(**context)
    page = browser_context.new_page()
    errors: list[str] = []

    def console(message: Any) -> None:
        # A CSP violation or a script error shows in the console. A page answered with
        # 400 or 404 on purpose (form errors, a bad link) logs its status there too.
        if message.type == "error" and "Failed to load resource" not in message.text:
            errors.append(message.text)

    page.on("console", console)
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    browser_context.close()
    assert errors == []


@pytest.fixture
def french_page(chromium: Any) -> Iterator[Any]:
    yield from _page(chromium, locale="fr-FR", viewport={"width": 1000, "height": 900})


@pytest.fixture
def english_gpc_page(chromium: Any) -> Iterator[Any]:
    yield from _page(
        chromium,
        locale="en-US",
        viewport={"width": 1000, "height": 900},
        extra_http_headers={"Sec-GPC": "1"},
    )


@pytest.fixture
def no_script_page(chromium: Any) -> Iterator[Any]:
    yield from _page(chromium, java_script_enabled=False, viewport={"width": 420, "height": 900})


# Text and the background it sits on, for every kind of text the pages use; WCAG AA wants
# 4.5:1 (3:1 for large text, which none of these is counted as).
_CONTRAST = """
(selectors) => {
  const parse = (c) => c.match(/[\\d.]+/g).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (; el; el = el.parentElement) {
      const c = parse(getComputedStyle(el).backgroundColor);
      if (c.length < 4 || c[3] > 0) return c;
    }
    return [255, 255, 255];
  };
  const out = {};
  for (const s of selectors) {
    const el = document.querySelector(s);
    if (!el) { out[s] = null; continue; }
    const a = lum(parse(getComputedStyle(el).color)), b = lum(background(el));
    out[s] = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  }
  return out;
}
"""
_TEXTS = [
    "h1",
    ".lead",
    ".hint",
    ".optional",
    ".choice-hint",
    "label",
    ".errorlist",
    ".error-summary a",
    ".button",
    ".site-name",
    ".link-button",
    ".site-footer p",
]


def shot(page: Any, folder: Path, name: str) -> None:
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def test_callkom_in_french(site: str, french_page: Any, screenshot_dir: Path) -> None:
    page = french_page
    page.goto(f"{site}/")
    # The stylesheet loaded (same origin, allowed by the policy).
    assert "system-ui" in page.evaluate("getComputedStyle(document.body).fontFamily")
    shot(page, screenshot_dir, "callkom-fr-0-chooser")
    page.get_by_role("link", name="Callkom").click()
    assert page.locator("html").get_attribute("lang") == "fr"
    page.get_by_role("heading", level=1).wait_for()
    assert "Demande à Callkom" in page.get_by_role("heading", level=1).inner_text()
    shot(page, screenshot_dir, "callkom-fr-1-form")

    # Keyboard only: the skip link comes first and is visible when focused.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Aller au contenu principal")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible()

    # Sending nothing: errors announced at the top, each a link to its field.
    page.get_by_role("button", name="Envoyer ma demande").click()
    summary = page.get_by_role("alert")
    assert "Il y a un problème" in summary.inner_text()
    shot(page, screenshot_dir, "callkom-fr-2-errors")
    ratios = page.evaluate(_CONTRAST, _TEXTS)
    assert all(ratio is not None and ratio >= 4.5 for ratio in ratios.values()), ratios
    summary.get_by_role("link", name="Votre adresse e-mail").click()
    assert page.evaluate("document.activeElement.id") == "id_email"
    # The focused field is visibly marked.
    style = page.locator("#id_email").evaluate(
        "el => [getComputedStyle(el).outlineStyle, getComputedStyle(el).boxShadow]"
    )
    assert style[0] == "solid"
    assert style[1] != "none"
    assert page.locator("#id_email").get_attribute("aria-invalid") == "true"

    # The AI-call question reveals the number and time fields; ticked with the keyboard.
    phone_field = page.get_by_label("Le numéro qui vous a appelé")
    ai_calls = page.get_by_label(
        fr("Un agent automatique m'a appelé pour le compte d'une entreprise")
    )
    assert not phone_field.is_visible()
    ai_calls.focus()
    page.keyboard.press("Space")
    assert ai_calls.is_checked()
    assert phone_field.is_visible()
    phone_field.fill("01 99 00 12 34")
    page.get_by_label(fr("Quand l'appel a eu lieu")).fill("le 3 mars vers 14 h")
    page.get_by_label(fr("Droit d'opposition (art. 21, paragraphe 1)")).check()
    page.get_by_label("Votre adresse e-mail").fill("camille@example.org")
    page.get_by_label("Votre nom").fill("Camille Durand")
    page.get_by_label("Pays où vous habitez").select_option(label="France")
    page.get_by_label("Autre chose à nous dire").fill(fr("Merci de ne plus m'appeler."))
    shot(page, screenshot_dir, "callkom-fr-3-filled")
    page.get_by_role("button", name="Envoyer ma demande").focus()
    page.keyboard.press("Enter")

    page.get_by_role("heading", name="Consultez vos e-mails").wait_for()
    request = Request.objects.get()
    assert request.reference in page.locator(".reference").inner_text()
    assert request.subject_language == "fr"
    shot(page, screenshot_dir, "callkom-fr-4-sent")

    # The email is in French; its link leads to a page that confirms with one button.
    [confirmation] = mail.outbox
    assert confirmation.subject.startswith("Confirmez votre demande")
    page.goto(link_in(confirmation, "/confirm/"))
    assert fr("Merci de ne plus m'appeler.") in page.content()
    shot(page, screenshot_dir, "callkom-fr-5-confirm")
    page.get_by_role("button", name="Confirmer ma demande").click()

    page.get_by_role("heading", name=f"Votre demande {request.reference}").wait_for()
    assert "votre adresse est confirmée" in page.content()
    # Confirming forwarded the AI call's part to the customer found from the number.
    assert "a été transmise à Maison Exemple, qui vous a appelé, le" in page.content()
    request.refresh_from_db()
    assert request.status == Status.IN_PROGRESS
    acknowledgement = mail.outbox[-1]
    assert request.reference in acknowledgement.subject
    assert link_in(acknowledgement, "/s/").split("/s/")[1] in page.url
    shot(page, screenshot_dir, "callkom-fr-6-status")

    # The link from the acknowledgement opens the same page, keyboard first.
    page.goto(link_in(acknowledgement, "/s/"))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"


def test_click_and_call_in_english_with_gpc(
    site: str, english_gpc_page: Any, screenshot_dir: Path
) -> None:
    page = english_gpc_page
    page.goto(f"{site}/o/click-and-call/request/")
    assert page.locator("html").get_attribute("lang") == "en"
    # Global Privacy Control: the opt-out is offered first, and ticked.
    first_kind = page.locator('input[name="kinds"]').first
    assert first_kind.get_attribute("value") == "opt_out_sale"
    assert first_kind.is_checked()
    assert "Global Privacy Control" in page.content()
    shot(page, screenshot_dir, "click-and-call-en-1-form")

    # A bad phone and website are named, and what was valid is kept.
    page.get_by_label("I called a business with a call button on its website").check()
    page.get_by_label("The website where you used the call button").fill("not a website")
    page.get_by_label("Right to delete").check()
    page.get_by_label("Your email address").fill("sam@example.org")
    page.get_by_label("Your phone number").fill("12")
    page.get_by_label("Country where you live").select_option(label="United States: California")
    page.get_by_role("button", name="Send my request").click()
    summary = page.get_by_role("alert")
    assert "Write the website's address" in summary.inner_text()
    assert "This is not a phone number we can read for United States: California" in (
        summary.inner_text()
    )
    assert page.get_by_label("Your email address").input_value() == "sam@example.org"
    assert page.get_by_label("Right to delete").is_checked()
    shot(page, screenshot_dir, "click-and-call-en-2-errors")

    page.get_by_label("The website where you used the call button").fill(
        "https://www.sunset-plumbing.example/contact"
    )
    page.get_by_label("Your phone number").fill("(213) 555-0142")
    page.get_by_role("button", name="Send my request").click()
    page.get_by_role("heading", name="Check your email").wait_for()
    request = Request.objects.get()
    assert request.regime == "ccpa"
    assert request.kinds == ["erasure", "opt_out_sale"]
    assert request.subject_phone == "+12135550142"
    shot(page, screenshot_dir, "click-and-call-en-3-sent")

    page.goto(link_in(mail.outbox[0], "/confirm/"))
    shot(page, screenshot_dir, "click-and-call-en-4-confirm")
    page.get_by_role("button", name="Confirm my request").click()
    page.get_by_role("heading", name=f"Your request {request.reference}").wait_for()
    content = page.content()
    assert "Opt-out request honored" in content
    assert "Right to delete" in content
    assert "contact Sunset Sample Plumbing, whose website you used" in content
    assert page.get_by_role("link", name="privacy@sunset-plumbing.example").is_visible()
    shot(page, screenshot_dir, "click-and-call-en-5-status")

    # Withdrawing needs the box ticked; then the page says so.
    page.get_by_role("button", name="Withdraw my request").click()
    assert "Tick the box" in page.content()
    page.get_by_label("Yes, I want to withdraw this request").check()
    page.get_by_role("button", name="Withdraw my request").click()
    page.get_by_text("You withdrew your request.").wait_for()
    shot(page, screenshot_dir, "click-and-call-en-6-withdrawn")
    request.refresh_from_db()
    assert request.status == Status.WITHDRAWN


def test_a_bad_link_and_the_language_switcher(
    site: str, english_gpc_page: Any, screenshot_dir: Path
) -> None:
    page = english_gpc_page
    response = page.goto(f"{site}/s/not-a-real-token/")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "This link is not valid"
    shot(page, screenshot_dir, "link-not-valid-en")

    page.get_by_role("button", name="Français").click()
    page.get_by_role("heading", name=fr("Ce lien n'est pas valide")).wait_for()
    assert page.locator("html").get_attribute("lang") == "fr"
    shot(page, screenshot_dir, "link-not-valid-fr")


def test_the_form_works_without_javascript(
    site: str, no_script_page: Any, screenshot_dir: Path
) -> None:
    page = no_script_page
    page.goto(f"{site}/o/comfile-360/request/")
    # Ticking the question shows the WhatsApp field by CSS alone.
    page.get_by_label(
        "A business wrote to me on WhatsApp and I want to know what it holds about me"
    ).check()
    page.get_by_label("The business's WhatsApp number").fill("+44 7700 900123")
    page.get_by_label("Right of access (Art. 15)").check()
    page.get_by_label("Your email address").fill("kim@example.org")
    page.get_by_label("Country where you live").select_option(label="United Kingdom")
    shot(page, screenshot_dir, "comfile-360-en-no-javascript-form")
    page.get_by_role("button", name="Send my request").click()

    page.get_by_role("heading", name="Check your email").wait_for()
    request = Request.objects.get()
    assert request.identifiers == {"whatsapp": "+447700900123"}
    assert request.routes.get(scope__key="comfile-360:service-data").target_name == (
        "Boutique Démo"
    )
    shot(page, screenshot_dir, "comfile-360-en-no-javascript-sent")
