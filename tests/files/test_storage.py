"""Files stored in a folder and in an S3 bucket (moto's server): encrypted objects under
random names, the exact bytes back, and a clear error for an object altered in storage."""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from routing.files.crypto import HEADER_SIZE, MAGIC
from routing.services.files import (
    FileKeyUnavailable,
    FileTampered,
    file_chunks,
    file_read,
    file_store,
)
from tests.files.conftest import KEY_2, S3, SECRET, pdf_bytes

pytestmark = pytest.mark.django_db

NAME = "Ada Martin - passport.pdf"
STORAGE_NAME = re.compile(r"^f/([0-9a-f]{2})/\1[0-9a-f]{30}$")


def _store(request_, by, content: bytes, purpose: str = "identity"):
    return file_store(
        request=request_, purpose=purpose, content=io.BytesIO(content), name=NAME, by=by
    )


def _stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def _assert_reveals_nothing(stored: bytes, storage_name: str, content: bytes) -> None:
    assert stored.startswith(MAGIC)
    for clue in (SECRET[:16], b"passport", b"%PDF", b"Ada Martin", content[1000:1032]):
        assert clue not in stored
    assert STORAGE_NAME.match(storage_name), storage_name
    assert "ada" not in storage_name.lower()
    assert "identity" not in storage_name


def test_the_file_on_disk_is_encrypted_under_a_random_name(request_, by, files_dir) -> None:
    content = pdf_bytes()
    row = _store(request_, by, content)
    [path] = _stored_files(files_dir)
    assert path.relative_to(files_dir).as_posix() == row.storage_name
    _assert_reveals_nothing(path.read_bytes(), row.storage_name, content)
    assert path.stat().st_mode & 0o077 == 0
    # What the storage does not hold, the row does.
    assert (row.name, row.size, row.content_type) == (NAME, len(content), "application/pdf")
    assert row.sha256 == hashlib.sha256(content).hexdigest()
    assert (row.key_id, len(bytes(row.wrapped_key))) == ("k1", 61)
    assert (row.created_by_type, row.created_by_user, row.created_by_label) == (
        by.type,
        by.user,
        by.label,
    )


def test_a_round_trip_from_disk_gives_the_exact_bytes_and_sha256(request_, by) -> None:
    content = pdf_bytes(300_001)
    row = _store(request_, by, content, purpose="response")
    back = file_read(row)
    assert back == content
    assert hashlib.sha256(back).hexdigest() == row.sha256


def test_a_file_altered_on_disk_fails_to_open_with_a_clear_error(request_, by, files_dir) -> None:
    row = _store(request_, by, pdf_bytes(200_000))
    [path] = _stored_files(files_dir)
    data = bytearray(path.read_bytes())
    data[HEADER_SIZE + 70_000] ^= 0x40  # in the second chunk
    path.write_bytes(bytes(data))
    chunks = file_chunks(row)
    assert next(chunks) == pdf_bytes(200_000)[:65_536]  # the first chunk is intact
    with pytest.raises(FileTampered) as raised:
        next(chunks)
    assert str(raised.value) == (
        f"File {row.pk} failed its integrity check. Chunk 1 of the stored object failed "
        "authentication: the object was altered, damaged or cut short, or belongs to "
        "another file."
    )


def test_a_file_cut_short_on_disk_fails_to_open(request_, by, files_dir) -> None:
    row = _store(request_, by, pdf_bytes(200_000))
    [path] = _stored_files(files_dir)
    path.write_bytes(path.read_bytes()[: 2 * (65_536 + 16) + HEADER_SIZE])
    with pytest.raises(FileTampered, match=r"Chunk 1 .* failed authentication"):
        file_read(row)


def test_objects_swapped_between_files_fail_to_open(request_, by, files_dir) -> None:
    first, second = _store(request_, by, pdf_bytes(5000)), _store(request_, by, pdf_bytes(6000))
    first_path, second_path = files_dir / first.storage_name, files_dir / second.storage_name
    first_bytes = first_path.read_bytes()
    first_path.write_bytes(second_path.read_bytes())
    second_path.write_bytes(first_bytes)
    for row in (first, second):
        with pytest.raises(FileTampered, match="failed authentication"):
            file_read(row)


def test_a_changed_wrapped_key_fails_to_open(request_, by) -> None:
    row = _store(request_, by, pdf_bytes(5000))
    wrapped = bytearray(row.wrapped_key)
    wrapped[20] ^= 0x01
    row.wrapped_key = bytes(wrapped)
    with pytest.raises(FileTampered, match="does not open with master key 'k1'"):
        file_read(row)


def test_a_file_under_a_master_key_no_longer_configured_says_so(
    request_, by, file_settings
) -> None:
    row = _store(request_, by, pdf_bytes(5000))
    file_settings.DSAR_FILE_KEYS = KEY_2
    with pytest.raises(FileKeyUnavailable, match="master key 'k1', which DSAR_FILE_KEYS no"):
        file_read(row)


def test_without_master_keys_nothing_is_stored(request_, by, file_settings, files_dir) -> None:
    file_settings.DSAR_FILE_KEYS = ""
    with pytest.raises(ImproperlyConfigured, match="DSAR_FILE_KEYS is not set"):
        _store(request_, by, pdf_bytes(5000))
    assert _stored_files(files_dir) == []


def test_an_unknown_storage_is_refused_by_name(request_, by, file_settings) -> None:
    file_settings.DSAR_FILES_STORAGE = "ftp"
    with pytest.raises(ImproperlyConfigured, match="DSAR_FILES_STORAGE='ftp'"):
        _store(request_, by, pdf_bytes(5000))


# --- S3 -------------------------------------------------------------------------------------


def test_the_object_in_the_bucket_is_encrypted_under_a_random_name(request_, by, s3: S3) -> None:
    content = pdf_bytes()
    row = _store(request_, by, content)
    assert s3.keys() == [row.storage_name]
    _assert_reveals_nothing(s3.object_bytes(row.storage_name), row.storage_name, content)
    head = s3.client.head_object(Bucket=s3.bucket, Key=row.storage_name)
    assert head["ContentType"] == "application/octet-stream"
    assert "ada" not in str(head.get("Metadata", {})).lower()


def test_a_round_trip_through_the_bucket_gives_the_exact_bytes_and_sha256(
    request_, by, s3: S3
) -> None:
    # Past boto3's multipart threshold (8 MiB), so the upload comes in parts.
    content = pdf_bytes(9 * 1024 * 1024 + 123)
    row = _store(request_, by, content, purpose="response")
    back = file_read(row)
    assert back == content
    assert hashlib.sha256(back).hexdigest() == row.sha256 == hashlib.sha256(content).hexdigest()


def test_an_object_altered_in_the_bucket_fails_to_open(request_, by, s3: S3) -> None:
    row = _store(request_, by, pdf_bytes(100_000))
    data = bytearray(s3.object_bytes(row.storage_name))
    data[-5] ^= 0x01
    s3.client.put_object(Bucket=s3.bucket, Key=row.storage_name, Body=bytes(data))
    with pytest.raises(FileTampered, match="Chunk 1 of the stored object failed authentication"):
        file_read(row)
