"""Reset a member of staff's lost second factor: they enrol a new one at their next sign-in."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from routing.services.second_factor import second_factor_reset


class Command(BaseCommand):
    help = (
        "Remove a user's authenticator apps and recovery codes and lift their lockout; "
        "their next sign-in asks them to set up a new second factor."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        User = get_user_model()
        user = User._default_manager.filter(**{User.USERNAME_FIELD: options["username"]}).first()
        if user is None:
            raise CommandError(f"username: no user {options['username']!r}", returncode=2)
        removed = second_factor_reset(user=user)
        self.stdout.write(
            f"{user.get_username()}: {removed} device(s) removed; a new second factor is set "
            "up at the next sign-in."
        )
