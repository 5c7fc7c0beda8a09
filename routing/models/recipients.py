"""Recipients of an organisation's data, and the notices that tell them of a subject's
erasure, rectification or restriction (GDPR Art. 19; CCPA §1798.105(c)(1) for service
providers and contractors)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from routing.models.registry import Organisation, Scope
from routing.models.requests import Request
from routing.planning.specs import RECIPIENT_ROLES

RECIPIENT_ROLE_CHOICES = [(role, role) for role in RECIPIENT_ROLES]


class Recipient(models.Model):
    """A subprocessor or other recipient of the data of some of an organisation's scopes."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="recipients"
    )
    slug = models.SlugField(max_length=64)
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=16, choices=RECIPIENT_ROLE_CHOICES)
    purpose = models.CharField(max_length=300, blank=True)
    scopes = models.ManyToManyField(Scope, related_name="recipients")
    privacy_email = models.EmailField(
        blank=True,
        help_text="Where notices go (from the recipient's data processing terms). Empty: each "
        "notice becomes a task for staff.",
    )
    contact_problem = models.TextField(
        blank=True, help_text="Why the address is missing or doubtful, shown to staff."
    )
    source = models.CharField(max_length=300, blank=True, help_text="Where the policy names it.")

    class Meta:
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="recipient_unique")
        ]

    def __str__(self) -> str:
        return self.name


class NoticeStatus(models.TextChoices):
    SENT = "sent", "sent"
    ACKNOWLEDGED = "acknowledged", "acknowledged"
    # No address to send to: staff tell the recipient another way and mark it done.
    NO_CONTACT = "no_contact", "no contact: staff task"
    DONE_BY_STAFF = "done_by_staff", "told by staff"


class RecipientNotice(models.Model):
    """One recipient told of one change to a request's data: which scopes, which kinds."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="recipient_notices")
    # Kept when the registry row goes: the notice says who was told, by name.
    recipient = models.ForeignKey(
        Recipient, null=True, blank=True, on_delete=models.SET_NULL, related_name="notices"
    )
    recipient_name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    scope_keys = models.JSONField(default=list)
    kinds = models.JSONField(default=list)
    status = models.CharField(max_length=16, choices=NoticeStatus.choices)
    created_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    follow_ups = models.PositiveSmallIntegerField(default=0)
    next_follow_up_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["request", "id"]
        indexes = [
            models.Index(
                fields=["next_follow_up_at"],
                name="recipient_notice_follow_up_idx",
                condition=Q(status="sent"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.recipient_name}: {self.status}"
