"""Storing a file on a request: checked, stripped of image metadata, encrypted, stored.

The content streams through: its type is found from the first bytes, then each chunk is
counted, hashed and encrypted on its way to the storage, so a large answer package never
sits whole in memory (images, which are decoded to strip them, are the exception).
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import tempfile
import uuid
from collections.abc import Iterable
from typing import IO, Any, cast

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from routing.files import sniffing
from routing.files.crypto import encrypt_chunks, new_data_key, read_upto, wrap_data_key
from routing.files.images import UnreadableImage, strip_metadata
from routing.files.streams import IterStream, Meter, NotText, TooLarge, iter_chunks
from routing.models import EventType, FilePurpose, Request, RequestFile, Scope
from routing.services.actors import Actor
from routing.services.consequences import event_record
from routing.services.files.config import MB, file_keyring, files_storage, max_bytes

logger = logging.getLogger(__name__)

# One prefix for every purpose: a name says nothing of what the file is or whose.
STORAGE_PREFIX = "f"


def new_storage_name() -> str:
    token = uuid.uuid4().hex
    return f"{STORAGE_PREFIX}/{token[:2]}/{token}"


def _file_error(message: str, code: str) -> ValidationError:
    return ValidationError({"file": [ValidationError(message, code=code)]})


# How messages name each purpose: "the limit for an answer package".
_FOR: dict[str, str] = {
    FilePurpose.RESPONSE.value: "an answer package",
    FilePurpose.IDENTITY.value: "a proof of identity",
    FilePurpose.CORRESPONDENCE.value: "correspondence",
}


def _too_large(purpose: str, limit: int) -> ValidationError:
    return _file_error(
        f"The file is larger than {limit // MB} MB, the limit for {_FOR[purpose]}.", "too_large"
    )


def _check_links(request: Request, purpose: str, kind: str, scope: Scope | None) -> None:
    errors: dict[str, str] = {}
    if purpose not in FilePurpose.values:
        errors["purpose"] = (
            f"{purpose!r} is not a purpose; use one of {', '.join(FilePurpose.values)}."
        )
    if kind and kind not in (request.kinds or []):
        errors["kind"] = f"The request has no part {kind!r}; its parts: {', '.join(request.kinds)}."
    if scope is not None and scope.organisation_id != request.organisation_id:
        errors["scope"] = "The scope belongs to another organisation than the request."
    if errors:
        raise ValidationError(errors)


def _accepted_type(purpose: str, head: bytes) -> tuple[str, str | None]:
    if not head:
        raise _file_error("The file is empty.", "empty")
    found = sniffing.sniff(head)
    content_type = sniffing.accepted_type(purpose, found)
    if content_type is None:
        raise _file_error(
            f"The file is {found.description} (judged from its content, not its name), "
            f"which is not accepted for {_FOR[purpose]}: use "
            f"{sniffing.allowed_descriptions(purpose)}.",
            "type",
        )
    return content_type, found.text_encoding


def file_store(
    *,
    request: Request,
    purpose: str,
    content: IO[bytes] | Any,
    name: str,
    by: Actor,
    kind: str = "",
    scope: Scope | None = None,
) -> RequestFile:
    """Store ``content`` (a binary file: an upload, an open file) on ``request``.

    Raises ValidationError naming ``file`` for a type the purpose does not accept, an
    empty or too large file, or an image that cannot be read; ``purpose``, ``kind`` or
    ``scope`` for links that do not fit the request.
    """
    _check_links(request, purpose, kind, scope)
    keyring = file_keyring()
    storage = files_storage()
    limit = max_bytes(purpose)
    declared = getattr(content, "size", None)
    if isinstance(declared, int) and declared > limit:
        raise _too_large(purpose, limit)
    # A form may have read the upload already.
    if getattr(content, "seekable", lambda: False)():
        content.seek(0)
    head = read_upto(content.read, sniffing.SNIFF_BYTES)
    content_type, text_encoding = _accepted_type(purpose, head)
    data_key = new_data_key()
    with contextlib.ExitStack() as cleanup:
        plaintext: Iterable[bytes] = itertools.chain([head], iter_chunks(content))
        meter_limit: int | None = limit
        if content_type in sniffing.IMAGE_TYPES:
            stripped = cleanup.enter_context(_stripped(plaintext, content_type, purpose, limit))
            plaintext = iter_chunks(stripped)
            # The limit applied to what was given; the image written again is what is kept.
            meter_limit = None
        meter = Meter(plaintext, limit=meter_limit, text_encoding=text_encoding)
        stored_name = _save_encrypted(storage, data_key, meter, purpose, limit)
    try:
        with transaction.atomic():
            row = RequestFile.objects.create(
                request=request,
                purpose=purpose,
                kind=kind,
                scope=scope,
                name=sniffing.display_name(name),
                size=meter.size,
                sha256=meter.sha256,
                content_type=content_type,
                storage_name=stored_name,
                key_id=keyring.current.id,
                wrapped_key=wrap_data_key(keyring.current, data_key),
                created_at=timezone.now(),
                created_by_type=by.type,
                created_by_user=by.user,
                created_by_label=by.label,
            )
            event_record(request, by, EventType.FILE_ADDED, **file_facts(row))
            return row
    except BaseException:
        _discard(storage, stored_name)
        raise


def file_facts(row: RequestFile) -> dict[str, Any]:
    """What the trail keeps of a file: enough to prove which content it was (its SHA-256),
    never the content."""
    return {
        "file_id": row.pk,
        "name": row.name,
        "size": row.size,
        "sha256": row.sha256,
        "purpose": row.purpose,
        "kind": row.kind,
        "scope": row.scope.key if row.scope is not None else "",
    }


def _save_encrypted(storage: Any, data_key: bytes, meter: Meter, purpose: str, limit: int) -> str:
    wanted_name = new_storage_name()
    try:
        return str(
            storage.save(
                wanted_name, File(cast(IO[bytes], IterStream(encrypt_chunks(data_key, meter))))
            )
        )
    except TooLarge:
        _discard(storage, wanted_name)
        raise _too_large(purpose, limit) from None
    except NotText:
        _discard(storage, wanted_name)
        raise _file_error(
            "The file begins as text but holds binary data further on; it is not accepted.",
            "type",
        ) from None
    except BaseException:
        _discard(storage, wanted_name)
        raise


def _stripped(plaintext: Any, content_type: str, purpose: str, limit: int) -> IO[bytes]:
    try:
        source = _spool(plaintext, limit)
    except TooLarge:
        raise _too_large(purpose, limit) from None
    with source:
        try:
            return strip_metadata(source, content_type)
        except UnreadableImage as error:
            raise _file_error(str(error), "image") from None


def _spool(pieces: Any, limit: int) -> IO[bytes]:
    spool = tempfile.SpooledTemporaryFile(max_size=MB)  # noqa: SIM115 (returned open)
    size = 0
    for piece in pieces:
        size += len(piece)
        if size > limit:
            spool.close()
            raise TooLarge(limit)
        spool.write(piece)
    spool.seek(0)
    return spool


def _discard(storage: Any, name: str) -> None:
    """Remove what a failed store left; an object left behind cannot be opened anyway,
    its data key having never been kept."""
    try:
        storage.delete(name)
    except Exception:
        logger.exception("Could not remove the partly stored object %s", name)
