"""Why a stored file cannot be opened."""

from __future__ import annotations


class StoredFileError(Exception):
    pass


class FileTampered(StoredFileError):
    """The stored object, or its row's wrapped key, was altered or damaged."""


class FileKeyUnavailable(StoredFileError):
    """The master key that wraps the file's data key is not in DSAR_FILE_KEYS."""


class FileDeleted(StoredFileError):
    pass
