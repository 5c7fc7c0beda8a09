"""Delivering the answer package to the subject: the window it can be downloaded in, and
the one-time codes, emailed to the subject, that open it.

A code is stored only as a keyed hash: six digits are too few for a plain digest to hide
them from whoever reads a copy of the database.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from routing.models.requests import Request

# Wrong entries a code allows before the form locks until a new code is asked for.
CODE_MAX_ATTEMPTS = 5


class DownloadWindow(models.Model):
    request = models.OneToOneField(
        Request, on_delete=models.CASCADE, related_name="download_window"
    )
    opened_at = models.DateTimeField()
    open_until = models.DateTimeField()
    # When the sweep closed it and deleted the files; empty while open.
    closed_at = models.DateTimeField(null=True, blank=True)
    # Staff may reopen delivery once.
    reopened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # The expiry sweep reads only the windows still open.
            models.Index(
                fields=["open_until"],
                name="download_window_open_idx",
                condition=models.Q(closed_at=None),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} until {self.open_until:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None and self.open_until > timezone.now()

    @property
    def downloads_reopened(self) -> bool:
        return self.reopened_at is not None


class DownloadCode(models.Model):
    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="download_codes")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["request", "-created_at", "-id"]
        indexes = [models.Index(fields=["request", "-created_at"], name="download_code_latest_idx")]

    def __str__(self) -> str:
        return f"{self.request_id} at {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_locked(self) -> bool:
        return self.attempts >= CODE_MAX_ATTEMPTS

    @property
    def attempts_left(self) -> int:
        return max(CODE_MAX_ATTEMPTS - self.attempts, 0)
