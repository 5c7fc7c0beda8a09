"""Reads of the registry, and the registry as the planner sees it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db.models import Q

from routing.domain.registry_snapshot import RegistrySnapshot, registry_snapshot
from routing.models import Customer, CustomerIdentifier
from routing.planning import (
    CustomerRef,
    Identifiers,
    OrganisationSpec,
    RegistryView,
    ThirdPartySpec,
)


class DatabaseRegistry(RegistryView):
    """The registry in the database.

    Organisations, scopes and third parties come from the process's snapshot (see
    registry_snapshot); customers are many, so each lookup is one query on the unique
    (organisation, type, value) index, remembered for the life of the instance.
    """

    def __init__(self, organisations: Sequence[str] | None = None) -> None:
        self._only = list(organisations) if organisations is not None else None
        self._organisations: dict[str, OrganisationSpec] | None = None
        self._organisation_ids: dict[str, int] = {}
        self._third_parties: Mapping[str, ThirdPartySpec] = {}
        self._scope_owners: Mapping[str, str] = {}
        self._customers: dict[tuple[str, Identifiers, tuple[str, ...]], CustomerRef | None] = {}
        self._customer_rows: dict[int, Customer] = {}
        self._snapshot: RegistrySnapshot | None = None

    @property
    def snapshot(self) -> RegistrySnapshot:
        """The one snapshot this instance reads, so a plan and what is built from it agree
        even if the registry changes meanwhile."""
        if self._snapshot is None:
            self._snapshot = registry_snapshot()
        return self._snapshot

    def _load(self) -> dict[str, OrganisationSpec]:
        if self._organisations is None:
            snapshot = self.snapshot
            only = set(self._only) if self._only is not None else None
            self._organisations = {
                slug: spec
                for slug, spec in snapshot.organisations.items()
                if only is None or slug in only
            }
            self._organisation_ids = {
                slug: row.pk
                for slug, row in snapshot.organisation_rows.items()
                if slug in self._organisations
            }
            # Owners of every scope, so a foreign scope is named even outside ``organisations``.
            self._scope_owners = snapshot.scope_owners
            self._third_parties = snapshot.third_parties
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
                    self._customer_rows[row.customer.pk] = row.customer
                    found = CustomerRef(
                        id=row.customer.pk,
                        name=row.customer.name,
                        email=row.customer.email or None,
                        matched_by=f"{kind} {value}",
                    )
                    break
        self._customers[key] = found
        return found

    def customer_row(self, customer_id: int) -> Customer:
        """The row of a customer this instance found (read again if it did not)."""
        row = self._customer_rows.get(customer_id)
        if row is None:
            row = self._customer_rows[customer_id] = Customer.objects.get(pk=customer_id)
        return row
