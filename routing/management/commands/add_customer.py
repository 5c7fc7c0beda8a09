"""Add a customer of an organisation from a script; prints the new customer's id."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from routing.models import Customer, Organisation
from routing.services.registry import customer_create


class Command(BaseCommand):
    help = "Add a customer (the controller for an organisation's processor scopes)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--organisation", required=True, metavar="SLUG")
        parser.add_argument("--name", required=True)
        parser.add_argument("--email", default="")
        for kind in ("phone", "website", "whatsapp"):
            parser.add_argument(f"--{kind}", action="append", default=[], help="repeatable")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            valid = ", ".join(Organisation.objects.values_list("slug", flat=True))
            raise CommandError(
                f"--organisation: unknown organisation {options['organisation']!r} "
                f"(valid: {valid})",
                returncode=2,
            )
        identifiers = [
            (kind, value) for kind in ("phone", "website", "whatsapp") for value in options[kind]
        ]
        try:
            customer = customer_create(
                organisation=organisation,
                name=options["name"],
                email=options["email"],
                identifiers=identifiers,
                source=Customer.Source.SCRIPT,
            )
        except ValidationError as error:
            problems = "; ".join(
                f"--{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
            )
            raise CommandError(problems, returncode=2) from None
        self.stdout.write(str(customer.pk))
