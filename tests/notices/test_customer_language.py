"""Emails to a customer are in the language its organisation chose for customers, whole
(never mixed with the subject's or English), and greet the customer by name."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from routing.models import OutboundMessage, Scope
from routing.services.actors import Actor
from routing.services.forwarding import follow_ups_sweep
from routing.services.requests import request_deny
from tests.notices.conftest import forwarded_route

pytestmark = pytest.mark.django_db

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ENGLISH_MONTHS = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|"
    r"December)\b"
)


def _customers_language(scope: Scope, language: str) -> None:
    organisation = scope.organisation
    organisation.customer_language = language
    organisation.save()


def test_the_default_is_the_service_language(ai_calls: Scope) -> None:
    assert ai_calls.organisation.customer_language == ""
    forwarded_route(ai_calls)

    message = OutboundMessage.objects.get(template="forward_to_customer")

    assert message.language == "en"
    assert message.body_text.startswith("Hello Maison Exemple,")


def test_a_forward_is_all_in_french_whatever_the_subject_wrote_in(
    ai_calls: Scope, time_machine
) -> None:
    time_machine.move_to("2026-03-02T10:00:00+01:00", tick=False)
    _customers_language(ai_calls, "fr")
    forwarded_route(ai_calls, name="")

    message = OutboundMessage.objects.get(template="forward_to_customer")

    assert message.language == "fr"
    assert message.subject.startswith("Demande ")
    body = message.body_text
    assert body.startswith("Bonjour Maison Exemple,")
    assert "Reçue le 2 mars 2026 à 10:00 (Europe/Paris)" in body
    assert "Ce qui est demandé : Droit à l\u2019effacement" in body
    assert "(nom non indiqué)" in body
    assert "Pour retrouver les données : numéro de téléphone: +33" in body
    assert not ISO_DATE.search(body)
    assert not ENGLISH_MONTHS.search(body)
    for english in ("Hello", "What was asked", "Received", "Please confirm", "processes"):
        assert english not in body, english
    assert '<html lang="fr">' in message.body_html


def test_a_follow_up_is_in_slovenian(ai_calls: Scope, time_machine) -> None:
    time_machine.move_to("2026-03-02T10:00:00+01:00", tick=False)
    _customers_language(ai_calls, "sl")
    forwarded_route(ai_calls)
    time_machine.move_to("2026-03-04T08:05:00+01:00", tick=False)

    follow_ups_sweep()

    message = OutboundMessage.objects.get(template="forward_follow_up")
    assert message.language == "sl"
    assert message.subject.startswith("Opomnik: zahteva posameznika")
    assert message.body_text.startswith("Pozdravljeni, Maison Exemple,")
    assert "Vam je dne 2. 3. 2026 posredovalo zahtevo" in message.body_text
    assert not ISO_DATE.search(message.body_text)
    assert "Hello" not in message.body_text


def test_the_outcome_email_is_in_the_customers_language_not_the_subjects(
    ai_calls: Scope,
) -> None:
    _customers_language(ai_calls, "fr")
    route = forwarded_route(ai_calls)
    route.request.subject_language = "sl"
    route.request.save(update_fields=["subject_language"])

    request_deny(request=route.request, by=Actor.system("test"), ground="manifestly_unfounded")

    customer = OutboundMessage.objects.get(template="customer_outcome")
    subject = OutboundMessage.objects.get(template="request_denied")
    assert customer.language == "fr"
    assert customer.subject.endswith(" : refusée")
    assert customer.body_text.startswith("Bonjour Maison Exemple,")
    assert "a refusé la demande. Aucune suite n\u2019y sera donnée" in customer.body_text
    assert subject.language == "sl"
    assert subject.body_text.startswith("Pozdravljeni, Ada Martin,")
    assert not mail.outbox  # stored, sent after commit by the worker


def test_an_unknown_language_is_refused_by_the_admin_form(ai_calls: Scope) -> None:
    organisation = ai_calls.organisation
    organisation.customer_language = "de"

    with pytest.raises(Exception, match="customer_language"):
        organisation.full_clean()
