from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from routing.models import OutboundMessage, Request, Status
from tests.support.pages import fr

pytestmark = pytest.mark.django_db

CALLKOM = "/o/callkom/request/"
CLICK_AND_CALL = "/o/click-and-call/request/"


def callkom_post(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "scopes": ["callkom:ai-calls"],
        "caller_phone": "01 99 00 12 34",
        "call_time": "3 March, around 2 pm",
        "kinds": ["objection"],
        "email": "ada@example.org",
        "name": "Ada Martin",
        "country": "FR",
        "details": "Please stop calling me.",
    }
    data.update(changes)
    return data


def test_the_chooser_lists_every_organisation(client: Client, registry) -> None:
    page = client.get("/").content.decode()

    for slug, name in [
        ("callkom", "Callkom"),
        ("click-and-call", "Click &amp; Call"),
        ("clickacall", "Clickacall"),
        ("comfile-360", "Comfile 360"),
        ("comfortclick", "ComfortClick"),
    ]:
        assert f'href="/o/{slug}/request/"' in page
        assert name in page


def test_an_unknown_organisation_is_not_found(client: Client, registry) -> None:
    assert client.get("/o/nobody/request/").status_code == 404


def test_the_form_asks_the_organisations_scopes_as_questions(client: Client, registry) -> None:
    page = client.get(CALLKOM).content.decode()

    assert "An automated agent called me on behalf of a company" in page
    assert "I applied for a job at Callkom" in page
    # The identifiers the AI-call scope needs: the number that called, and when.
    assert 'name="caller_phone"' in page
    assert 'name="call_time"' in page
    assert 'name="website"' not in page


def test_the_form_names_the_kinds_in_the_regimes_words(client: Client, registry) -> None:
    page = client.get(CLICK_AND_CALL).content.decode()

    for label in ["Right to know", "Right to delete", "Right to correct"]:
        assert label in page
    assert "Opt out of sale or sharing" in page
    assert 'name="website"' in page  # the call button's website finds the customer
    assert "Right of access (Art. 15)" not in page


def test_each_organisation_gets_the_identifier_fields_its_scopes_need(
    client: Client, registry
) -> None:
    comfile = client.get("/o/comfile-360/request/").content.decode()
    comfortclick = client.get("/o/comfortclick/request/").content.decode()
    clickacall = client.get("/o/clickacall/request/").content.decode()

    assert 'name="whatsapp"' in comfile
    assert "The business&#x27;s phone number" in clickacall
    assert 'name="website"' in clickacall
    assert not any(f'name="{n}"' in comfortclick for n in ("caller_phone", "website", "whatsapp"))


def test_labels_are_tied_to_their_fields(client: Client, registry) -> None:
    page = client.get(CALLKOM).content.decode()

    for field_id in re.findall(r'<input[^>]+id="([^"]+)"', page):
        assert f'for="{field_id}"' in page, field_id
    assert '<label for="id_country"' in page
    assert 'id="id_country"' in page
    assert '<label for="id_details"' in page


def test_a_submission_is_stored_unverified_and_asks_to_confirm_the_address(
    client: Client, registry, sent
) -> None:
    with sent():
        response = client.post(CALLKOM, callkom_post())

    assert response.status_code == 302
    request = Request.objects.get()
    assert request.status == Status.UNVERIFIED
    assert request.channel == "web"
    assert request.kinds == ["objection"]
    assert request.scope_keys == ["callkom:ai-calls"]
    assert request.identifiers == {"phone": "+33199001234"}
    assert "3 March, around 2 pm" in request.details
    assert request.routes.get().target_name == "Maison Exemple"
    # GDPR: the wait for the subject's confirmation is a pause.
    assert request.paused_since == request.received_at
    page = client.get(response["Location"]).content.decode()
    assert request.reference in page
    [message] = mail.outbox
    assert message.to == ["ada@example.org"]
    assert request.reference in message.subject
    assert "/confirm/" in message.body


def test_the_subjects_language_is_stored_so_emails_go_out_in_it(
    client: Client, registry, sent
) -> None:
    with sent():
        client.post(CALLKOM, callkom_post(), HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")

    request = Request.objects.get()
    assert request.subject_language == "fr"
    assert OutboundMessage.objects.get().language == "fr"
    assert "Confirmez" in mail.outbox[0].subject


def test_email_kinds_and_country_are_required_and_named(client: Client, registry) -> None:
    response = client.post(CALLKOM, {"name": "Ada Martin"})

    assert response.status_code == 400
    page = response.content.decode()
    assert 'role="alert"' in page
    assert 'href="#id_email"' in page
    assert 'href="#id_kinds_0"' in page
    assert 'href="#id_country"' in page
    assert 'aria-invalid="true"' in page
    assert 'aria-describedby="id_email_helptext id_email_error"' in page
    # What was valid is kept.
    assert 'value="Ada Martin"' in page
    kept = client.post(CALLKOM, {"country": "US-CA"}).content.decode()
    assert '<option value="US-CA" selected>United States: California</option>' in kept
    assert '<select name="country" aria-describedby="id_country_helptext" id="id_country"' in kept
    assert Request.objects.count() == 0


def test_the_phone_is_checked_against_the_country_given(client: Client, registry, sent) -> None:
    with sent():
        accepted = client.post(CALLKOM, callkom_post(phone="06 12 34 56 78", country="FR"))
    refused = client.post(CALLKOM, callkom_post(phone="06 12 34", country="FR"))

    assert accepted.status_code == 302
    assert Request.objects.get().subject_phone == "+33612345678"
    assert refused.status_code == 400
    assert "This is not a phone number we can read for France" in refused.content.decode()


def test_a_number_not_valid_for_the_country_is_questioned_once(
    client: Client, registry, sent
) -> None:
    # A French mobile written nationally is not a number in the United States.
    questioned = client.post(CALLKOM, callkom_post(phone="06 39 98 45 67", country="US-CA"))

    assert questioned.status_code == 400
    page = questioned.content.decode()
    assert "We could not check this number for United States: California" in page
    assert '<input type="hidden" name="phone_as_typed" value="06 39 98 45 67">' in page
    assert Request.objects.count() == 0

    # Sent again as it is (stale numbering data must not block anyone), it is kept.
    with sent():
        again = client.post(
            CALLKOM,
            callkom_post(phone="06 39 98 45 67", country="FR", phone_as_typed="06 39 98 45 67"),
        )
    assert again.status_code == 302
    assert Request.objects.get().subject_phone == "+33639984567"


def test_a_number_with_its_country_code_is_read_whatever_the_country(
    client: Client, registry, sent
) -> None:
    with sent():
        response = client.post(CALLKOM, callkom_post(phone="+33 6 39 98 45 67", country="US-CA"))

    assert response.status_code == 302
    assert Request.objects.get().subject_phone == "+33639984567"


def test_the_phone_is_optional(client: Client, registry, sent) -> None:
    with sent():
        response = client.post(CALLKOM, callkom_post(phone=""))

    assert response.status_code == 302


def test_an_unreadable_website_is_named(client: Client, registry) -> None:
    response = client.post(
        CLICK_AND_CALL,
        {
            "scopes": ["click-and-call:call-sessions"],
            "website": "not a website",
            "kinds": ["erasure"],
            "email": "ada@example.org",
            "country": "US-CA",
        },
    )

    assert response.status_code == 400
    assert "Write the website&#x27;s address" in response.content.decode()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "Ada\r\nBcc: everyone@example.org"),
        ("name", "Ada\x00Martin"),
        ("name", "Ada\u2028Martin"),
        ("email", "ada@example.org\nBcc: everyone@example.org"),
        ("email", "ada@example.org\r\n"),
    ],
)
def test_header_injection_characters_are_refused(
    client: Client, registry, field: str, value: str
) -> None:
    response = client.post(CALLKOM, callkom_post(**{field: value}))

    assert response.status_code == 400
    assert Request.objects.count() == 0
    assert f'id="id_{field}_error"' in response.content.decode()


@pytest.mark.parametrize(
    ("field", "size"),
    [("details", 5001), ("name", 201), ("email", 255), ("call_time", 101), ("phone", 41)],
)
def test_every_field_has_a_size_limit_with_a_clear_message(
    client: Client, registry, field: str, size: int
) -> None:
    value = (
        ("a" * (size - len("@example.org")) + "@example.org") if field == "email" else "7" * size
    )
    response = client.post(CALLKOM, callkom_post(**{field: value}))

    assert response.status_code == 400
    page = response.content.decode()
    if field == "details":
        assert f"Your text has {size} characters; the limit is {size - 1}." in page
    else:
        assert "Ensure this value has at most" in page
    assert f'id="id_{field}_error"' in page
    assert Request.objects.count() == 0


def test_a_huge_field_is_refused_with_a_message_not_a_crash(client: Client, registry) -> None:
    response = client.post(CALLKOM, callkom_post(details="x" * 1_000_000))

    assert response.status_code == 400
    assert "Your text has 1000000 characters; the limit is 5000." in response.content.decode()


def test_unknown_choices_are_refused_by_name(client: Client, registry) -> None:
    response = client.post(
        CALLKOM, callkom_post(kinds=["opt_out_sale"], scopes=["click-and-call:account"])
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_kinds_error"' in page
    assert 'id="id_scopes_error"' in page


def test_the_honeypot_stores_and_sends_nothing(client: Client, registry, sent) -> None:
    with sent():
        response = client.post(CALLKOM, callkom_post(homepage="https://spam.example"))

    assert response.status_code == 302
    assert response["Location"] == "/o/callkom/request/sent/"
    assert Request.objects.count() == 0
    assert mail.outbox == []
    assert client.get(response["Location"]).status_code == 200


def test_the_honeypot_is_hidden_from_people(client: Client, registry) -> None:
    page = client.get(CALLKOM).content.decode()

    assert re.search(r'<div class="trap" aria-hidden="true">', page)
    assert re.search(r'<input[^>]+name="homepage"[^>]+tabindex="-1"', page)


def test_csrf_is_enforced(registry) -> None:
    strict = Client(enforce_csrf_checks=True)

    response = strict.post(CALLKOM, callkom_post())

    assert response.status_code == 403
    assert Request.objects.count() == 0


def test_posts_from_one_address_are_rate_limited(client: Client, registry, sent) -> None:
    with sent():
        for n in range(10):
            response = client.post(CALLKOM, callkom_post(email=f"ada{n}@example.org"))
            assert response.status_code == 302

    limited = client.post(CALLKOM, callkom_post(email="another@example.org"))

    assert limited.status_code == 429
    assert limited["Retry-After"] == "3600"
    assert "Too many requests" in limited.content.decode()
    assert Request.objects.count() == 10
    # Reading the form is not limited.
    assert client.get(CALLKOM).status_code == 200


def test_posts_for_one_email_are_rate_limited_across_addresses(
    client: Client, registry, sent
) -> None:
    with sent():
        for n in range(5):
            response = client.post(
                CALLKOM, callkom_post(email="Ada@Example.org "), REMOTE_ADDR=f"192.0.2.{n}"
            )
            assert response.status_code == 302

    limited = client.post(CALLKOM, callkom_post(email="ada@example.org"), REMOTE_ADDR="192.0.2.99")
    other = client.post(CALLKOM, callkom_post(email="bob@example.org"), REMOTE_ADDR="192.0.2.98")

    assert limited.status_code == 429
    assert other.status_code == 302  # another person is not limited


def test_the_429_page_is_in_the_subjects_language(client: Client, registry) -> None:
    for n in range(10):
        client.post(CALLKOM, {"name": str(n)})

    limited = client.post(CALLKOM, {}, HTTP_ACCEPT_LANGUAGE="fr")

    assert limited.status_code == 429
    assert "Trop de demandes" in limited.content.decode()


def test_pages_carry_a_strict_content_security_policy(client: Client, registry) -> None:
    response = client.get(CALLKOM)

    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "http" not in policy  # no third-party origin


@pytest.mark.parametrize("path", ["/", CALLKOM, CLICK_AND_CALL, "/s/unknown-token/"])
def test_pages_load_nothing_from_elsewhere_and_nothing_inline(
    client: Client, registry, path: str
) -> None:
    page = client.get(path).content.decode()

    # Scripts only from this site's static files, none written into the page.
    scripts = re.findall(r"<script[^>]*>(.*?)</script>", page, flags=re.S)
    assert len(scripts) == page.count("<script")
    assert all(body == "" for body in scripts)
    assert all(src.startswith("/static/") for src in re.findall(r'<script src="([^"]+)"', page))
    assert " style=" not in page
    assert "<style" not in page
    for url in re.findall(r'(?:src|href)="([^"]+)"', page):
        assert url.startswith(("/", "#", "mailto:")), url
    assert 'rel="stylesheet" href="/static/routing/public.css"' in page


def test_the_form_is_in_french_from_the_browser_language(client: Client, registry) -> None:
    page = client.get(CALLKOM, HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9,en;q=0.5").content.decode()

    assert '<html lang="fr">' in page
    assert fr("Un agent automatique m'a appelé pour le compte d'une entreprise") in page
    assert fr("Droit d'accès (art. 15)") in page
    assert "Votre adresse e-mail" in page


def test_the_language_switcher_sets_the_language(client: Client, registry) -> None:
    response = client.post("/i18n/setlang/", {"language": "fr", "next": CALLKOM})

    assert response.status_code == 302
    assert response["Location"] == CALLKOM
    assert '<html lang="fr">' in client.get(CALLKOM).content.decode()


def test_the_switcher_is_a_plain_form_that_works_without_javascript(
    client: Client, registry
) -> None:
    page = client.get(CALLKOM).content.decode()

    assert '<form class="language-switcher" action="/i18n/setlang/" method="post">' in page
    assert '<button type="submit" name="language" value="fr" lang="fr"' in page
