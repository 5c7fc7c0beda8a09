"""A status link opens only its own request's files, and a grant only its own window."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from routing.models import MessageStatus, OutboundMessage, Request
from routing.services.actors import Actor
from tests.downloads.conftest import answered, store_answer
from tests.downloads.test_walk import ask_code
from tests.factories import OrganisationFactory, make_request

pytestmark = pytest.mark.django_db


def granted(client: Client, request: Request, by: Actor, sent: Any) -> tuple[str, int]:
    """An answered request whose files ``client`` opened; its status path and file id."""
    file = store_answer(request, by)
    status_path = answered(request, by, sent)
    response = client.post(f"{status_path}files/", {"code": ask_code(client, status_path, sent)})
    assert response.status_code == 302
    return status_path, file.pk


def test_another_requests_link_neither_lists_nor_downloads_the_files(
    client: Client, subject_request: Request, by: Actor, sent: Any
) -> None:
    _, file_a = granted(client, subject_request, by, sent)
    other = make_request(
        OrganisationFactory.create(), kinds=("access", "erasure"), email="bo@example.org"
    )
    path_b, file_b = granted(client, other, by, sent)

    listing = client.get(f"{path_b}files/")
    assert f"files/{file_b}/" in listing.content.decode()
    assert f"files/{file_a}/" not in listing.content.decode()
    assert client.get(f"{path_b}files/{file_a}/").status_code == 404
    assert client.get(f"{path_b}files/{file_b}/").status_code == 200


def test_a_grant_for_one_request_does_not_open_another(
    client: Client, subject_request: Request, by: Actor, sent: Any
) -> None:
    granted(client, subject_request, by, sent)
    other = make_request(
        OrganisationFactory.create(), kinds=("access", "erasure"), email="bo@example.org"
    )
    file_b = store_answer(other, by)
    path_b = answered(other, by, sent)

    # The client still holds the first request's grant.
    assert client.get(f"{path_b}files/{file_b.pk}/")["Location"] == f"{path_b}files/"
    assert "answer.pdf" not in client.get(f"{path_b}files/").content.decode()


def test_an_unknown_link_answers_404(client: Client, db: Any) -> None:
    assert client.get("/s/not-a-token/files/").status_code == 404
    assert client.get("/s/not-a-token/files/1/").status_code == 404
    assert client.post("/s/not-a-token/files/code/").status_code == 404


def test_the_grant_cookie_is_secure_under_production_settings(
    client: Client, subject_request: Request, by: Actor, sent: Any, settings: Any
) -> None:
    settings.SESSION_COOKIE_SECURE = True
    store_answer(subject_request, by)
    status_path = answered(subject_request, by, sent)

    response = client.post(f"{status_path}files/", {"code": ask_code(client, status_path, sent)})

    assert response.cookies["dsar_files"]["secure"]


def test_the_code_email_carries_the_code_and_no_personal_data(
    client: Client, subject_request: Request, by: Actor, sent: Any
) -> None:
    store_answer(subject_request, by)
    status_path = answered(subject_request, by, sent)

    code = ask_code(client, status_path, sent)

    message = mail.outbox[-1]
    assert message.to == ["ada@example.org"]
    assert f"Your download code is {code}." in message.body
    assert "within 10 minutes" in message.body
    assert "Ada" not in message.body
    assert "Martin" not in message.body


def test_the_outbox_keeps_no_working_code_once_the_email_is_sent(
    client: Client, subject_request: Request, by: Actor, sent: Any
) -> None:
    store_answer(subject_request, by)
    status_path = answered(subject_request, by, sent)

    code = ask_code(client, status_path, sent)

    assert code in mail.outbox[-1].body
    stored = OutboundMessage.objects.get(template="download_code")
    assert stored.status == MessageStatus.SENT
    assert code not in stored.body_text
    assert code not in stored.body_html
