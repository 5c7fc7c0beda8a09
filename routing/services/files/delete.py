"""Deleting a file: the stored object goes, the row stays as evidence of what was held."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from routing.models import EventType, RequestFile
from routing.services.actors import Actor
from routing.services.consequences import event_record
from routing.services.files.config import files_storage
from routing.services.files.store import file_facts

logger = logging.getLogger(__name__)


def file_delete(*, file: RequestFile, by: Actor, reason: str) -> RequestFile:
    """Mark the file deleted (who, when, why), erase its wrapped data key, and delete the
    stored object once that is committed. The name, size, type and SHA-256 remain.
    Deleting a deleted file changes nothing."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the file is deleted."})
    with transaction.atomic():
        row = (
            RequestFile.objects.select_for_update(of=("self",))
            .select_related("request", "scope")
            .get(pk=file.pk)
        )
        if row.is_deleted:
            return row
        row.deleted_at = timezone.now()
        row.deleted_by_type = by.type
        row.deleted_by_user = by.user
        row.deleted_by_label = by.label
        row.deleted_reason = reason[:300]
        # Without its data key the object cannot be opened, even from a backup of the
        # storage or if deleting it below fails.
        row.wrapped_key = b""
        row.save(
            update_fields=[
                "deleted_at",
                "deleted_by_type",
                "deleted_by_user",
                "deleted_by_label",
                "deleted_reason",
                "wrapped_key",
            ]
        )
        event_record(
            row.request, by, EventType.FILE_DELETED, reason=row.deleted_reason, **file_facts(row)
        )
        # After the commit: a rolled-back deletion must still find its object.
        transaction.on_commit(lambda: _delete_object(row.storage_name))
    return row


def _delete_object(name: str) -> None:
    try:
        files_storage().delete(name)
    except Exception:
        logger.exception("Could not delete stored object %s; its key is already erased", name)
