"""Prepare a local run: migrate, make sure an admin exists, load the registry."""

from __future__ import annotations

import os
import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Migrate, create the first admin account and load the registry for a local run."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--base-url", default="http://127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database migrated.")
        self._ensure_admin()
        if "load_registry" in _command_names():
            call_command("load_registry", demo=True, stdout=self.stdout)
        base = options["base_url"].rstrip("/")
        self.stdout.write("")
        self.stdout.write(f"  Intake form  {base}/")
        self.stdout.write(f"  Admin        {base}/admin/")
        self.stdout.write(f"  Dashboard    {base}/dashboard/")
        self.stdout.write(f"  API docs     {base}/api/docs/")
        self.stdout.write(f"  Health       {base}/healthz")
        self.stdout.write("")

    def _ensure_admin(self) -> None:
        user_model = get_user_model()
        username = os.environ.get("DSAR_ADMIN_USERNAME", "admin")
        if user_model.objects.filter(username=username).exists():
            self.stdout.write(
                f"Admin account {username!r} exists (its password was printed when it was made)."
            )
            return
        password = os.environ.get("DSAR_ADMIN_PASSWORD") or secrets.token_urlsafe(12)
        email = os.environ.get("DSAR_ADMIN_EMAIL", "admin@localhost")
        user_model.objects.create_superuser(username=username, email=email, password=password)
        if "DSAR_ADMIN_PASSWORD" in os.environ:
            self.stdout.write(f"Admin account {username!r} created with DSAR_ADMIN_PASSWORD.")
        else:
            self.stdout.write(
                self.style.WARNING(
                    f"Admin account created. User: {username}  Password: {password}\n"
                    "This password is shown once; change it in the admin."
                )
            )


def _command_names() -> set[str]:
    from django.core.management import get_commands

    return set(get_commands())
