"""API clients (ticketing systems), their idempotency records and webhook deliveries."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q

from routing.models.registry import Organisation
from routing.models.requests import Request
from routing.signatures import webhook_secret_validate


class Integration(models.Model):
    """An API client of one or more organisations. Its token is stored hashed."""

    name = models.CharField(max_length=200, unique=True)
    organisations = models.ManyToManyField(Organisation, related_name="integrations")
    can_write = models.BooleanField(default=True)
    # The first characters of the token, shown so staff can tell tokens apart.
    token_prefix = models.CharField(max_length=16, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    webhook_url = models.URLField(blank=True)
    # Room for the standard form of the longest secret stored before it (128 characters).
    webhook_secret = models.CharField(
        max_length=200,
        blank=True,
        validators=[webhook_secret_validate],
        help_text="whsec_ and the base64 of 24 to 64 random bytes; left blank, one is generated.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class IdempotencyRecord(models.Model):
    """The first response to a create with an Idempotency-Key, replayed for repeats."""

    integration = models.ForeignKey(Integration, on_delete=models.CASCADE)
    key = models.CharField(max_length=200)
    fingerprint = models.CharField(max_length=64, help_text="sha256 of the request body")
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["integration", "key"], name="idempotency_unique")
        ]

    def __str__(self) -> str:
        return f"{self.integration_id}:{self.key}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "pending"
    DELIVERED = "delivered", "delivered"
    FAILED = "failed", "failed"


class WebhookDelivery(models.Model):
    """One event for one integration's webhook; retried until delivered or given up."""

    integration = models.ForeignKey(
        Integration, on_delete=models.CASCADE, related_name="deliveries"
    )
    request = models.ForeignKey(
        Request, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    event_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event_type = models.CharField(max_length=40)
    payload = models.JSONField()
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(db_index=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="delivery_pending_idx",
                condition=Q(status="pending"),
            ),
            models.Index(fields=["integration", "request", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} → {self.integration} ({self.status})"
