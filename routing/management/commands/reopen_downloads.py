"""Reopen the download of a request's answer package, once, for a new window."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from routing.models import Request
from routing.services.actors import Actor
from routing.services.downloads import DownloadsRefused, download_days, downloads_reopen


class Command(BaseCommand):
    help = (
        "Open the download of a request's answer package again, for DSAR_DOWNLOAD_DAYS days. "
        "Allowed once per request, with the response files on the request."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("reference")
        parser.add_argument("--user", help="The member of staff who asks (for the trail).")

    def handle(self, *args: Any, **options: Any) -> None:
        request = Request.objects.filter(reference=options["reference"]).first()
        if request is None:
            raise CommandError(f"reference: no request {options['reference']!r}", returncode=2)
        by = Actor.system("reopen_downloads")
        if options["user"]:
            User = get_user_model()
            user = User._default_manager.filter(**{User.USERNAME_FIELD: options["user"]}).first()
            if user is None:
                raise CommandError(f"user: no user {options['user']!r}", returncode=2)
            by = Actor.staff(user)
        try:
            window = downloads_reopen(request=request, by=by)
        except DownloadsRefused as refused:
            raise CommandError(refused.message, returncode=1) from None
        self.stdout.write(
            f"{request.reference}: downloads open until {window.open_until:%Y-%m-%d %H:%M %Z} "
            f"({download_days()} days); the subject is told by email."
        )
