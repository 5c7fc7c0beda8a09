"""The confirmation link: what its code carries, and what its email promises.

A signed code is only base64: whoever sees the link (a mail scanner, a proxy's log) can
read it. The status token in it is sealed, so the link does not give the status page
away to a reader who never opens it.
"""

from __future__ import annotations

import base64
import json
import zlib
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail, signing
from django.core.mail import EmailMultiAlternatives
from django.test import Client

from routing.domain.links import CONFIRM_SALT, confirmation_code, confirmation_read, status_path
from routing.models import OutboundMessage, Request, Status
from tests.intake.test_confirmation import confirm, submit
from tests.intake.test_form import CALLKOM, callkom_post

TOKEN = "k3Jx0qUuTQ2wq1bV1m8l9cL0a2F5sP7eYy4nR6tH-Zc"  # a token_urlsafe(32)
SUBMITTED = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def readable(code: str) -> str:
    """Everything a reader without the key gets from a code: its payload's JSON, and each
    of its values base64-decoded."""
    payload = signing.loads(code, salt=CONFIRM_SALT)
    text = json.dumps(payload)
    for value in payload.values():
        if isinstance(value, str):
            decoded = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
            text += decoded.decode("latin-1")
    raw = code.split(":", 1)[0]
    compressed = raw.startswith(".")
    data = base64.urlsafe_b64decode(raw.lstrip(".") + "=" * (-len(raw.lstrip(".")) % 4))
    text += (zlib.decompress(data) if compressed else data).decode("latin-1")
    return text


def test_the_code_does_not_carry_the_token_in_readable_form() -> None:
    code = confirmation_code(42, TOKEN)

    assert TOKEN not in readable(code)
    assert TOKEN not in code
    assert confirmation_read(code) == (42, TOKEN)


def test_two_codes_for_one_token_differ() -> None:
    # A fresh nonce each time: two links never share a keystream.
    first, second = confirmation_code(42, TOKEN), confirmation_code(42, TOKEN)

    assert (
        signing.loads(first, salt=CONFIRM_SALT)["s"]
        != signing.loads(second, salt=CONFIRM_SALT)["s"]
    )


def test_a_code_changed_and_signed_with_another_key_is_not_valid() -> None:
    payload = signing.loads(confirmation_code(42, TOKEN), salt=CONFIRM_SALT)
    payload["r"] = 43
    forged = signing.dumps(payload, salt=CONFIRM_SALT, key="x" * 50)

    assert confirmation_read(forged) is None


def test_a_code_signed_before_a_key_rotation_still_opens(settings) -> None:
    code = confirmation_code(42, TOKEN)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-key-" + "k" * 50

    assert confirmation_read(code) == (42, TOKEN)


def test_an_old_code_is_not_valid(settings, time_machine) -> None:
    time_machine.move_to(SUBMITTED, tick=False)
    code = confirmation_code(42, TOKEN)
    time_machine.move_to(
        SUBMITTED + timedelta(days=settings.DSAR_UNVERIFIED_EXPIRY_DAYS, minutes=1)
    )

    assert confirmation_read(code) is None


@pytest.mark.django_db
def test_the_emailed_link_does_not_show_the_status_token(client: Client, registry, sent) -> None:
    path = submit(client, sent)
    code = path.rstrip("/").rsplit("/", 1)[1]

    response = confirm(client, sent, path)

    token = response["Location"].split("/s/")[1].split("/")[0]
    assert response["Location"].startswith(status_path(token))
    assert token not in readable(code)
    assert token not in str(mail.outbox[0].body)


@pytest.mark.django_db
def test_a_link_in_the_earlier_form_still_confirms(client: Client, registry, sent) -> None:
    # Links emailed before the token was sealed held it as it is; they last their 7 days.
    path = submit(client, sent)
    request = Request.objects.get()
    code = path.rstrip("/").rsplit("/", 1)[1]
    token = confirmation_read(code)[1]  # type: ignore[index]
    earlier = signing.dumps({"r": request.pk, "t": token}, salt=CONFIRM_SALT, compress=True)

    response = confirm(client, sent, f"/confirm/{earlier}/")

    assert response.status_code == 302
    assert response["Location"] == f"{status_path(token)}?confirmed=1"
    request.refresh_from_db()
    assert request.status != Status.UNVERIFIED


@pytest.mark.django_db
def test_the_email_says_until_when_the_link_works_and_not_that_it_works_once(
    client: Client, registry, sent, time_machine
) -> None:
    time_machine.move_to(SUBMITTED, tick=False)
    path = submit(client, sent)
    [email] = mail.outbox
    confirm(client, sent, path)

    # The link, opened again after confirming and before it expires, still works: it
    # leads to the request's page.
    time_machine.move_to(SUBMITTED + timedelta(days=6), tick=False)
    again = client.get(path)
    assert again.status_code == 200
    assert "Your address is already confirmed" in again.content.decode()
    assert "See your request" in again.content.decode()

    assert "works once" not in email.body
    assert "The link works until 9 March 2026." in email.body
    assert isinstance(email, EmailMultiAlternatives)
    html_body = str(email.alternatives[0][0])
    assert "works once" not in html_body
    assert "The link works until 9 March 2026." in html_body
    assert OutboundMessage.objects.filter(template="confirm_address").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected", "claim"),
    [
        ("fr", "Le lien fonctionne jusqu\u2019au 9 mars 2026.", "une seule fois"),
        ("sl", "Povezava deluje do 9. 3. 2026.", "enkrat"),
    ],
)
def test_the_email_in_french_and_slovenian_makes_the_same_claim(
    client: Client, registry, sent, time_machine, language: str, expected: str, claim: str
) -> None:
    time_machine.move_to(SUBMITTED, tick=False)
    with sent():
        client.post(CALLKOM, callkom_post(), HTTP_ACCEPT_LANGUAGE=language)

    [email] = mail.outbox
    assert expected in email.body
    assert claim not in email.body
