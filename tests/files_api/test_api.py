"""The files API: upload (multipart), list and the answer package's manifest."""

from __future__ import annotations

import hashlib
import io

import pytest
import yaml
from django.test import Client

from routing.models import Event, EventType, RequestFile
from routing.services.actors import Actor
from routing.services.files import file_delete, file_read
from tests.factories import OrganisationFactory, ScopeFactory, make_request
from tests.files.conftest import SECRET, pdf_bytes
from tests.support.api import assert_error

pytestmark = pytest.mark.django_db

STAFF = Actor.system("test")


def files_url(request_) -> str:
    return f"/api/v1/requests/{request_.pk}/files/"


def upload(client, request_, content: bytes, name: str = "answer.pdf", **fields):
    body = {"file": io.BytesIO(content), "purpose": "response", **fields}
    body["file"].name = name
    return client.post(files_url(request_), body, format="multipart")


def test_an_upload_answers_201_and_stores_the_file_encrypted(api, request_, files_dir) -> None:
    content = pdf_bytes(5000)

    response = upload(
        api, request_, content, kind="access", scope="callkom:ai-calls", name="answer.pdf"
    )

    assert response.status_code == 201, response.content
    body = response.json()
    row = RequestFile.objects.get(pk=body["id"])
    assert row.request == request_
    assert row.scope is not None
    assert (row.purpose, row.kind, row.scope.key) == ("response", "access", "callkom:ai-calls")
    assert row.created_by_label.startswith("Desk")
    assert body == {
        "id": row.pk,
        "name": "answer.pdf",
        "size": 5000,
        "sha256": hashlib.sha256(content).hexdigest(),
        "purpose": "response",
        "kind": "access",
        "scope": "callkom:ai-calls",
        "content_type": "application/pdf",
        "created_at": body["created_at"],
        "deleted_at": None,
    }
    assert file_read(row) == content
    stored = [p.read_bytes() for p in files_dir.rglob("*") if p.is_file()]
    assert len(stored) == 1
    assert SECRET not in stored[0]


def test_the_upload_records_file_added_with_the_sha256_and_never_the_content(api, request_) -> None:
    content = pdf_bytes(5000)

    body = upload(api, request_, content, kind="erasure").json()

    event = Event.objects.get(request=request_, type=EventType.FILE_ADDED)
    assert event.data == {
        "file_id": body["id"],
        "name": "answer.pdf",
        "size": 5000,
        "sha256": hashlib.sha256(content).hexdigest(),
        "purpose": "response",
        "kind": "erasure",
        "scope": "",
    }
    assert event.actor_type == "integration"
    assert SECRET.decode() not in str(event.data)


def test_the_list_shows_every_file_with_deleted_ones_marked(api, request_) -> None:
    first = upload(api, request_, pdf_bytes(3000), name="one.pdf").json()
    second = upload(api, request_, b"id,name\n1,Ada\n", name="two.csv").json()
    file_delete(file=RequestFile.objects.get(pk=first["id"]), by=STAFF, reason="wrong request")

    response = api.get(files_url(request_))

    assert response.status_code == 200
    listed = response.json()
    assert [f["id"] for f in listed] == [first["id"], second["id"]]
    assert listed[0]["deleted_at"] is not None
    assert listed[1]["deleted_at"] is None
    assert listed[1]["content_type"] == "text/csv"
    assert all("content" not in f for f in listed)


def test_a_refused_type_answers_400_naming_the_file(api, request_) -> None:
    response = upload(api, request_, b"MZ\x90\x00" + b"\x00" * 200, name="tool.exe")

    assert_error(response, 400, "invalid", {"file": "type"})
    assert RequestFile.objects.count() == 0


def test_a_file_over_the_limit_answers_400_too_large(api, request_, file_settings) -> None:
    file_settings.DSAR_FILES_MAX_MB = 1

    response = upload(api, request_, pdf_bytes(1024 * 1024 + 1))

    assert_error(response, 400, "invalid", {"file": "too_large"})
    assert RequestFile.objects.count() == 0


def test_a_part_or_scope_the_request_does_not_have_answers_400(api, request_) -> None:
    other = OrganisationFactory.create()
    foreign_scope = ScopeFactory.create(organisation=other).key

    wrong_part = upload(api, request_, pdf_bytes(3000), kind="objection")
    wrong_scope = upload(api, request_, pdf_bytes(3000), scope=foreign_scope)
    wrong_purpose = upload(api, request_, pdf_bytes(3000), purpose="evidence")
    no_file = api.post(files_url(request_), {"purpose": "response"}, format="multipart")

    assert_error(wrong_part, 400, "invalid", {"kind": "invalid"})
    assert_error(wrong_scope, 400, "invalid", {"scope": "does_not_exist"})
    assert_error(wrong_purpose, 400, "invalid", {"purpose": "invalid_choice"})
    assert_error(no_file, 400, "invalid", {"file": "required"})
    assert RequestFile.objects.count() == 0


def test_another_organisations_request_answers_404_as_a_missing_one(api, request_) -> None:
    foreign = make_request(OrganisationFactory.create())
    missing = type(foreign)(pk=999_999)

    for target in (foreign, missing):
        assert_error(upload(api, target, pdf_bytes(3000)), 404, "not_found")
        assert_error(api.get(files_url(target)), 404, "not_found")
        assert_error(api.get(files_url(target) + "manifest/"), 404, "not_found")
    assert upload(api, foreign, pdf_bytes(3000)).json() == upload(api, missing, b"x").json()
    assert RequestFile.objects.count() == 0


def test_a_read_only_integration_may_list_but_not_upload(read_only_api, request_) -> None:
    response = upload(read_only_api, request_, pdf_bytes(3000))

    assert_error(response, 403, "permission_denied")
    assert RequestFile.objects.count() == 0
    assert read_only_api.get(files_url(request_)).status_code == 200


def test_the_manifest_lists_the_live_answer_files(api, request_) -> None:
    answer = pdf_bytes(4000)
    kept = upload(api, request_, answer, kind="access", scope="callkom:ai-calls").json()
    dropped = upload(api, request_, pdf_bytes(3000), name="old.pdf").json()
    upload(api, request_, b"Dear Ada,\n", name="letter.txt", purpose="correspondence")
    file_delete(file=RequestFile.objects.get(pk=dropped["id"]), by=STAFF, reason="superseded")

    response = api.get(files_url(request_) + "manifest/")

    assert response.status_code == 200
    body = response.json()
    assert body["reference"] == request_.reference
    assert body["generated_at"]
    assert body["files"] == [
        {
            "name": "answer.pdf",
            "sha256": kept["sha256"],
            "size": 4000,
            "content_type": "application/pdf",
            "kind": "access",
            "scope": "callkom:ai-calls",
        }
    ]


def test_the_schema_takes_the_upload_as_multipart() -> None:
    schema = yaml.safe_load(Client().get("/api/v1/schema/").content)

    operation = schema["paths"]["/api/v1/requests/{id}/files/"]["post"]
    body = operation["requestBody"]["content"]
    assert list(body) == ["multipart/form-data"]
    assert "/api/v1/requests/{id}/files/manifest/" in schema["paths"]
