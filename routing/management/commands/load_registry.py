"""Load the organisations, scopes and third parties shipped in routing/registry_data/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from routing.planning import RegistryFileError, load_demo_customers, load_registry_files
from routing.services.registry import registry_load


class Command(BaseCommand):
    help = (
        "Create and update the registry from its files. Idempotent; never deletes rows, so "
        "customers and scopes that staff added stay."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--directory", type=Path, help="registry files (default: shipped)")
        parser.add_argument(
            "--demo",
            action="store_true",
            help="also load the fictional demo customers (refused when DJANGO_DEBUG=false)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["demo"] and not settings.DEBUG:
            raise CommandError("Demo customers are never loaded in production.", returncode=2)
        try:
            files = load_registry_files(options["directory"])
            demo = load_demo_customers(options["directory"]) if options["demo"] else ()
        except RegistryFileError as error:
            raise CommandError(str(error), returncode=2) from None
        report = registry_load(files=files, demo_customers=demo)
        for line in report.created:
            self.stdout.write(f"created {line}")
        for line in report.updated:
            self.stdout.write(f"updated {line}")
        self.stdout.write(f"Registry loaded: {report.summary()}")
