"""The subject sends a proof of identity from the status page while the request waits for
one."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.test import Client

from routing.models import ActorType, Event, EventType, RequestFile, Status, WaitingFor
from routing.services.actors import Actor
from routing.services.requests import request_pause
from tests.files.conftest import jpeg_with_gps
from tests.identity_upload.helpers import PROOF, a_file, stored_objects, upload
from tests.support.pages import fr

pytestmark = pytest.mark.django_db

RECEIVED = "We received your proof of identity. It is being checked."


def test_the_status_page_offers_the_upload_while_identity_is_awaited(
    client: Client, awaiting_identity
) -> None:
    _, path = awaiting_identity

    page = client.get(path).content.decode()

    assert f'action="{path}identity/"' in page
    assert 'enctype="multipart/form-data"' in page
    assert 'accept="application/pdf,image/jpeg,image/png' in page
    assert "csrfmiddlewaretoken" in page.split(f'action="{path}identity/"', 1)[1]
    assert RECEIVED not in page


def test_an_upload_is_stored_by_the_subject_and_leaves_the_request_waiting(
    client: Client, awaiting_identity, files_dir
) -> None:
    request, path = awaiting_identity

    response = upload(client, path)

    assert response.status_code == 302
    assert response["Location"].startswith(path)
    proof = RequestFile.objects.get(request=request)
    assert (proof.purpose, proof.created_by_type, proof.sha256) == (
        "identity",
        ActorType.SUBJECT,
        hashlib.sha256(PROOF).hexdigest(),
    )
    added = Event.objects.get(request=request, type=EventType.FILE_ADDED)
    assert (added.actor_type, added.data["sha256"]) == (ActorType.SUBJECT, proof.sha256)
    assert len(stored_objects(files_dir)) == 1
    request.refresh_from_db()
    assert (request.status, request.waiting_for) == (Status.AWAITING_SUBJECT, WaitingFor.IDENTITY)
    # Back on the page, the subject reads that it arrived and is being checked.
    assert RECEIVED in client.get(path).content.decode()


def test_a_photo_is_accepted_without_its_metadata(client: Client, awaiting_identity) -> None:
    request, path = awaiting_identity

    assert upload(client, path, jpeg_with_gps(), "id.jpg").status_code == 302

    assert RequestFile.objects.get(request=request).content_type == "image/jpeg"


def test_a_file_of_another_type_is_refused_on_the_field_and_nothing_is_stored(
    client: Client, awaiting_identity, files_dir
) -> None:
    _, path = awaiting_identity

    response = upload(client, path, b"just some text\n" * 20, "id.pdf")

    assert response.status_code == 400
    page = response.content.decode()
    assert "This file is not accepted: send a PDF, a JPEG or a PNG file." in page
    assert 'class="field field-error"' in page
    assert f'action="{path}identity/"' in page
    assert not RequestFile.objects.exists()
    assert stored_objects(files_dir) == []


def test_a_post_without_a_file_asks_for_one(client: Client, awaiting_identity) -> None:
    _, path = awaiting_identity

    response = client.post(f"{path}identity/", {})

    assert response.status_code == 400
    assert "Choose the file to send." in response.content.decode()


def test_the_refusal_reads_in_french_for_a_french_subject(
    client: Client, awaiting_identity
) -> None:
    _, path = awaiting_identity

    response = client.post(
        f"{path}identity/",
        {"file": a_file(b"just some text\n", "id.pdf")},
        headers={"accept-language": "fr"},
    )

    assert fr("Ce fichier n'est pas accepté") in response.content.decode()


@pytest.mark.parametrize("waiting_for", [None, WaitingFor.CLARIFICATION])
def test_no_upload_is_offered_or_taken_when_identity_is_not_awaited(
    client: Client, confirmed_request, staff_a: Any, sent, waiting_for, files_dir
) -> None:
    request, path = confirmed_request
    if waiting_for:
        with sent():
            request_pause(
                request=request,
                by=Actor.staff(staff_a),
                reason="Which line?",
                waiting_for=waiting_for,
            )

    page = client.get(path).content.decode()
    response = upload(client, path)

    assert f"{path}identity/" not in page
    assert response.status_code == 409
    assert not RequestFile.objects.exists()
    assert stored_objects(files_dir) == []


def test_the_upload_needs_the_csrf_token(awaiting_identity) -> None:
    _, path = awaiting_identity
    client = Client(enforce_csrf_checks=True)

    assert upload(client, path).status_code == 403
    assert not RequestFile.objects.exists()


def test_uploads_are_rate_limited_with_the_status_page(
    client: Client, awaiting_identity, settings
) -> None:
    _, path = awaiting_identity
    settings.DSAR_STATUS_RATE_PER_IP = "2/h"

    assert [upload(client, path).status_code for _ in range(3)] == [302, 302, 429]
    assert RequestFile.objects.count() == 2


def test_an_unknown_link_takes_no_upload(client: Client, db, files_dir) -> None:
    assert upload(client, "/s/unknown-token/").status_code == 404
    assert stored_objects(files_dir) == []
