"""The parts of a request: one per kind, each with its own dates and outcome.

A CCPA deletion and an opt-out of sale in one request run on different clocks (45 days
and 15 business days) and can end differently; the request's own dates are those of its
earliest open part, kept on the request so the queue stays one indexed query.
"""

from __future__ import annotations

from datetime import date

from django.db import models

from routing.models.requests import Request


class PartStatus(models.TextChoices):
    OPEN = "open", "open"
    DONE = "done", "done"
    REFUSED = "refused", "refused"
    # Ended without an answer: the request was withdrawn, merged into another or expired.
    CLOSED = "closed", "closed"


class RequestPart(models.Model):
    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="parts")
    kind = models.CharField(max_length=32)
    position = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=16, choices=PartStatus.choices, default=PartStatus.OPEN)
    acknowledge_by = models.DateField(null=True, blank=True)
    due_on = models.DateField()
    # The latest date an extension could give (None where the regime allows none).
    extendable_to = models.DateField(null=True, blank=True)
    extended_at = models.DateTimeField(null=True, blank=True)
    extension_reason = models.TextField(blank=True)
    effective_due_on = models.DateField()
    closed_at = models.DateTimeField(null=True, blank=True)
    denial_ground = models.CharField(max_length=40, blank=True)
    explanation = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["request", "position"]
        constraints = [
            models.UniqueConstraint(fields=["request", "kind"], name="request_part_kind_unique")
        ]

    def __str__(self) -> str:
        return f"{self.request_id}/{self.kind}"

    @property
    def is_open(self) -> bool:
        return self.status == PartStatus.OPEN

    @property
    def extended_due_on(self) -> date | None:
        """The extended date once extended; None before (it is not a promise yet)."""
        return self.extendable_to if self.extended_at else None
