"""Fixtures of the API tests: integrations and their authenticated clients.

``api`` and ``read_only_api`` are integrations of ``api_organisation``: the shipped
registry's Callkom, through which the tests of creates, actions and webhooks route the
README's contract body. A module whose subject is not the shipped data overrides
``api_organisation`` with a factory-made organisation, and makes others with
``integration_for``.
"""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from routing.models import Integration, Organisation
from routing.services.integrations import integration_create
from tests.support.api import MakeIntegration, client_for


@pytest.fixture
def integration_for(db: Any) -> MakeIntegration:
    """``integration_for(*organisations, can_write=True, webhook_url="", name=None)``: an
    integration of these organisations, and a client holding its token."""
    counter = {"n": 0}

    def make(
        *organisations: Organisation,
        can_write: bool = True,
        webhook_url: str = "",
        name: str | None = None,
    ) -> tuple[Integration, APIClient]:
        counter["n"] += 1
        created = integration_create(
            name=name or f"Desk {counter['n']}",
            organisations=list(organisations),
            can_write=can_write,
            webhook_url=webhook_url,
        )
        return created.integration, client_for(created.token)

    return make


@pytest.fixture
def make_integration(registry: Any, integration_for: MakeIntegration) -> MakeIntegration:
    """The same by slugs of the shipped registry; Callkom when none is named."""

    def make(*slugs: str, **options: Any) -> tuple[Integration, APIClient]:
        organisations = Organisation.objects.filter(slug__in=slugs or ("callkom",))
        return integration_for(*organisations, **options)

    return make


@pytest.fixture
def api_organisation(registry: Any) -> Organisation:
    """The organisation ``api`` and ``read_only_api`` serve."""
    return Organisation.objects.get(slug="callkom")


@pytest.fixture
def api(integration_for: MakeIntegration, api_organisation: Organisation) -> APIClient:
    """An integration with write permission."""
    return integration_for(api_organisation)[1]


@pytest.fixture
def read_only_api(integration_for: MakeIntegration, api_organisation: Organisation) -> APIClient:
    return integration_for(api_organisation, can_write=False)[1]
