"""The details field gives its limit, and a text over it is refused by name, with
everything else the subject typed kept."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from routing.forms.intake import MAX_DETAILS
from routing.models import Request
from tests.intake.test_form import CALLKOM, callkom_post

pytestmark = pytest.mark.django_db


def test_the_details_field_says_its_limit(client: Client, registry) -> None:
    page = client.get(CALLKOM).content.decode()

    assert '<p class="hint" id="id_details_helptext">Up to 5,000 characters.</p>' in page
    assert 'aria-describedby="id_details_helptext"' in page
    # The counter under it is the script's; without the script it stays hidden.
    assert 'id="id_details_counter"' in page
    assert 'data-limit="5000"' in page
    assert '<script src="/static/routing/public.js" defer></script>' in page


def test_the_limit_is_written_the_way_each_language_writes_numbers(
    client: Client, registry
) -> None:
    french = client.get(CALLKOM, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    slovenian = client.get(CALLKOM, HTTP_ACCEPT_LANGUAGE="sl").content.decode()

    assert "Jusqu\u2019à 5\xa0000 caractères." in french
    assert "Največ 5.000 znakov." in slovenian


def test_the_browser_is_not_asked_to_cut_a_long_text(client: Client, registry) -> None:
    page = client.get(CALLKOM).content.decode()
    textarea = page[page.index("<textarea") : page.index("</textarea>")]

    assert "maxlength" not in textarea


def test_text_over_the_limit_is_refused_by_name_and_everything_is_kept(
    client: Client, registry
) -> None:
    details = "x" * (MAX_DETAILS + 7)

    response = client.post(CALLKOM, callkom_post(details=details))

    assert response.status_code == 400
    page = response.content.decode()
    message = (
        "Your text has 5007 characters; the limit is 5000. Shorten it, then send the form again."
    )
    assert f'<a href="#id_details">Anything else we should know: {message}</a>' in page
    assert f">\n{details}</textarea>" in page
    assert 'value="ada@example.org"' in page
    assert 'value="Ada Martin"' in page
    assert 'value="01 99 00 12 34"' in page
    assert re.search(r'<input type="checkbox" name="kinds" value="objection"[^>]* checked>', page)
    assert Request.objects.count() == 0


def test_line_breaks_count_once_as_the_counter_counts_them(client: Client, registry, sent) -> None:
    # 5,000 characters with its 10 line breaks, 5,010 as the browser sends them (CR LF).
    details = "x" * 4979 + "\r\n".join(["y"] * 11)
    assert len(details.replace("\r\n", "\n")) == MAX_DETAILS

    with sent():
        response = client.post(CALLKOM, callkom_post(details=details))

    assert response.status_code == 302
    assert "\r" not in Request.objects.get().details
