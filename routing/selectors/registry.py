"""Reads of the registry, and the registry as the planner sees it."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Prefetch, Q

from routing.models import CustomerIdentifier, Organisation, Scope, ThirdParty
from routing.planning import (
    CustomerRef,
    Identifiers,
    OrganisationSpec,
    RegistryView,
    ScopeSpec,
    ThirdPartySpec,
)


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


class DatabaseRegistry(RegistryView):
    """The registry in the database, read once per instance.

    Organisations, scopes and third parties are small and read together on first use;
    customers are many, so each lookup is one query on the unique
    (organisation, type, value) index. Make one instance per request or command so staff
    edits are seen.
    """

    def __init__(self, organisations: Sequence[str] | None = None) -> None:
        self._only = list(organisations) if organisations is not None else None
        self._organisations: dict[str, OrganisationSpec] | None = None
        self._organisation_ids: dict[str, int] = {}
        self._third_parties: dict[str, ThirdPartySpec] = {}
        self._scope_owners: dict[str, str] = {}
        self._customers: dict[tuple[str, Identifiers, tuple[str, ...]], CustomerRef | None] = {}

    def _load(self) -> dict[str, OrganisationSpec]:
        if self._organisations is None:
            queryset = Organisation.objects.prefetch_related(
                Prefetch("scopes", queryset=Scope.objects.select_related("third_party"))
            )
            if self._only is not None:
                queryset = queryset.filter(slug__in=self._only)
            self._organisations = {}
            for organisation in queryset:
                scopes = list(organisation.scopes.all())
                self._organisations[organisation.slug] = organisation_spec(organisation, scopes)
                self._organisation_ids[organisation.slug] = organisation.pk
            # Owners of every scope, so a foreign scope is named even outside ``organisations``.
            self._scope_owners = dict(
                Scope.objects.values_list("key", "organisation__slug").order_by()
            )
            self._third_parties = {tp.slug: third_party_spec(tp) for tp in ThirdParty.objects.all()}
        return self._organisations

    def organisation(self, slug: str) -> OrganisationSpec | None:
        return self._load().get(slug)

    def organisation_slugs(self) -> list[str]:
        return sorted(self._load())

    def scope_owner(self, scope_key: str) -> str | None:
        self._load()
        return self._scope_owners.get(scope_key)

    def third_party(self, slug: str) -> ThirdPartySpec | None:
        self._load()
        return self._third_parties.get(slug)

    def find_customer(
        self, organisation: str, identifiers: Identifiers, identifier_types: Sequence[str]
    ) -> CustomerRef | None:
        self._load()
        key = (organisation, identifiers, tuple(identifier_types))
        if key in self._customers:
            return self._customers[key]
        wanted: list[tuple[str, str]] = []
        for kind in identifier_types:
            value = identifiers.get(kind)
            if value:
                wanted.append((kind, value))
        found: CustomerRef | None = None
        organisation_id = self._organisation_ids.get(organisation)
        if wanted and organisation_id is not None:
            condition = Q()
            for kind, value in wanted:
                condition |= Q(type=kind, value=value)
            rows = {
                (row.type, row.value): row
                for row in CustomerIdentifier.objects.filter(
                    condition, organisation_id=organisation_id
                ).select_related("customer")
            }
            # The scope's identifier types decide precedence, as in the in-memory registry.
            for kind, value in wanted:
                row = rows.get((kind, value))
                if row is not None:
                    found = CustomerRef(
                        id=row.customer.pk,
                        name=row.customer.name,
                        email=row.customer.email or None,
                        matched_by=f"{kind} {value}",
                    )
                    break
        self._customers[key] = found
        return found
