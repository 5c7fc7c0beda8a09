"""Every email to the subject after the acknowledgement carries a working status link, is
whole in the subject's language (dates in its own format, the right greeting), and a
duplicate closure names the earlier request by its reference only."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from django.utils.formats import date_format

from routing.domain.vocabulary import day_format
from routing.models import Customer, OutboundMessage, Request, Route, Scope
from routing.services import messages
from routing.services.actors import Actor
from routing.services.requests import (
    request_complete,
    request_deny,
    request_extend,
    request_mark_duplicate,
    request_pause,
    request_resume,
    route_set_customer,
)
from tests.factories import make_request
from tests.notices.conftest import in_language

pytestmark = pytest.mark.django_db

BY = Actor.system("test")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ENGLISH_MONTHS = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|"
    r"December)\b"
)
AFTER_ACKNOWLEDGEMENT = (
    "routes_summary",
    "clarification_requested",
    "extension_notice",
    "request_completed",
    "request_denied",
    "request_duplicate",
)
GREETINGS = {
    "en": ("Hello Ada Martin,", "Hello,"),
    "fr": ("Bonjour Ada Martin,", "Bonjour,"),
    "sl": ("Pozdravljeni, Ada Martin,", "Pozdravljeni,"),
}


def _every_email(scope: Scope, language: str, name: str = "Ada Martin") -> dict[str, Request]:
    """One request per ending, in ``language``, that together send every email to the
    subject after the acknowledgement; returns the request of each template."""
    customer = Customer.objects.get(name="Maison Exemple")

    def new() -> Request:
        made = make_request(scope.organisation, kinds=("erasure",), scopes=[scope.key], name=name)
        return in_language(made, language)

    answered = new()
    route_set_customer(route=Route.objects.get(request=answered), customer=customer, by=BY)
    request_pause(request=answered, by=BY, reason="Which number called you?")
    request_resume(request=answered, by=BY)
    request_extend(request=answered, by=BY, reason="Many systems to search.")
    answered.refresh_from_db()
    request_complete(request=answered, by=BY)
    refused = new()
    request_deny(request=refused, by=BY, ground="manifestly_unfounded")
    twice = new()
    request_mark_duplicate(request=twice, by=BY, of=answered)
    return {
        "routes_summary": answered,
        "clarification_requested": answered,
        "extension_notice": answered,
        "request_completed": answered,
        "request_denied": refused,
        "request_duplicate": twice,
    }


def _status_links(text: str) -> list[str]:
    return re.findall(r"https?://\S+/s/\S+/", text)


def test_every_email_after_the_acknowledgement_carries_a_status_link_that_opens_the_page(
    client: Client, ai_calls: Scope
) -> None:
    requests = _every_email(ai_calls, "en")

    for template in AFTER_ACKNOWLEDGEMENT:
        request = requests[template]
        message = OutboundMessage.objects.get(template=template, request=request)
        (link,) = _status_links(message.body_text)
        assert f'href="{link}"' in message.body_html, template
        page = client.get(link.replace(settings.DSAR_PUBLIC_URL, "", 1))
        assert page.status_code == 200, template
        assert f"Your request {request.reference}" in page.content.decode(), template


def test_an_altered_status_link_opens_nothing(client: Client, ai_calls: Scope) -> None:
    requests = _every_email(ai_calls, "en")
    message = OutboundMessage.objects.get(template="request_denied")
    (link,) = _status_links(message.body_text)
    path = link.replace(settings.DSAR_PUBLIC_URL, "", 1)
    other = requests["request_completed"].pk
    request_id = requests["request_denied"].pk

    for altered in (
        path.replace(f"/s/{request_id}:", f"/s/{other}:"),
        path[:-3] + ("A/" if path[-2] != "A" else "B/"),
    ):
        response = client.get(altered)
        assert response.status_code != 200 or b"Your request" not in response.content


def test_a_duplicate_names_the_earlier_request_but_links_only_its_own_page(
    client: Client, ai_calls: Scope
) -> None:
    requests = _every_email(ai_calls, "en")
    twice, earlier = requests["request_duplicate"], requests["request_completed"]

    message = OutboundMessage.objects.get(template="request_duplicate")

    assert message.recipient == "ada@example.org"
    assert message.subject == (f"Your request {twice.reference} is handled with an earlier request")
    assert f"an earlier request, {earlier.reference}, which is answered instead" in (
        message.body_text
    )
    (link,) = _status_links(message.body_text)
    page = client.get(link.replace(settings.DSAR_PUBLIC_URL, "", 1)).content.decode()
    assert twice.reference in page
    assert f"Your request {earlier.reference}" not in page


@pytest.mark.parametrize("language", ["en", "fr", "sl"])
def test_each_subject_email_greets_and_dates_in_the_subjects_language(
    ai_calls: Scope, time_machine, language: str
) -> None:
    time_machine.move_to("2026-03-02T10:00:00+01:00", tick=False)
    requests = _every_email(ai_calls, language)
    greeting = GREETINGS[language][0]

    for template in AFTER_ACKNOWLEDGEMENT:
        message = OutboundMessage.objects.get(template=template, request=requests[template])
        assert message.language == language
        assert message.body_text.startswith(greeting + "\n"), (template, message.body_text)
        assert not ISO_DATE.search(message.body_text), template
        assert f'<html lang="{language}">' in message.body_html, template
        if language != "en":
            assert not ENGLISH_MONTHS.search(message.body_text), template
            assert "Hello" not in message.body_text, template
            assert "request" not in message.subject, template

    extension = OutboundMessage.objects.get(template="extension_notice")
    request = requests["extension_notice"]
    with translation.override(language):
        due = date_format(request.due_on, day_format())
        extended = date_format(request.effective_due_on, day_format())
    assert due in extension.body_text
    assert extended in extension.body_text


def test_french_dates_name_the_month_in_french(ai_calls: Scope, time_machine) -> None:
    time_machine.move_to("2026-03-02T10:00:00+01:00", tick=False)
    _every_email(ai_calls, "fr")

    extension = OutboundMessage.objects.get(template="extension_notice").body_text

    assert "La réponse était attendue au plus tard le 2 avril 2026" in extension


@pytest.mark.parametrize("language", ["en", "fr", "sl"])
def test_a_subject_without_a_name_is_greeted_without_a_blank(
    ai_calls: Scope, language: str
) -> None:
    requests = _every_email(ai_calls, language, name="")

    for template in AFTER_ACKNOWLEDGEMENT:
        message = OutboundMessage.objects.get(template=template, request=requests[template])
        assert message.body_text.startswith(GREETINGS[language][1] + "\n"), template
        assert " ," not in message.body_text, template


@pytest.mark.parametrize(
    ("language", "due", "expires"),
    [
        ("en", "Answer due by: 2 April 2026", "until 9 March 2026"),
        ("fr", "2 avril 2026", "9 mars 2026"),
        ("sl", "2. 4. 2026", "9. 3. 2026"),
    ],
)
def test_the_first_two_emails_greet_and_date_in_the_subjects_language(
    ai_calls: Scope, time_machine, language: str, due: str, expires: str
) -> None:
    time_machine.move_to("2026-03-02T10:00:00+01:00", tick=False)
    request = in_language(
        make_request(ai_calls.organisation, kinds=("erasure",), scopes=[ai_calls.key]), language
    )

    acknowledgement = messages.acknowledgement(request, "token", confirmed=False)
    confirm = messages.confirm_address(request, "token")

    assert acknowledgement is not None
    assert confirm is not None
    for message in (acknowledgement, confirm):
        assert message.body_text.startswith(GREETINGS[language][0] + "\n")
        assert not ISO_DATE.search(message.body_text)
    assert due in acknowledgement.body_text
    assert expires in confirm.body_text
    if language != "en":
        assert not ENGLISH_MONTHS.search(acknowledgement.body_text + confirm.body_text)
