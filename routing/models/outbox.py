"""Every email the service sends, stored before it is sent: the evidence a notice went out."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from routing.models.requests import Request, Route


class MessageStatus(models.TextChoices):
    QUEUED = "queued", "queued"
    SENDING = "sending", "sending"
    SENT = "sent", "sent"
    FAILED = "failed", "failed"
    DELIVERED = "delivered", "delivered"
    BOUNCED = "bounced", "bounced"


class OutboundMessage(models.Model):
    request = models.ForeignKey(
        Request, null=True, blank=True, on_delete=models.PROTECT, related_name="messages"
    )
    route = models.ForeignKey(
        Route, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    template = models.CharField(max_length=64)
    # Unique: a notice scheduled twice (a sweep run twice, a retried task) is stored once.
    dedup_key = models.CharField(max_length=200, unique=True)
    recipient = models.EmailField()
    language = models.CharField(max_length=8, default="en")
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    provider_message_id = models.CharField(max_length=200, blank=True, db_index=True)
    created_at = models.DateTimeField()
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sending_since = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            # The relay reads only messages still to send.
            models.Index(
                fields=["next_attempt_at"],
                name="message_unsent_idx",
                condition=Q(status__in=["queued", "sending"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template} to {self.recipient} ({self.status})"
