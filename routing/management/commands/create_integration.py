"""Create an API integration and print its token (shown this once; only its hash is kept)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from routing.models import Organisation
from routing.services.integrations import integration_create


class Command(BaseCommand):
    help = "Create an API client of one or more organisations; prints its token on the last line."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--name", required=True)
        parser.add_argument(
            "--organisation", action="append", required=True, metavar="SLUG",
            help="an organisation it may see; repeat for several",
        )  # fmt: skip
        parser.add_argument("--read-only", action="store_true", help="no write permission")
        parser.add_argument("--webhook-url", default="", metavar="URL")

    def handle(self, *args: Any, **options: Any) -> None:
        slugs = list(dict.fromkeys(options["organisation"]))
        organisations = list(Organisation.objects.filter(slug__in=slugs))
        unknown = sorted(set(slugs) - {o.slug for o in organisations})
        if unknown:
            valid = ", ".join(Organisation.objects.order_by("slug").values_list("slug", flat=True))
            raise CommandError(
                f"--organisation: unknown {', '.join(unknown)} (valid: {valid})", returncode=2
            )
        try:
            created = integration_create(
                name=options["name"],
                organisations=organisations,
                can_write=not options["read_only"],
                webhook_url=options["webhook_url"],
            )
        except ValidationError as error:
            field, messages = next(iter(error.message_dict.items()))
            option = {"__all__": "name", "organisations": "organisation"}.get(field, field)
            raise CommandError(
                f"--{option.replace('_', '-')}: {' '.join(messages)}", returncode=2
            ) from None
        integration = created.integration
        access = "read and write" if integration.can_write else "read only"
        self.stdout.write(
            f"Integration {integration.name!r} ({access}) for {', '.join(slugs)}, "
            f"token prefix {integration.token_prefix}."
        )
        if integration.webhook_url:
            self.stdout.write(
                f"Webhook secret (store it with the receiver): {integration.webhook_secret}"
            )
        self.stdout.write("The token is shown once, on the next line:")
        self.stdout.write(created.token)
