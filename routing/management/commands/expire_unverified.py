"""Expire requests their subject never confirmed within DSAR_UNVERIFIED_EXPIRY_DAYS."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from routing.services.expiry import expire_unverified_requests, requests_due_for_expiry


class Command(BaseCommand):
    help = (
        "Close as expired, and erase the personal data of, requests still unverified "
        "DSAR_UNVERIFIED_EXPIRY_DAYS days after receipt. Idempotent; beat runs it hourly."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="count the requests due, change nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days = settings.DSAR_UNVERIFIED_EXPIRY_DAYS
        if options["dry_run"]:
            count = requests_due_for_expiry().count()
            self.stdout.write(
                f"{count} request(s) unverified for more than {days} days would expire; "
                "nothing was changed."
            )
            return
        count = expire_unverified_requests()
        self.stdout.write(f"Expired {count} request(s) unverified for more than {days} days.")
