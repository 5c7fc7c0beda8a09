"""Opening a stored file: its plaintext, chunk by chunk, each authenticated first."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from routing.files.crypto import FileIntegrityError, KeyUnwrapError, decrypt_chunks, unwrap_data_key
from routing.models import RequestFile
from routing.services.files.config import file_keyring, files_storage
from routing.services.files.errors import FileDeleted, FileKeyUnavailable, FileTampered


def file_data_key(file: RequestFile) -> bytes:
    if file.is_deleted:
        raise FileDeleted(f"File {file.pk} was deleted on {file.deleted_at:%Y-%m-%d}.")
    master = file_keyring().get(file.key_id)
    if master is None:
        raise FileKeyUnavailable(
            f"File {file.pk} is under master key {file.key_id!r}, which DSAR_FILE_KEYS no "
            "longer holds: add it back, then run rewrap_file_keys before removing it."
        )
    try:
        return unwrap_data_key(master, bytes(file.wrapped_key))
    except KeyUnwrapError as error:
        raise FileTampered(f"File {file.pk}: {error}") from None


def file_chunks(file: RequestFile) -> Iterator[bytes]:
    """The file's content, in chunks. Each chunk is authenticated before it is given;
    at the end the size and SHA-256 are checked against the row. Raises FileTampered
    (at the first chunk that fails), FileKeyUnavailable or FileDeleted."""
    data_key = file_data_key(file)
    digest = hashlib.sha256()
    size = 0
    with files_storage().open(file.storage_name, "rb") as stored:
        try:
            for chunk in decrypt_chunks(data_key, stored.read):
                digest.update(chunk)
                size += len(chunk)
                yield chunk
        except FileIntegrityError as error:
            raise FileTampered(f"File {file.pk} failed its integrity check. {error}") from None
    if size != file.size or digest.hexdigest() != file.sha256:
        raise FileTampered(f"File {file.pk} does not match the size and SHA-256 recorded for it.")


def file_read(file: RequestFile) -> bytes:
    """The whole content at once: for small files only (a proof of identity to show)."""
    return b"".join(file_chunks(file))
