"""A French subject downloads their answer in a real browser (Debian's chromium through
Playwright): the status link from the "answer ready" email, the files page, a one-time code
read from the email, the file saved by the browser and its SHA-256 compared with the stored
one. A screenshot of every page goes to var/screenshots/."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core import mail

from routing.models import Event, EventType, Request
from routing.services.actors import Actor
from routing.services.requests import request_complete
from tests.downloads.conftest import ANSWER, store_answer
from tests.downloads.test_walk import code_in
from tests.support.pages import fr, link_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server: Any, settings: Any, eager_celery: None) -> str:
    # Links in emails point at the server the browser talks to.
    settings.DSAR_PUBLIC_URL = live_server.url
    return str(live_server.url)


@pytest.fixture
def french_page(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(
        locale="fr-FR", viewport={"width": 1000, "height": 900}, accept_downloads=True
    )
    page = context.new_page()
    errors: list[str] = []

    def console(message: Any) -> None:
        # A CSP violation or a script error shows in the console.
        if message.type == "error" and "Failed to load resource" not in message.text:
            errors.append(message.text)

    page.on("console", console)
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    context.close()
    assert errors == []


def shot(page: Any, folder: Path, name: str) -> None:
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def test_a_french_subject_downloads_the_answer_with_a_code(
    site: str,
    french_page: Any,
    subject_request: Request,
    by: Actor,
    screenshot_dir: Path,
    tmp_path: Path,
) -> None:
    page = french_page
    subject_request.subject_language = "fr"
    subject_request.save(update_fields=["subject_language"])
    file = store_answer(subject_request, by)
    mail.outbox.clear()
    # On commit (this test runs in autocommit), the outbox hands the email to Celery, eager.
    request_complete(request=subject_request, by=by, kinds=["access"])
    ready = mail.outbox[-1]
    assert "est prête à être téléchargée" in ready.subject
    status_url = link_in(ready, "/s/")

    page.goto(status_url)
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", name="Télécharger votre réponse").is_visible()
    shot(page, screenshot_dir, "download-fr-0-status")
    page.get_by_role("link", name="Votre réponse est prête à être téléchargée.").click()
    page.wait_for_url(f"{status_url}files/")
    assert page.get_by_role("heading", level=1).inner_text() == "Télécharger votre réponse"
    # No code yet: no file is listed.
    assert page.get_by_role("link", name="answer.pdf").count() == 0
    shot(page, screenshot_dir, "download-fr-1-files")

    page.get_by_role("button", name=fr("M'envoyer un code")).click()
    page.wait_for_url(f"{status_url}files/?sent=1")
    assert fr("Nous avons envoyé un code à l'adresse e-mail de votre demande") in (
        page.get_by_role("status").inner_text()
    )
    code_email = mail.outbox[-1]
    assert code_email.to == ["ada@example.org"]
    assert "Votre code de téléchargement est" in code_email.body
    shot(page, screenshot_dir, "download-fr-2-code-sent")

    page.get_by_label("Code de téléchargement").fill(code_in(code_email))
    page.get_by_role("button", name="Ouvrir mes fichiers").click()
    page.wait_for_url(f"{status_url}files/")
    assert fr("Les fichiers peuvent être téléchargés jusqu'au") in page.content()
    shot(page, screenshot_dir, "download-fr-3-granted")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="answer.pdf").click()
    download = download_info.value
    assert download.suggested_filename == "answer.pdf"
    saved = tmp_path / "saved.pdf"
    download.save_as(saved)
    assert download.failure() is None
    received = saved.read_bytes()
    assert len(received) == len(ANSWER)
    assert hashlib.sha256(received).hexdigest() == file.sha256
    # The server records the download once its stream has ended, which may be just after
    # the browser has the last byte.
    events = Event.objects.filter(request=subject_request, type=EventType.FILE_DOWNLOADED)
    for _ in range(100):
        if events.exists():
            break
        page.wait_for_timeout(50)
    assert [event.data for event in events] == [{"file": file.pk, "sha256": file.sha256}]

    page.get_by_role("link", name="Retour à votre demande").click()
    page.wait_for_url(status_url)
