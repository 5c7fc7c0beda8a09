"""What receiving a request would do, before it is stored: the planner's routes and the
clock's dates for the facts staff typed in (a letter, a call, an email).

It reads what ``request_receive`` reads, the same way: identifiers normalised with the
organisation's country, the subject's phone as the phone identifier when no other is
given, the regime chosen from the organisation and the subject's country, then the clock
on a request that is not saved. Saving then stores these routes and these dates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from routing.clock import REGIMES, applicable_regime
from routing.identifiers import normalise_phone
from routing.models import Organisation, Request, RouteAction
from routing.selectors.deadlines import request_deadlines
from routing.selectors.planning import plan_for
from routing.selectors.registry import DatabaseRegistry


@dataclass(frozen=True)
class PreviewRoute:
    scope_key: str
    scope_name: str
    action: str
    target_type: str
    target_name: str
    target_email: str
    matched_by: str
    explanation: str
    tasks: tuple[str, ...]
    due_on: date


@dataclass(frozen=True)
class KindDue:
    kind: str
    due_on: date

    @property
    def label(self) -> str:
        return self.kind.replace("_", " ")


@dataclass(frozen=True)
class ReceiptPreview:
    organisation: Organisation
    received_at: datetime
    regime: str
    regime_reason: str
    received_on: date
    acknowledge_by: date | None
    due_on: date
    forward_due_on: date
    kinds: tuple[KindDue, ...]
    routes: tuple[PreviewRoute, ...]
    explanation: tuple[str, ...]

    @property
    def regime_name(self) -> str:
        return REGIMES[self.regime].short_name


def receipt_preview(
    *,
    organisation: Organisation,
    kinds: Sequence[str],
    scopes: Sequence[str] | None,
    identifiers: Mapping[str, str | None],
    subject_phone: str = "",
    subject_country: str = "",
    subject_region: str = "",
    received_at: datetime,
) -> ReceiptPreview:
    """Raises PlanningError or InvalidIdentifier naming the field, as the planner does."""
    registry = DatabaseRegistry([organisation.slug])
    raw = {key: value for key, value in identifiers.items() if value}
    if subject_phone and not raw.get("phone"):
        raw["phone"] = normalise_phone(
            subject_phone, default_region=subject_country or organisation.country or None
        ).e164
    plan = plan_for(
        registry,
        organisation=organisation.slug,
        kinds=kinds,
        scopes=scopes or None,
        raw_identifiers=raw,
    )
    regime, reason = applicable_regime(
        organisation_country=organisation.country or None,
        organisation_default_regime=organisation.default_regime,
        subject_country=subject_country or None,
        subject_region=subject_region or None,
    )

    def unsaved(kinds: list[str]) -> Request:
        return Request(
            organisation=organisation,
            regime=regime,
            regime_reason=reason,
            received_at=received_at,
            kinds=kinds,
        )

    binding = request_deadlines(unsaved(list(plan.kinds)))
    per_kind = [(kind, request_deadlines(unsaved([kind]))) for kind in plan.kinds]
    forward_due_on = min((d.forward_due_on for _, d in per_kind), default=binding.forward_due_on)
    rows = registry.snapshot.scope_rows
    routes = tuple(
        PreviewRoute(
            scope_key=decision.scope,
            scope_name=rows[decision.scope].name,
            action=decision.action,
            target_type=decision.target.type,
            target_name=decision.target.name or "",
            target_email=decision.target.email or "",
            matched_by=decision.matched_by,
            explanation=decision.explanation,
            tasks=tuple(task.text for task in decision.tasks),
            # As the stored routes: a fulfilled part is due with the request, a forward
            # or a redirect "without delay".
            due_on=binding.due_on if decision.action == RouteAction.FULFIL else forward_due_on,
        )
        for decision in plan.routes
    )
    return ReceiptPreview(
        organisation=organisation,
        received_at=received_at,
        regime=regime,
        regime_reason=reason,
        received_on=binding.received_on,
        acknowledge_by=binding.acknowledge_by,
        due_on=binding.due_on,
        forward_due_on=forward_due_on,
        kinds=tuple(KindDue(kind, deadlines.due_on) for kind, deadlines in per_kind),
        routes=routes,
        explanation=tuple(binding.explanation()),
    )
