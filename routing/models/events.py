"""The append-only audit trail, and the types of event written to it.

Every type has a row in the consequences table (routing.services.consequences), which
derives the emails and webhooks each event causes.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from routing.models.requests import ActorType, Request


class EventType(models.TextChoices):
    # The request
    RECEIVED = "received", "received"
    GPC_SIGNAL = "gpc_signal", "Global Privacy Control signal"
    DUPLICATE_SUSPECTED = "duplicate_suspected", "possible duplicate"
    VERIFIED = "verified", "verified"
    ASSIGNED = "assigned", "assigned"
    PAUSED = "paused", "clock paused"
    RESUMED = "resumed", "clock resumed"
    EXTENDED = "extended", "extended"
    REGIME_OVERRIDDEN = "regime_overridden", "regime overridden"
    COMPLETED = "completed", "completed"
    DENIED = "denied", "denied"
    WITHDRAWN = "withdrawn", "withdrawn"
    MARKED_DUPLICATE = "marked_duplicate", "closed as duplicate"
    EXPIRED = "expired", "expired"
    PURGED = "purged", "personal data purged"
    NOTE = "note", "note"
    ROUTES_PLANNED = "routes_planned", "routes planned again"
    # Its routes
    ROUTE_SENT = "route_sent", "route sent"
    ROUTE_ACKNOWLEDGED = "route_acknowledged", "route acknowledged"
    ROUTE_DONE = "route_done", "route done"
    ROUTE_NOT_APPLICABLE = "route_not_applicable", "route not applicable"
    ROUTE_CUSTOMER_SET = "route_customer_set", "route's customer set"
    ROUTE_FOLLOWED_UP = "route_followed_up", "customer reminded"
    # Its files (answer packages, proofs of identity, correspondence)
    FILE_ADDED = "file_added", "file added"
    FILE_DELETED = "file_deleted", "file deleted"
    FILE_VIEWED = "file_viewed", "file viewed"
    ANSWER_READY = "answer_ready", "answer ready to download"
    DOWNLOAD_CODE_SENT = "download_code_sent", "download code sent"
    FILE_DOWNLOADED = "file_downloaded", "file downloaded"
    DOWNLOADS_EXPIRED = "downloads_expired", "downloads closed"
    DOWNLOADS_REOPENED = "downloads_reopened", "downloads reopened"
    # Recipients of the data told of an erasure, rectification or restriction (Art. 19)
    RECIPIENTS_NOTIFIED = "recipients_notified", "recipients notified"
    RECIPIENT_ACKNOWLEDGED = "recipient_acknowledged", "recipient acknowledged"
    RECIPIENT_TOLD_BY_STAFF = "recipient_told_by_staff", "recipient told by staff"
    RECIPIENT_FOLLOWED_UP = "recipient_followed_up", "recipient reminded"
    # Deadlines and delivery
    REMINDER_DUE = "reminder_due", "staff reminded"
    DIGEST_DUE = "digest_due", "daily digest"
    DUE_SOON = "due_soon", "due soon"
    OVERDUE = "overdue", "overdue"
    STAFF_TASK = "staff_task", "task for staff"
    EMAIL_FAILED = "email_failed", "email failed"


class EventQuerySet(models.QuerySet["Event"]):
    def update(self, **kwargs: Any) -> int:
        raise TypeError("Events are append-only.")


class Event(models.Model):
    """One entry of a request's audit trail. Never changed; kept (without personal
    data) after the retention purge."""

    request = models.ForeignKey(Request, on_delete=models.PROTECT, related_name="events")
    created_at = models.DateTimeField(db_index=True)
    actor_type = models.CharField(max_length=16, choices=ActorType.choices)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    actor_label = models.CharField(max_length=200, blank=True)
    type = models.CharField(max_length=40)
    data = models.JSONField(default=dict, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["request", "created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.type}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise TypeError("Events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("Events are append-only.")
