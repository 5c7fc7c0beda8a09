"""The registry factories make rows the registry loader would accept, and the services
route requests on them as on the shipped organisations."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ValidationError

from routing.domain.registry_specs import organisation_spec, third_party_spec
from routing.models import RouteStatus
from routing.planning import RegistryFiles
from routing.services.registry import registry_load
from tests.factories import (
    CustomerFactory,
    CustomerIdentifierFactory,
    OrganisationFactory,
    ScopeFactory,
    make_request,
)

pytestmark = pytest.mark.django_db


def test_an_organisation_reloads_unchanged_through_the_registry_loader() -> None:
    organisation = OrganisationFactory.create()
    ScopeFactory.create(organisation=organisation, processor=True)
    ScopeFactory.create(organisation=organisation, independent_controller=True)
    spec = organisation_spec(organisation, list(organisation.scopes.order_by("position")))
    third_parties = tuple(
        scope.third_party for scope in organisation.scopes.all() if scope.third_party
    )
    files = RegistryFiles(
        organisations=(spec,), third_parties=tuple(third_party_spec(t) for t in third_parties)
    )

    report = registry_load(files=files)

    assert report.created == []
    assert report.updated == []
    assert [scope.role for scope in spec.scopes] == [
        "controller",
        "processor",
        "independent_controller",
    ]


def test_a_request_to_a_factory_organisation_is_routed_and_dated() -> None:
    organisation = OrganisationFactory.create()

    request = make_request(organisation, received_at=datetime(2026, 2, 9, 10, tzinfo=UTC))

    assert request.reference.startswith(f"{organisation.reference_prefix}-2026-")
    assert request.regime == "gdpr"
    assert request.effective_due_on == date(2026, 3, 9)
    assert [route.scope.key for route in request.routes.all()] == [organisation.scopes.get().key]


def test_a_customer_found_by_its_number_receives_the_forward() -> None:
    organisation = OrganisationFactory.create(scope=None)
    scope = ScopeFactory.create(organisation=organisation, processor=True)
    customer = CustomerFactory.create(organisation=organisation)
    identifier = CustomerIdentifierFactory.create(customer=customer, value="01 99 00 12 34")
    assert identifier.value == "+33199001234"
    assert identifier.organisation == organisation

    request = make_request(organisation, identifiers={"phone": "+33 1 99 00 12 34"})

    route = request.routes.get()
    assert (route.scope, route.customer, route.status) == (scope, customer, RouteStatus.SENT)


def test_an_invalid_row_fails_where_it_is_made() -> None:
    with pytest.raises(ValidationError, match="identifier_types"):
        ScopeFactory.create(role="processor", action="forward")
    with pytest.raises(ValidationError, match="timezone"):
        OrganisationFactory.create(timezone="Mars/Olympus")


@pytest.mark.parametrize(
    ("traits", "regime", "zone"),
    [
        ({}, "gdpr", "Europe/Paris"),
        ({"ccpa": True}, "ccpa", "America/Los_Angeles"),
        ({"uk_gdpr": True}, "uk-gdpr", "Europe/London"),
    ],
)
def test_each_trait_is_a_valid_tenant_of_its_regime(traits, regime, zone) -> None:
    organisation = OrganisationFactory.create(**traits)

    request = make_request(organisation, country=organisation.country)

    assert (organisation.default_regime, organisation.timezone) == (regime, zone)
    assert request.regime == regime
