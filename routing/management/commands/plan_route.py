"""Print the routing plan for a request's facts; nothing is stored."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from routing.identifiers import InvalidIdentifier
from routing.planning import PlanningError
from routing.selectors.planning import plan_for
from routing.selectors.registry import DatabaseRegistry


class Command(BaseCommand):
    help = "Show who must answer each part of a request (the planner; nothing is stored)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--organisation", required=True, metavar="SLUG")
        parser.add_argument("--kind", action="append", required=True, metavar="KIND")
        parser.add_argument("--scope", action="append", metavar="KEY")
        parser.add_argument("--phone")
        parser.add_argument("--website")
        parser.add_argument("--whatsapp")
        parser.add_argument("--json", action="store_true", help="JSON on stdout")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            plan = plan_for(
                DatabaseRegistry(),
                organisation=options["organisation"],
                kinds=options["kind"],
                scopes=options["scope"],
                raw_identifiers={k: options[k] for k in ("phone", "website", "whatsapp")},
            )
        except (PlanningError, InvalidIdentifier) as error:
            raise CommandError(f"--{error.field}: {_message(error)}", returncode=2) from None
        if options["json"]:
            self.stdout.write(json.dumps(plan.as_json(), indent=2, ensure_ascii=False))
            return
        for route in plan.routes:
            target = route.target.name or "unresolved"
            self.stdout.write(f"{route.scope}: {route.action} → {target}")
            self.stdout.write(f"  {route.explanation}")
            for task in route.tasks:
                self.stdout.write(f"  task: {task.text}")


def _message(error: PlanningError | InvalidIdentifier) -> str:
    if isinstance(error, PlanningError) and error.valid:
        return f"{error.message} (valid: {', '.join(error.valid)})"
    return error.message
