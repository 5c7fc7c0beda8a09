"""Rows the service writes about itself, so operators can see its parts are alive."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Heartbeat(models.Model):
    """Last time a periodic job ran; beat schedules it and a worker writes it."""

    source = models.CharField(max_length=64, unique=True)
    seen_at = models.DateTimeField()
    worker = models.CharField(max_length=255, blank=True)

    def __str__(self) -> str:
        return f"{self.source} at {self.seen_at:%Y-%m-%d %H:%M:%S}"


class WorkerCheck(models.Model):
    """A round trip web → broker → worker → database that staff can trigger."""

    requested_at = models.DateTimeField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=255, blank=True)

    def __str__(self) -> str:
        state = "completed" if self.completed_at else "pending"
        return f"worker check {self.pk} ({state})"
