"""Print a request's legal dates and the reasons for each, as JSON."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from routing.clock import KINDS, REGIMES, ClockInput, compute_deadlines
from routing.models import Organisation
from routing.selectors.deadlines import clock_input_for

# ClockInput's field names, as the options that carry them.
_OPTION_FOR_FIELD = {
    "regime": "--regime",
    "timezone": "--timezone",
    "received_at": "--received",
    "country": "--country",
    "subdivision": "--subdivision",
    "kind": "--kind",
    "paused_days": "--paused-days",
}


def _bad(option: str, message: str) -> CommandError:
    return CommandError(f"{option}: {message}", returncode=2)


class Command(BaseCommand):
    help = "Compute the deadlines of a request received at an instant (nothing is stored)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--organisation", metavar="SLUG", help="zone, calendar, promises")
        parser.add_argument("--regime", help=f"one of: {', '.join(REGIMES)}")
        parser.add_argument("--timezone", help="IANA zone, e.g. Europe/Paris")
        parser.add_argument("--country", help="holiday calendar, ISO 3166-1 alpha-2")
        parser.add_argument("--subdivision", help="holiday subdivision, e.g. ENG or CA")
        parser.add_argument("--received", required=True, help="ISO 8601 instant with offset")
        parser.add_argument("--paused-days", type=int, default=0)
        parser.add_argument("--kind", help=f"one of: {', '.join(KINDS)}")
        parser.add_argument("--json", action="store_true", help="JSON on stdout (the default)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            received_at = datetime.fromisoformat(options["received"])
        except ValueError:
            raise _bad(
                "--received", "not an ISO 8601 instant, e.g. 2026-01-31T10:00:00+00:00"
            ) from None
        if received_at.tzinfo is None:
            raise _bad("--received", "give the offset, e.g. 2026-01-31T10:00:00+00:00")
        try:
            clock = self._clock_input(options, received_at)
            deadlines = compute_deadlines(clock)
        except ValueError as error:
            field, _, message = str(error).partition(": ")
            option = _OPTION_FOR_FIELD.get(field)
            if option is None:
                raise CommandError(str(error), returncode=2) from None
            raise _bad(option, message) from None
        self.stdout.write(json.dumps(deadlines.as_json(), indent=2, ensure_ascii=False))

    def _clock_input(self, options: dict[str, Any], received_at: datetime) -> ClockInput:
        if options["paused_days"] < 0:
            raise _bad("--paused-days", "must be 0 or more")
        slug = options["organisation"]
        if slug:
            organisation = Organisation.objects.filter(slug=slug).first()
            if organisation is None:
                valid = ", ".join(Organisation.objects.values_list("slug", flat=True))
                raise _bad("--organisation", f"unknown organisation {slug!r} (valid: {valid})")
            return clock_input_for(
                organisation,
                received_at=received_at,
                regime=options["regime"],
                kind=options["kind"],
                paused_days=options["paused_days"],
            )
        for option in ("regime", "timezone"):
            if not options[option]:
                raise _bad(f"--{option}", "required unless --organisation is given")
        return ClockInput(
            regime=options["regime"],
            timezone=options["timezone"],
            received_at=received_at,
            country=options["country"],
            subdivision=options["subdivision"],
            kind=options["kind"],
            paused_days=options["paused_days"],
        )
