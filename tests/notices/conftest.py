from __future__ import annotations

import pytest

from routing.models import Request, Route, Scope
from tests.factories import (
    CustomerFactory,
    CustomerIdentifierFactory,
    OrganisationFactory,
    ScopeFactory,
    make_request,
)

CALLER = "+33 1 99 00 12 34"


@pytest.fixture
def ai_calls(db) -> Scope:
    """A processor's scope forwarded to the customer whose number called, and that customer."""
    scope = ScopeFactory.create(processor=True, organisation=OrganisationFactory.create(scope=None))
    customer = CustomerFactory.create(
        organisation=scope.organisation, name="Maison Exemple", email="privacy@maison.example"
    )
    CustomerIdentifierFactory.create(customer=customer, value=CALLER)
    return scope


def forwarded_route(scope: Scope, **options: object) -> Route:
    """A request whose one route was forwarded to the customer on receipt."""
    request = make_request(
        scope.organisation,
        kinds=options.pop("kinds", ("erasure",)),  # type: ignore[arg-type]
        scopes=[scope.key],
        identifiers={"phone": CALLER},
        **options,  # type: ignore[arg-type]
    )
    return Route.objects.select_related("request", "customer").get(request=request)


def in_language(request: Request, language: str) -> Request:
    Request.objects.filter(pk=request.pk).update(subject_language=language)
    request.refresh_from_db()
    return request
