"""Staff open a proof of identity inline from the request page: never cached, each
opening recorded, and only for their own organisations."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client

from routing.models import ActorType, Event, EventType, RequestFile
from routing.services.actors import Actor
from routing.services.files import file_store
from tests.admin.helpers import admin_url
from tests.files.conftest import pdf_bytes
from tests.identity_upload.helpers import PROOF, upload, view_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def proof(client: Client, awaiting_identity) -> RequestFile:
    """A proof the subject sent through the status page."""
    request, path = awaiting_identity
    assert upload(client, path).status_code == 302
    return RequestFile.objects.get(request=request)


def test_staff_see_a_view_link_for_a_proof_of_identity(client_a, proof) -> None:
    page = client_a.get(admin_url("request", "change", proof.request_id)).content.decode()

    assert f'href="{view_url(proof)}"' in page


def test_the_proof_opens_inline_and_is_never_cached(client_a, staff_a, proof) -> None:
    response = client_a.get(view_url(proof))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PROOF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert set(response["Cache-Control"].replace(" ", "").split(",")) >= {"no-store", "private"}
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    viewed = Event.objects.get(request=proof.request, type=EventType.FILE_VIEWED)
    assert (viewed.actor_type, viewed.actor_label, viewed.data["sha256"]) == (
        ActorType.STAFF,
        staff_a.username,
        proof.sha256,
    )


def test_another_organisations_staff_get_404(client: Client, staff_b, proof) -> None:
    client.force_login(staff_b)

    response = client.get(view_url(proof))

    assert response.status_code == 404
    assert not Event.objects.filter(type=EventType.FILE_VIEWED).exists()


def test_only_a_live_proof_of_identity_opens_inline(client_a, proof, staff_a: Any) -> None:
    answer = file_store(
        request=proof.request,
        purpose="response",
        content=io.BytesIO(pdf_bytes(3000)),
        name="answer.pdf",
        by=Actor.staff(staff_a),
    )
    page = client_a.get(admin_url("request", "change", proof.request_id)).content.decode()

    assert client_a.get(view_url(answer)).status_code == 404
    assert f'href="{view_url(answer)}"' not in page
