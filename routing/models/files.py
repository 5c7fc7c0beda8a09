"""Files on a request: answer packages, proofs of identity and correspondence.

The row holds what staff and the subject are shown (the name given, the size, the type)
and what opens the stored object (the data key, wrapped by a master key, and that key's
id). The stored object is encrypted and named at random (routing.files.crypto), so the
storage alone tells nothing about whom a file concerns. A deleted file keeps its row,
sha256 and metadata as evidence of what was held; its wrapped key is erased with it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from routing.models.registry import Scope
from routing.models.requests import ActorType, Request


class FilePurpose(models.TextChoices):
    RESPONSE = "response", "answer package"
    IDENTITY = "identity", "proof of identity"
    CORRESPONDENCE = "correspondence", "correspondence"


class RequestFile(models.Model):
    request = models.ForeignKey(Request, on_delete=models.PROTECT, related_name="files")
    purpose = models.CharField(max_length=16, choices=FilePurpose.choices)
    # The part (one kind of the request) it answers or concerns; empty for the whole request.
    kind = models.CharField(max_length=32, blank=True)
    scope = models.ForeignKey(
        Scope, null=True, blank=True, on_delete=models.PROTECT, related_name="files"
    )
    name = models.CharField(max_length=255, help_text="The name it was given, as shown.")
    size = models.PositiveBigIntegerField(help_text="Bytes of the content (not the stored object).")
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=100, help_text="Found from the content.")
    storage_name = models.CharField(max_length=255, unique=True)
    key_id = models.CharField(max_length=32, help_text="The master key that wraps the data key.")
    wrapped_key = models.BinaryField(max_length=128, editable=False)
    created_at = models.DateTimeField(db_index=True)
    created_by_type = models.CharField(max_length=16, choices=ActorType.choices)
    created_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by_label = models.CharField(max_length=200, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by_type = models.CharField(max_length=16, choices=ActorType.choices, blank=True)
    deleted_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    deleted_by_label = models.CharField(max_length=200, blank=True)
    deleted_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["request", "created_at", "id"]
        indexes = [
            models.Index(fields=["request", "purpose"], name="request_file_purpose_idx"),
            # Rotation finds the live files not yet under the current master key.
            models.Index(
                fields=["key_id"], name="request_file_live_key", condition=models.Q(deleted_at=None)
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(purpose__in=FilePurpose.values), name="request_file_purpose"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id}/{self.purpose}/{self.pk}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None
