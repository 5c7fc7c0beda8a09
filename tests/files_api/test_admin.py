"""The request page's files: listed, added through the upload form, deleted with a reason."""

from __future__ import annotations

import hashlib
import io
from typing import Any

import pytest
from django.contrib.auth.models import Permission

from routing.models import Event, EventType, RequestFile
from routing.services.actors import Actor
from routing.services.files import file_store
from tests.admin.helpers import admin_url, messages_of
from tests.factories import StaffFactory, make_request
from tests.files.conftest import SECRET, pdf_bytes

pytestmark = pytest.mark.django_db


def upload_url(request_) -> str:
    return admin_url("request", "file_upload", request_.pk)


def delete_url(request_, file) -> str:
    return admin_url("request", "file_delete", request_.pk, file.pk)


def a_file(content: bytes, name: str = "answer.pdf") -> io.BytesIO:
    stream = io.BytesIO(content)
    stream.name = name
    return stream


def stored(request_, content: bytes = b"", name: str = "answer.pdf") -> RequestFile:
    return file_store(
        request=request_,
        purpose="response",
        content=io.BytesIO(content or pdf_bytes(3000)),
        name=name,
        by=Actor.system("test"),
    )


def test_staff_add_a_file_from_the_request_page(client_a, staff_a, request_) -> None:
    content = pdf_bytes(5000)

    response = client_a.post(
        upload_url(request_),
        {"file": a_file(content), "purpose": "response", "kind": "erasure"},
    )

    assert response.status_code == 302
    assert response["Location"].endswith("#files")
    row = RequestFile.objects.get(request=request_)
    assert (row.purpose, row.kind, row.sha256) == (
        "response",
        "erasure",
        hashlib.sha256(content).hexdigest(),
    )
    assert row.created_by_user == staff_a
    assert messages_of(response) == [f"{request_.reference}: answer.pdf added."]
    event = Event.objects.get(request=request_, type=EventType.FILE_ADDED)
    assert event.actor_user == staff_a
    assert event.data["sha256"] == row.sha256
    assert SECRET.decode() not in str(event.data)


def test_a_refused_upload_is_a_message_and_stores_nothing(client_a, request_) -> None:
    response = client_a.post(
        upload_url(request_),
        {"file": a_file(b"MZ" + b"\x00" * 100, "x.exe"), "purpose": "response"},
    )

    assert response.status_code == 302
    [message] = messages_of(response)
    assert message.startswith("x.exe: The file is a Windows executable")
    assert not RequestFile.objects.exists()


def test_the_page_lists_the_files_with_their_facts_and_the_forms(client_a, request_) -> None:
    file = stored(request_)

    page = client_a.get(admin_url("request", "change", request_.pk))

    html = page.content.decode()
    assert 'id="files"' in html
    assert "answer.pdf" in html
    assert "answer package" in html
    assert file.sha256[:12] in html
    assert "by test" in html
    assert upload_url(request_) in html
    assert 'enctype="multipart/form-data"' in html
    assert delete_url(request_, file) in html


def test_staff_delete_a_file_with_a_reason(client_a, staff_a, request_) -> None:
    file = stored(request_)

    response = client_a.post(delete_url(request_, file), {"reason": "Sent to the wrong request."})

    assert response.status_code == 302
    file.refresh_from_db()
    assert file.is_deleted
    assert file.deleted_reason == "Sent to the wrong request."
    assert file.deleted_by_user == staff_a
    event = Event.objects.get(request=request_, type=EventType.FILE_DELETED)
    assert event.data["reason"] == "Sent to the wrong request."
    assert event.data["sha256"] == file.sha256
    assert event.data["file_id"] == file.pk
    page = client_a.get(admin_url("request", "change", request_.pk)).content.decode()
    assert "Sent to the wrong request." in page
    assert delete_url(request_, file) not in page


def test_a_delete_without_a_reason_is_refused(client_a, request_) -> None:
    file = stored(request_)

    response = client_a.post(delete_url(request_, file), {"reason": ""})

    assert response.status_code == 302
    assert messages_of(response) == ["Delete answer.pdf: Why: This field is required."]
    file.refresh_from_db()
    assert not file.is_deleted
    assert not Event.objects.filter(type=EventType.FILE_DELETED).exists()


def test_another_organisations_request_and_its_files_answer_404(
    client_a, organisation_b, request_
) -> None:
    foreign = make_request(organisation_b, kinds=("access",), country="US")
    file = stored(foreign)

    upload = client_a.post(
        upload_url(foreign), {"file": a_file(pdf_bytes()), "purpose": "response"}
    )
    delete = client_a.post(delete_url(foreign, file), {"reason": "x"})
    # A file of another request, through one's own request.
    crossed = client_a.post(delete_url(request_, file), {"reason": "x"})

    assert (upload.status_code, delete.status_code, crossed.status_code) == (404, 404, 404)
    file.refresh_from_db()
    assert not file.is_deleted
    assert RequestFile.objects.count() == 1


def test_staff_who_may_only_read_see_the_files_but_no_forms(
    organisation_a, client, request_
) -> None:
    reader: Any = StaffFactory(organisations=[organisation_a])
    reader.user_permissions.set([Permission.objects.get(codename="view_request")])
    client.force_login(reader)
    file = stored(request_)

    page = client.get(admin_url("request", "change", request_.pk)).content.decode()
    upload = client.post(upload_url(request_), {"file": a_file(pdf_bytes()), "purpose": "response"})

    assert "answer.pdf" in page
    assert upload_url(request_) not in page
    assert delete_url(request_, file) not in page
    assert upload.status_code == 403
