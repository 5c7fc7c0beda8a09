"""The registry's rows as the planner's specs: pure conversions, one row (and its scopes)
at a time."""

from __future__ import annotations

from collections.abc import Sequence

from routing.models import Organisation, Scope, ThirdParty
from routing.planning import OrganisationSpec, ScopeSpec, ThirdPartySpec


def scope_spec(scope: Scope) -> ScopeSpec:
    return ScopeSpec(
        key=scope.key,
        name=scope.name,
        description=scope.description,
        question=scope.question,
        role=scope.role,
        action=scope.action,
        policy_section=scope.policy_section,
        kind_actions=dict(scope.kind_actions),
        kind_tasks={kind: tuple(tasks) for kind, tasks in scope.kind_tasks.items()},
        third_party=scope.third_party.slug if scope.third_party else None,
        identifier_types=tuple(scope.identifier_types),
        limits=dict(scope.limits),
    )


def organisation_spec(organisation: Organisation, scopes: Sequence[Scope]) -> OrganisationSpec:
    return OrganisationSpec(
        slug=organisation.slug,
        name=organisation.name,
        legal_name=organisation.legal_name,
        website=organisation.website,
        privacy_email=organisation.privacy_email or None,
        contact_problem=organisation.contact_problem or None,
        address=organisation.address,
        country=organisation.country or None,
        timezone=organisation.timezone,
        holiday_country=organisation.holiday_country or None,
        holiday_subdivision=organisation.holiday_subdivision or None,
        default_regime=organisation.default_regime,
        authority_name=organisation.authority_name,
        authority_url=organisation.authority_url,
        policy_url=organisation.policy_url,
        policy_date=organisation.policy_date,
        minimum_age=organisation.minimum_age,
        reference_prefix=organisation.reference_prefix,
        kinds=tuple(organisation.kinds),
        scopes=tuple(scope_spec(scope) for scope in scopes),
        commitments=tuple(organisation.commitments),
        forward_within_working_days=organisation.forward_within_working_days,
    )


def third_party_spec(third_party: ThirdParty) -> ThirdPartySpec:
    return ThirdPartySpec(
        slug=third_party.slug,
        name=third_party.name,
        website=third_party.website,
        policy_url=third_party.policy_url,
        privacy_email=third_party.privacy_email or None,
        contact_problem=third_party.contact_problem or None,
    )
