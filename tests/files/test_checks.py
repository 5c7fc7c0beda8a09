"""What a file may be, judged from its bytes, and how large, per purpose: refusals are
ValidationErrors naming the field and saying what is accepted."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from routing.files.sniffing import display_name, sniff
from routing.models import RequestFile
from routing.services.files import file_read, file_store
from tests.factories import ScopeFactory
from tests.files.conftest import jpeg_with_gps, pdf_bytes

pytestmark = pytest.mark.django_db

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def _zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("data.json", '{"calls": []}')
    return out.getvalue()


@pytest.mark.parametrize(
    ("head", "content_type"),
    [
        (pdf_bytes(2000), "application/pdf"),
        (jpeg_with_gps(), "image/jpeg"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png"),
        (_zip(), "application/zip"),
        (b'  {"calls": [1, 2]}', "application/json"),
        (
            b"date,number,seconds\n2026-01-02,+33199001234,61\n2026-01-03,+33199001234,5\n",
            "text/csv",
        ),
        (
            b"From: Ada <ada@example.org>\nTo: privacy@callkom.example\nSubject: my data\n\nHi",
            "message/rfc822",
        ),
        ("Bonjour, voici ma demande. Merci, Élodie\n".encode(), "text/plain"),
        ("Bonjour, Élodie\n".encode("cp1252"), "text/plain"),
        (EXE, None),
        (b"\x7fELF\x02\x01\x01", None),
        (b"<!DOCTYPE html><html><script>", None),
        (b"GIF89a\x01\x00", None),
        (b"\x00\x01\x02\x03binary", None),
    ],
)
def test_the_type_is_found_from_the_bytes(head: bytes, content_type: str | None) -> None:
    assert sniff(head).content_type == content_type


def _messages(raised: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return raised.value.message_dict


def test_a_pdf_named_executable_is_refused_naming_the_field(request_, by) -> None:
    with pytest.raises(ValidationError) as raised:
        file_store(
            request=request_,
            purpose="identity",
            content=io.BytesIO(EXE),
            name="passport.pdf",
            by=by,
        )
    assert _messages(raised) == {
        "file": [
            "The file is a Windows executable (judged from its content, not its name), which "
            "is not accepted for a proof of identity: use PDF, JPEG image or PNG image."
        ]
    }
    assert not RequestFile.objects.exists()


def test_a_file_larger_than_the_identity_limit_is_refused_before_reading(request_, by) -> None:
    upload = SimpleUploadedFile("id.pdf", pdf_bytes(10 * 1024 * 1024 + 1))
    with pytest.raises(ValidationError) as raised:
        file_store(request=request_, purpose="identity", content=upload, name="id.pdf", by=by)
    assert _messages(raised) == {
        "file": ["The file is larger than 10 MB, the limit for a proof of identity."]
    }


def test_a_stream_past_the_limit_is_refused_and_leaves_nothing_stored(
    request_, by, file_settings, files_dir
) -> None:
    file_settings.DSAR_FILES_MAX_MB = 1
    # A plain stream: no size is declared, so the limit is enforced while reading.
    stream = io.BufferedReader(io.BytesIO(pdf_bytes(1024 * 1024 + 1)))
    with pytest.raises(ValidationError) as raised:
        file_store(request=request_, purpose="response", content=stream, name="a.pdf", by=by)
    assert _messages(raised) == {
        "file": ["The file is larger than 1 MB, the limit for an answer package."]
    }
    assert [p for p in files_dir.rglob("*") if p.is_file()] == []
    assert not RequestFile.objects.exists()


def test_the_limit_for_other_purposes_is_a_setting(request_, by, file_settings) -> None:
    file_settings.DSAR_FILES_MAX_MB = 1
    upload = SimpleUploadedFile("notes.txt", b"a" * (1024 * 1024 + 1))
    with pytest.raises(ValidationError, match="larger than 1 MB"):
        file_store(request=request_, purpose="correspondence", content=upload, name="n", by=by)
    fits = SimpleUploadedFile("notes.txt", b"a" * (1024 * 1024))
    stored = file_store(request=request_, purpose="correspondence", content=fits, name="n", by=by)
    assert stored.size == 1024 * 1024


def test_an_empty_file_is_refused(request_, by) -> None:
    with pytest.raises(ValidationError) as raised:
        file_store(request=request_, purpose="response", content=io.BytesIO(), name="x", by=by)
    assert _messages(raised) == {"file": ["The file is empty."]}
    assert raised.value.error_dict["file"][0].code == "empty"


def test_identity_takes_no_text_and_correspondence_no_zip(request_, by) -> None:
    with pytest.raises(
        ValidationError, match=r"plain text .* not accepted for a proof of identity"
    ):
        file_store(
            request=request_, purpose="identity", content=io.BytesIO(b"hello"), name="a", by=by
        )
    with pytest.raises(ValidationError, match=r"ZIP archive .* not accepted for correspondence"):
        file_store(
            request=request_, purpose="correspondence", content=io.BytesIO(_zip()), name="a", by=by
        )


def test_csv_given_as_correspondence_is_kept_as_plain_text(request_, by) -> None:
    csv = b"date,number\n2026-01-02,+33199001234\n2026-01-03,+33199001234\n"
    stored = file_store(
        request=request_, purpose="correspondence", content=io.BytesIO(csv), name="c.csv", by=by
    )
    assert stored.content_type == "text/plain"
    response = file_store(
        request=request_, purpose="response", content=io.BytesIO(csv), name="c.csv", by=by
    )
    assert response.content_type == "text/csv"


def test_text_that_turns_binary_further_on_is_refused(request_, by, files_dir) -> None:
    content = b"hello, plain words\n" * 1000 + b"\x00\x01MZ\x90" + b"\x00" * 100
    with pytest.raises(ValidationError) as raised:
        file_store(
            request=request_, purpose="response", content=io.BytesIO(content), name="a.txt", by=by
        )
    assert "binary data further on" in _messages(raised)["file"][0]
    assert [p for p in files_dir.rglob("*") if p.is_file()] == []


def test_a_jpeg_that_is_not_a_readable_image_is_refused(request_, by) -> None:
    broken = b"\xff\xd8\xff\xe0" + b"\x00\x10JFIF" + b"\x00" * 50
    with pytest.raises(ValidationError) as raised:
        file_store(
            request=request_, purpose="identity", content=io.BytesIO(broken), name="a.jpg", by=by
        )
    assert _messages(raised)["file"][0].startswith("The image cannot be read")


def test_part_and_scope_must_be_the_requests(request_, by) -> None:
    foreign_scope = ScopeFactory.create()
    with pytest.raises(ValidationError) as raised:
        file_store(
            request=request_,
            purpose="response",
            content=io.BytesIO(pdf_bytes(2000)),
            name="a.pdf",
            by=by,
            kind="portability",
            scope=foreign_scope,
        )
    assert set(_messages(raised)) == {"kind", "scope"}
    own_scope = request_.organisation.scopes.get()
    stored = file_store(
        request=request_,
        purpose="response",
        content=io.BytesIO(pdf_bytes(2000)),
        name="a.pdf",
        by=by,
        kind="erasure",
        scope=own_scope,
    )
    assert (stored.kind, stored.scope) == ("erasure", own_scope)
    assert list(request_.files.all()) == [stored]


def test_the_name_is_kept_for_display_without_folders_or_control_characters(request_, by) -> None:
    stored = file_store(
        request=request_,
        purpose="response",
        content=io.BytesIO(pdf_bytes(2000)),
        name="C:\\Users\\ada\\Réponse\u202e finale.pdf",
        by=by,
    )
    assert stored.name == "Réponse finale.pdf"
    assert file_read(stored) == pdf_bytes(2000)
    assert display_name("../../" + "a" * 300 + ".pdf") == "a" * 251 + ".pdf"
    assert display_name("") == "file"
