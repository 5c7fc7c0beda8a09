"""Where files are stored and which master keys protect them, from settings.

Settings are read when used (and the objects built from them kept per value), so a
test or a deployment that changes them is followed without a restart of the module.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage, Storage

from routing.files.crypto import Keyring, parse_keyring

MB = 1024 * 1024
IDENTITY_MAX_BYTES = 10 * MB
DEFAULT_MAX_MB = 100
# Boto3 reads a multipart upload's parts into memory; the smallest parts S3 takes and
# few threads keep a large file's upload from holding much of it at once.
S3_PART_BYTES = 5 * MB
S3_CONCURRENCY = 2
# A download larger than this is spooled to a temporary file (of ciphertext).
S3_SPOOL_BYTES = 2 * MB


def file_keyring() -> Keyring:
    return _keyring(str(getattr(settings, "DSAR_FILE_KEYS", "") or ""))


@functools.lru_cache(maxsize=8)
def _keyring(text: str) -> Keyring:
    if not text.strip():
        raise ImproperlyConfigured(
            "DSAR_FILE_KEYS is not set: files are encrypted with a master key given as "
            "id:base64key (32 random bytes), e.g. from "
            "python -c \"import base64,os;print('k1:'+base64.b64encode(os.urandom(32)).decode())\""
        )
    try:
        return parse_keyring(text)
    except ValueError as error:
        raise ImproperlyConfigured(str(error)) from None


def max_bytes(purpose: str) -> int:
    if purpose == "identity":
        return IDENTITY_MAX_BYTES
    megabytes = int(getattr(settings, "DSAR_FILES_MAX_MB", DEFAULT_MAX_MB))
    return megabytes * MB


def files_storage() -> Storage:
    backend = getattr(settings, "DSAR_FILES_STORAGE", "filesystem")
    if backend == "filesystem":
        default = Path(settings.VAR_DIR) / "files"
        return _filesystem(str(getattr(settings, "DSAR_FILES_DIR", default)))
    if backend == "s3":
        bucket = getattr(settings, "DSAR_FILES_S3_BUCKET", "")
        if not bucket:
            raise ImproperlyConfigured(
                "DSAR_FILES_S3_BUCKET is required with DSAR_FILES_STORAGE=s3."
            )
        return _s3(
            bucket_name=bucket,
            endpoint_url=getattr(settings, "DSAR_FILES_S3_ENDPOINT_URL", None) or None,
            access_key=getattr(settings, "DSAR_FILES_S3_ACCESS_KEY_ID", None) or None,
            secret_key=getattr(settings, "DSAR_FILES_S3_SECRET_ACCESS_KEY", None) or None,
            region_name=getattr(settings, "DSAR_FILES_S3_REGION", None) or None,
            addressing_style=getattr(settings, "DSAR_FILES_S3_ADDRESSING_STYLE", "path"),
        )
    raise ImproperlyConfigured(
        f"DSAR_FILES_STORAGE={backend!r} is not a storage; use filesystem or s3."
    )


@functools.lru_cache(maxsize=8)
def _filesystem(location: str) -> Storage:
    return FileSystemStorage(
        location=location, file_permissions_mode=0o600, directory_permissions_mode=0o700
    )


@functools.lru_cache(maxsize=8)
def _s3(**options: Any) -> Storage:
    # Imported here: boto3 is slow to import and only an S3 deployment needs it.
    from boto3.s3.transfer import TransferConfig
    from storages.backends.s3 import S3Storage

    transfer_config = TransferConfig(
        multipart_threshold=S3_PART_BYTES,
        multipart_chunksize=S3_PART_BYTES,
        max_concurrency=S3_CONCURRENCY,
    )
    # Parts held in memory at once, read ahead of their upload or of their write to the
    # spool (boto3's constructor does not take these; its default is 10 of each).
    transfer_config.max_in_memory_upload_chunks = 1
    transfer_config.max_in_memory_download_chunks = S3_CONCURRENCY
    return S3Storage(
        **options,
        # Objects are private: reads go through the service, which decrypts them.
        default_acl=None,
        querystring_auth=True,
        # A random name never collides; refusing to overwrite is a second guard.
        file_overwrite=False,
        max_memory_size=S3_SPOOL_BYTES,
        transfer_config=transfer_config,
    )
