"""Master key rotation: rewrap_file_keys puts every file's data key under the current
master key without touching the stored objects; old and new files open afterwards."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from routing.models import RequestFile
from routing.services.files import file_delete, file_read, file_store
from tests.files.conftest import KEY_1, KEY_2, S3, pdf_bytes

pytestmark = pytest.mark.django_db

KEY_3 = "k3:" + "A" * 43 + "="


def _store(request_, by, size: int) -> RequestFile:
    return file_store(
        request=request_,
        purpose="response",
        content=io.BytesIO(pdf_bytes(size)),
        name=f"{size}.pdf",
        by=by,
    )


def _rewrap(*args: str) -> str:
    out = io.StringIO()
    call_command("rewrap_file_keys", *args, stdout=out)
    return out.getvalue().strip()


def _objects(files_dir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in files_dir.rglob("*") if p.is_file()}


def test_rotation_rewraps_every_file_and_old_and_new_files_open(
    request_, by, file_settings, files_dir
) -> None:
    old = [_store(request_, by, size) for size in (5000, 70_000, 140_000)]
    file_settings.DSAR_FILE_KEYS = f"{KEY_2},{KEY_1}"
    # Before the rewrap, old files open with the old key still listed.
    assert file_read(old[0]) == pdf_bytes(5000)
    new = _store(request_, by, 9000)
    assert new.key_id == "k2"
    objects_before = _objects(files_dir)

    assert _rewrap() == "Re-wrapped 3 file key(s) under master key 'k2'; 1 already under it."

    assert set(RequestFile.objects.values_list("key_id", flat=True)) == {"k2"}
    assert _objects(files_dir) == objects_before  # no content re-encrypted
    # The old key can now go: every file opens with the new one alone.
    file_settings.DSAR_FILE_KEYS = KEY_2
    for row in RequestFile.objects.all():
        assert file_read(row) == pdf_bytes(int(row.name.removesuffix(".pdf")))
    assert _rewrap() == "Re-wrapped 0 file key(s) under master key 'k2'; 4 already under it."


def test_a_dry_run_counts_and_changes_nothing(request_, by, file_settings) -> None:
    row = _store(request_, by, 5000)
    file_settings.DSAR_FILE_KEYS = f"{KEY_2},{KEY_1}"
    assert _rewrap("--dry-run") == (
        "Would re-wrap 1 file key(s) under master key 'k2'; 0 already under it."
    )
    row.refresh_from_db()
    assert row.key_id == "k1"


def test_files_under_a_key_no_longer_listed_are_reported_and_fail_the_command(
    request_, by, file_settings
) -> None:
    _store(request_, by, 5000)
    file_settings.DSAR_FILE_KEYS = f"{KEY_2},{KEY_1}"
    _store(request_, by, 6000)
    file_settings.DSAR_FILE_KEYS = f"{KEY_3},{KEY_2}"
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1 file key\\(s\\) could not be re-wrapped"):
        call_command("rewrap_file_keys", stdout=out, stderr=err)
    assert out.getvalue().strip() == (
        "Re-wrapped 1 file key(s) under master key 'k3'; 0 already under it."
    )
    assert "1 file(s) under master key 'k1', which DSAR_FILE_KEYS does not hold" in err.getvalue()
    assert sorted(RequestFile.objects.values_list("key_id", flat=True)) == ["k1", "k3"]


def test_deleted_files_are_not_rewrapped(
    request_, by, file_settings, django_capture_on_commit_callbacks
) -> None:
    row = _store(request_, by, 5000)
    with django_capture_on_commit_callbacks(execute=True):
        file_delete(file=row, by=by, reason="served its purpose")
    file_settings.DSAR_FILE_KEYS = f"{KEY_2},{KEY_1}"
    assert _rewrap() == "Re-wrapped 0 file key(s) under master key 'k2'; 0 already under it."


def test_rotation_in_a_bucket_leaves_the_objects_as_they_were(
    request_, by, file_settings, s3: S3
) -> None:
    row = _store(request_, by, 70_000)
    before = s3.object_bytes(row.storage_name)
    file_settings.DSAR_FILE_KEYS = f"{KEY_2},{KEY_1}"
    assert _rewrap().startswith("Re-wrapped 1 file key(s)")
    file_settings.DSAR_FILE_KEYS = KEY_2
    row.refresh_from_db()
    assert s3.object_bytes(row.storage_name) == before
    assert file_read(row) == pdf_bytes(70_000)


def test_a_file_whose_wrapped_key_was_altered_is_reported_by_id(
    request_, by, file_settings
) -> None:
    row = _store(request_, by, 5000)
    wrapped = bytearray(row.wrapped_key)
    wrapped[30] ^= 0x01
    RequestFile.objects.filter(pk=row.pk).update(wrapped_key=bytes(wrapped))
    file_settings.DSAR_FILE_KEYS = f"{KEY_2},{KEY_1}"
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 file key"):
        call_command("rewrap_file_keys", stdout=io.StringIO(), stderr=err)
    assert f"does not open with its master key (ids {row.pk})" in err.getvalue()
