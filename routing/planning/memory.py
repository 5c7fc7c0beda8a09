"""A registry held in memory: for tests, previews and a first run without a database."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from routing.identifiers import normalise_identifier

from .loading import load_demo_customers, load_registry_files
from .planner import CustomerRef, Identifiers, RegistryView
from .specs import CustomerSpec, OrganisationSpec, RegistryFiles, ThirdPartySpec


class InMemoryRegistry(RegistryView):
    """The registry files plus customers, indexed by (organisation, identifier type, value).

    A customer's ``id`` is its position in ``customers``, which is stable for a given file.
    """

    def __init__(self, files: RegistryFiles, customers: Iterable[CustomerSpec] = ()) -> None:
        self.files = files
        self._organisations = {spec.slug: spec for spec in files.organisations}
        self._third_parties = {spec.slug: spec for spec in files.third_parties}
        self._scope_owners = {
            scope.key: spec.slug for spec in files.organisations for scope in spec.scopes
        }
        self.customers: tuple[CustomerSpec, ...] = ()
        self._index: dict[tuple[str, str, str], int] = {}
        for customer in customers:
            self.add_customer(customer)

    @classmethod
    def load(
        cls, directory: Path | None = None, *, demo_customers: bool = True
    ) -> InMemoryRegistry:
        files = load_registry_files(directory)
        customers = load_demo_customers(directory) if demo_customers else ()
        return cls(files, customers)

    def add_customer(self, customer: CustomerSpec) -> int:
        """Index ``customer`` and return its id; raw identifiers are normalised first."""
        organisation = self._organisations.get(customer.organisation)
        if organisation is None:
            raise ValueError(f"organisation: unknown organisation {customer.organisation!r}")
        identifiers = tuple(
            (kind, normalise_identifier(kind, value, default_region=organisation.country))
            for kind, value in customer.identifiers
        )
        customer_id = len(self.customers)
        for kind, value in identifiers:
            other = self._index.get((customer.organisation, kind, value))
            if other is not None:
                raise ValueError(
                    f"{kind}: {value} already identifies {self.customers[other].name!r} "
                    f"at {customer.organisation!r}"
                )
        for kind, value in identifiers:
            self._index[(customer.organisation, kind, value)] = customer_id
        self.customers += (
            CustomerSpec(
                organisation=customer.organisation,
                name=customer.name,
                email=customer.email,
                identifiers=identifiers,
                demo=customer.demo,
            ),
        )
        return customer_id

    def organisation(self, slug: str) -> OrganisationSpec | None:
        return self._organisations.get(slug)

    def organisation_slugs(self) -> list[str]:
        return list(self._organisations)

    def scope_owner(self, scope_key: str) -> str | None:
        return self._scope_owners.get(scope_key)

    def third_party(self, slug: str) -> ThirdPartySpec | None:
        return self._third_parties.get(slug)

    def find_customer(
        self, organisation: str, identifiers: Identifiers, identifier_types: Sequence[str]
    ) -> CustomerRef | None:
        # The scope's identifier types are tried in their listed order, so a match is deterministic.
        for kind in identifier_types:
            value = identifiers.get(kind)
            if not value:
                continue
            customer_id = self._index.get((organisation, kind, value))
            if customer_id is not None:
                customer = self.customers[customer_id]
                return CustomerRef(
                    id=customer_id,
                    name=customer.name,
                    email=customer.email,
                    matched_by=f"{kind} {value}",
                )
        return None
