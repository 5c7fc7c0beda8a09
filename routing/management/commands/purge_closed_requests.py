"""Purge the personal data of requests closed longer ago than DSAR_RETENTION_DAYS."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from routing.services.retention import purge_closed_requests, purge_cutoff, requests_due_for_purge


class Command(BaseCommand):
    help = (
        "Blank the subject's data, stored emails and audit-trail text of requests closed more "
        "than DSAR_RETENTION_DAYS days ago. Idempotent; beat runs it daily."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="count the requests due, change nothing"
        )
        parser.add_argument(
            "--batch-size", type=int, default=500, help="requests per transaction (default 500)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size: give at least 1.", returncode=2)
        days = settings.DSAR_RETENTION_DAYS
        if options["dry_run"]:
            count = requests_due_for_purge().count()
            self.stdout.write(
                f"{count} request(s) closed before {purge_cutoff():%Y-%m-%d %H:%M} UTC "
                f"({days} days) would be purged; nothing was changed."
            )
            return
        count = purge_closed_requests(batch_size=options["batch_size"])
        self.stdout.write(f"Purged {count} request(s) closed more than {days} days ago.")
