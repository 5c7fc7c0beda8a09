"""The plan for a request's raw facts: identifiers normalised, then the pure planner."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from routing.identifiers import normalise_identifier
from routing.planning import Identifiers, Plan, PlanningError, RegistryView, plan_routes


def identifiers_for(
    registry: RegistryView, organisation: str, raw: Mapping[str, str | None]
) -> Identifiers:
    """Normalise what a subject typed, with the organisation's country as default region.

    Raises InvalidIdentifier naming the field (``phone``, ``website``, ``whatsapp``).
    """
    spec = registry.organisation(organisation)
    if spec is None:
        raise PlanningError(
            "organisation",
            f"unknown organisation {organisation!r}",
            registry.organisation_slugs(),
        )
    values = {
        kind: normalise_identifier(kind, value, default_region=spec.country)
        for kind, value in raw.items()
        if value
    }
    return Identifiers(**values)


def plan_for(
    registry: RegistryView,
    *,
    organisation: str,
    kinds: Sequence[str],
    scopes: Sequence[str] | None,
    raw_identifiers: Mapping[str, str | None],
) -> Plan:
    identifiers = identifiers_for(registry, organisation, raw_identifiers)
    return plan_routes(
        registry, organisation=organisation, kinds=kinds, scopes=scopes, identifiers=identifiers
    )
