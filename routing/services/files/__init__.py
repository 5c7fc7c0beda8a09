"""Files on a request, encrypted at rest (see routing.files.crypto for the format)."""

from routing.services.files.config import file_keyring, files_storage, max_bytes
from routing.services.files.delete import file_delete
from routing.services.files.errors import (
    FileDeleted,
    FileKeyUnavailable,
    FileTampered,
    StoredFileError,
)
from routing.services.files.keys import RewrapResult, file_keys_rewrap
from routing.services.files.read import file_chunks, file_read
from routing.services.files.store import file_store

__all__ = [
    "FileDeleted",
    "FileKeyUnavailable",
    "FileTampered",
    "RewrapResult",
    "StoredFileError",
    "file_chunks",
    "file_delete",
    "file_keyring",
    "file_keys_rewrap",
    "file_read",
    "file_store",
    "files_storage",
    "max_bytes",
]
