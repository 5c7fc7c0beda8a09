"""Names and addresses are one line of visible text, in the form and through the API:
a line break could split an email header, and an invisible character would be stored
in an address that looks like another."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from routing.models import Organisation, Request
from routing.services.integrations import integration_create
from tests.intake.test_form import CALLKOM, callkom_post
from tests.support.api import assert_error, client_for, contract_body

pytestmark = pytest.mark.django_db

EMAIL_MESSAGE = (
    "This address contains a line break or an invisible character. Type it again, on one line."
)


@pytest.fixture
def api(registry) -> APIClient:
    """An integration of Callkom, as the API's own tests make one."""
    created = integration_create(
        name="Desk", organisations=[Organisation.objects.get(slug="callkom")], can_write=True
    )
    return client_for(created.token)


@pytest.mark.parametrize(
    "name", ["Ada\nMartin", "Ada\r\nMartin", "Ada\u2028Martin", "Ada Martin\n", "Ada\u202eMartin"]
)
def test_a_name_with_a_line_break_or_a_bidi_control_is_refused(
    client: Client, registry, name: str
) -> None:
    response = client.post(CALLKOM, callkom_post(name=name))

    assert response.status_code == 400
    page = response.content.decode()
    assert "Your name: Write this on one line, without line breaks or control characters." in page
    assert 'value="ada@example.org"' in page  # the rest is kept
    assert Request.objects.count() == 0


@pytest.mark.parametrize(
    "email",
    [
        "ada@exam\u200bple.org",  # zero-width space, dropped by IDNA 2003
        "ada@\u00adexample.org",  # soft hyphen, likewise
        "ada@example.org\u202e",  # right-to-left override
        "ada@example.org\u200f",  # right-to-left mark
        "ada\n@example.org",
        "ada@example.org\r\nBcc: x@example.org",
        "ada@ex\tample.org",
    ],
)
def test_an_email_with_a_control_or_invisible_character_is_refused_by_name(
    client: Client, registry, email: str
) -> None:
    response = client.post(CALLKOM, callkom_post(email=email))

    assert response.status_code == 400
    page = response.content.decode()
    assert f'<a href="#id_email">Your email address: {EMAIL_MESSAGE}</a>' in page
    assert 'value="Ada Martin"' in page
    assert Request.objects.count() == 0


def test_an_international_address_without_hidden_characters_is_accepted(
    client: Client, registry, sent
) -> None:
    with sent():
        response = client.post(CALLKOM, callkom_post(email="ada@bücher.example"))

    assert response.status_code == 302
    assert Request.objects.get().subject_email == "ada@bücher.example"


@pytest.mark.parametrize("name", ["Ada\nMartin", "Ada\u2028Martin", "Ada\u202eMartin"])
def test_the_api_refuses_a_name_on_several_lines(api: APIClient, name: str) -> None:
    body = contract_body()
    body["subject"] = {**body["subject"], "name": name}

    response = api.post("/api/v1/requests/", body, format="json")

    assert_error(response, 400, "invalid", {"subject.name": "control_characters"})
    assert Request.objects.count() == 0


@pytest.mark.parametrize("email", ["ada@exam\u200bple.org", "ada@example.org\u202e"])
def test_the_api_refuses_an_email_with_an_invisible_character(api: APIClient, email: str) -> None:
    body = contract_body()
    body["subject"] = {**body["subject"], "email": email}

    response = api.post("/api/v1/requests/", body, format="json")

    assert_error(response, 400, "invalid", {"subject.email": "control_characters"})
    assert Request.objects.count() == 0
