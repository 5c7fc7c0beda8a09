"""Anything a subject types is shown escaped wherever it appears."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.test import Client
from django.urls import reverse

from routing.models import Request
from routing.services.actors import Actor
from routing.services.requests import request_pause
from tests.intake.test_form import CALLKOM, callkom_post
from tests.support.pages import link_in, local_path

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"


def hostile_post() -> dict[str, object]:
    return callkom_post(name=HOSTILE, details=f"Details {HOSTILE}", call_time=f"Monday {HOSTILE}")


def assert_escaped(html: str) -> None:
    assert HOSTILE not in html
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert ESCAPED in html


@pytest.fixture
def hostile(client: Client, registry, sent) -> str:
    """A request full of markup, submitted; returns its confirmation path."""
    with sent():
        response = client.post(CALLKOM, hostile_post())
    assert response.status_code == 302
    return local_path(link_in(mail.outbox[-1], "/confirm/"))


def test_the_form_shows_hostile_input_escaped_when_it_has_errors(client: Client, registry) -> None:
    response = client.post(CALLKOM, {**hostile_post(), "email": "not an address"})

    assert response.status_code == 400
    assert_escaped(response.content.decode())


def test_the_confirmation_page_escapes_what_was_typed(client: Client, hostile: str) -> None:
    page = client.get(hostile).content.decode()

    assert_escaped(page)
    assert "Details " in page
    assert "Monday " in page


def test_the_status_page_escapes_what_was_typed(client: Client, hostile: str, sent) -> None:
    with sent():
        status = client.post(hostile)["Location"]
    request_pause(request=Request.objects.get(), by=Actor.system("staff"), reason=HOSTILE)

    page = client.get(status).content.decode()

    assert_escaped(page)
    assert page.count(ESCAPED) >= 4  # name, message, call time, the question asked

    answered = client.post(f"{status.split('?')[0]}answer/", {"text": HOSTILE})
    assert_escaped(client.get(answered["Location"]).content.decode())


def test_the_emails_escape_what_was_typed(client: Client, hostile: str, sent) -> None:
    with sent():
        client.post(hostile)

    showing = [m for m in mail.outbox if "alert(1)" in str(m.body)]
    # The confirmation and the acknowledgement at least; the customer's forward too.
    assert len(showing) >= 2
    for message in showing:
        assert isinstance(message, EmailMultiAlternatives)
        assert_escaped(str(message.alternatives[0][0]))
    intake_emails = [m for m in showing if "/confirm/" in str(m.body) or "/s/" in str(m.body)]
    assert len(intake_emails) == 2
    for message in intake_emails:
        # A text body is plain text: shown as typed, never as markup.
        assert HOSTILE in str(message.body)
        assert "\n" not in message.subject
        assert "\r" not in message.subject


def test_the_admin_change_page_escapes_what_was_typed(admin_client: Client, hostile: str) -> None:
    if not admin.site.is_registered(Request):
        pytest.skip("the Request admin is not registered in this checkout")
    request = Request.objects.get()

    response = admin_client.get(reverse("admin:routing_request_change", args=[request.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert HOSTILE not in page
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
