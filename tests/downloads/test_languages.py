"""The download emails and page speak the subject's language."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from routing.models import Request
from routing.services.actors import Actor
from tests.downloads.conftest import answered, store_answer
from tests.downloads.test_walk import code_in
from tests.support.pages import fr

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "ready", "code_text", "page_text"),
    [
        (
            "fr",
            "est prête à être téléchargée",
            "Votre code de téléchargement est",
            fr("M'envoyer un code"),
        ),
        ("sl", "je pripravljen za prenos", "Vaša koda za prenos je", "Pošlji mi kodo"),
    ],
)
def test_the_emails_and_page_are_in_the_subjects_language(
    client: Client,
    subject_request: Request,
    by: Actor,
    sent: Any,
    language: str,
    ready: str,
    code_text: str,
    page_text: str,
) -> None:
    subject_request.subject_language = language
    subject_request.save(update_fields=["subject_language"])
    store_answer(subject_request, by)

    status_path = answered(subject_request, by, sent)
    assert ready in mail.outbox[-1].subject
    with sent():
        client.post(f"{status_path}files/code/")

    assert code_text in mail.outbox[-1].body
    assert code_in(mail.outbox[-1])
    page = client.get(f"{status_path}files/", HTTP_ACCEPT_LANGUAGE=language)
    assert page_text in page.content.decode()
