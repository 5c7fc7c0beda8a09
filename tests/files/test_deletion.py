"""Deleting a file removes its stored object and keeps the row, with who, when and why."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError

from routing.services.files import FileDeleted, file_delete, file_read, file_store
from tests.files.conftest import S3, pdf_bytes

pytestmark = pytest.mark.django_db


def _store(request_, by):
    return file_store(
        request=request_,
        purpose="identity",
        content=io.BytesIO(pdf_bytes(5000)),
        name="passport.pdf",
        by=by,
        kind="access",
    )


def test_deleting_removes_the_object_and_keeps_the_evidence(
    request_, by, files_dir, django_capture_on_commit_callbacks
) -> None:
    row = _store(request_, by)
    kept = (row.name, row.size, row.sha256, row.content_type, row.kind, row.storage_name)
    with django_capture_on_commit_callbacks(execute=True):
        deleted = file_delete(file=row, by=by, reason="identity verified")
    assert [p for p in files_dir.rglob("*") if p.is_file()] == []
    deleted.refresh_from_db()
    assert deleted.deleted_at is not None
    assert (deleted.deleted_by_type, deleted.deleted_by_user, deleted.deleted_by_label) == (
        by.type,
        by.user,
        by.label,
    )
    assert deleted.deleted_reason == "identity verified"
    assert (
        deleted.name,
        deleted.size,
        deleted.sha256,
        deleted.content_type,
        deleted.kind,
        deleted.storage_name,
    ) == kept
    # The data key is erased with it: a backup of the storage would not open either.
    assert bytes(deleted.wrapped_key) == b""
    with pytest.raises(FileDeleted):
        file_read(deleted)


def test_the_object_stays_until_the_deletion_is_committed(
    request_, by, files_dir, django_capture_on_commit_callbacks
) -> None:
    row = _store(request_, by)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        file_delete(file=row, by=by, reason="identity verified")
    assert len([p for p in files_dir.rglob("*") if p.is_file()]) == 1
    assert len(callbacks) == 1


def test_deleting_twice_keeps_the_first_deletion(
    request_, by, django_capture_on_commit_callbacks
) -> None:
    row = _store(request_, by)
    with django_capture_on_commit_callbacks(execute=True):
        first = file_delete(file=row, by=by, reason="identity verified")
        again = file_delete(file=row, by=by, reason="another reason")
    assert again.deleted_at == first.deleted_at
    assert again.deleted_reason == "identity verified"


def test_a_deletion_needs_a_reason(request_, by) -> None:
    row = _store(request_, by)
    with pytest.raises(ValidationError) as raised:
        file_delete(file=row, by=by, reason="  ")
    assert raised.value.message_dict == {"reason": ["Say why the file is deleted."]}
    row.refresh_from_db()
    assert row.deleted_at is None


def test_deleting_removes_the_object_from_the_bucket(
    request_, by, s3: S3, django_capture_on_commit_callbacks
) -> None:
    row = _store(request_, by)
    assert s3.keys() == [row.storage_name]
    with django_capture_on_commit_callbacks(execute=True):
        file_delete(file=row, by=by, reason="identity verified")
    assert s3.keys() == []
