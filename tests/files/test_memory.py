"""A large file streams through: storing and opening a 50 MB file never holds more than a
small fraction of it in memory (tracemalloc's peak of Python allocations)."""

from __future__ import annotations

import hashlib
import io
import os
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files import File

from routing.services.files import file_chunks, file_store
from tests.files.conftest import S3

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

SIZE = 50 * 1024 * 1024
# On disk: a few 64 KiB chunks and buffers. Through S3, boto3 holds the multipart part
# it is reading and the one it is uploading (5 MiB each), whatever the file's size.
FILESYSTEM_PEAK = 4 * 1024 * 1024
S3_PEAK = SIZE // 2


@pytest.fixture
def large_file(tmp_path: Path) -> tuple[Path, str]:
    """A 50 MB ZIP-signed file of random bytes, written in pieces, and its SHA-256."""
    path = tmp_path / "package.zip"
    digest = hashlib.sha256()
    with path.open("wb") as out:
        first = b"PK\x03\x04" + os.urandom(1024 * 1024 - 4)
        out.write(first)
        digest.update(first)
        for _ in range(SIZE // (1024 * 1024) - 1):
            piece = os.urandom(1024 * 1024)
            out.write(piece)
            digest.update(piece)
    return path, digest.hexdigest()


def _peak(work: Callable[[], Any]) -> tuple[Any, int]:
    tracemalloc.start()
    try:
        result = work()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _store(request_, by, path: Path):
    with path.open("rb") as source:
        return file_store(
            request=request_, purpose="response", content=File(source), name=path.name, by=by
        )


def _warm_up(request_, by) -> None:
    """A first small file: the storage's client is built once per process (boto3 loads
    its service model then), not per file."""
    file_store(
        request=request_,
        purpose="response",
        content=io.BytesIO(b"PK\x05\x06" + bytes(18)),
        name="empty.zip",
        by=by,
    )


def _read_through(row) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    for chunk in file_chunks(row):
        digest.update(chunk)
        size += len(chunk)
    return size, digest.hexdigest()


def test_storing_and_opening_50_mb_on_disk_keeps_memory_flat(request_, by, large_file) -> None:
    path, sha256 = large_file
    _warm_up(request_, by)
    row, store_peak = _peak(lambda: _store(request_, by, path))
    (size, read_sha256), read_peak = _peak(lambda: _read_through(row))
    assert (row.size, row.sha256) == (SIZE, sha256)
    assert (size, read_sha256) == (SIZE, sha256)
    assert store_peak < FILESYSTEM_PEAK, store_peak
    assert read_peak < FILESYSTEM_PEAK, read_peak


def test_storing_and_opening_50_mb_in_a_bucket_keeps_memory_well_below_the_file(
    request_, by, large_file, s3: S3
) -> None:
    path, sha256 = large_file
    _warm_up(request_, by)
    row, store_peak = _peak(lambda: _store(request_, by, path))
    (size, read_sha256), read_peak = _peak(lambda: _read_through(row))
    assert (size, read_sha256) == (SIZE, sha256)
    assert store_peak < S3_PEAK, store_peak
    assert read_peak < S3_PEAK, read_peak
