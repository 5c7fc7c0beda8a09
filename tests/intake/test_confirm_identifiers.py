"""The confirmation page shows the identifiers the subject gave: the routing depends on
them, so the subject checks them before the request starts."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import Client

from tests.intake.test_confirmation import submit
from tests.intake.test_form import CALLKOM, CLICK_AND_CALL, callkom_post

pytestmark = pytest.mark.django_db


def rows(page: str) -> str:
    """The page without the whitespace between tags, to read dt/dd pairs."""
    return " ".join(page.split()).replace("> <", "><")


def test_the_confirm_page_shows_the_number_that_called(client: Client, registry, sent) -> None:
    path = submit(client, sent, CALLKOM, **callkom_post())

    page = rows(client.get(path).content.decode())

    assert "<div><dt>The phone number that called you</dt><dd>+33 1 99 00 12 34</dd></div>" in page
    assert "These details decide who must answer your request." in page


def test_the_confirm_page_shows_the_website_as_people_read_it(
    client: Client, registry, sent
) -> None:
    path = submit(
        client,
        sent,
        CLICK_AND_CALL,
        scopes=["click-and-call:call-sessions"],
        website="https://www.Bücher.example/contact?x=1",
        kinds=["erasure"],
        email="sam@example.org",
        country="US-CA",
    )

    page = rows(client.get(path).content.decode())

    assert (
        "<div><dt>The website where you used the call button</dt><dd>bücher.example</dd></div>"
        in page
    )


def test_the_confirm_page_shows_the_whatsapp_number(client: Client, registry, sent) -> None:
    path = submit(
        client,
        sent,
        "/o/comfile-360/request/",
        scopes=["comfile-360:service-data"],
        whatsapp="+44 20 7946 0123",
        kinds=["access"],
        email="sam@example.org",
        country="GB",
    )

    page = rows(client.get(path).content.decode())

    assert (
        "<div><dt>The business&#x27;s WhatsApp number</dt><dd>+44 20 7946 0123</dd></div>" in page
    )


def test_the_confirm_page_in_french_names_them_in_french(client: Client, registry, sent) -> None:
    path = submit(client, sent, CALLKOM, **callkom_post())

    page = rows(client.get(path, HTTP_ACCEPT_LANGUAGE="fr").content.decode())

    assert "<dt>Le numéro qui vous a appelé</dt><dd>+33 1 99 00 12 34</dd>" in page


def test_without_identifiers_the_confirm_page_shows_none(client: Client, registry, sent) -> None:
    path = submit(client, sent, CALLKOM, **callkom_post(scopes=[], caller_phone="", call_time=""))

    page = client.get(path).content.decode()

    assert "Confirm my request" in page
    assert 'class="summary identifiers"' not in page
    assert "These details decide" not in page


def test_the_include_takes_label_and_value_pairs_and_escapes_them() -> None:
    html = render_to_string(
        "intake/_identifiers.html", {"identifiers": [("Site <b>", "a&b.example")]}
    )

    assert "<dt>Site &lt;b&gt;</dt><dd>a&amp;b.example</dd>" in html
    assert render_to_string("intake/_identifiers.html", {"identifiers": []}).strip() == ""
