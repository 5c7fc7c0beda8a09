"""Fixtures of the API tests: integrations, authenticated clients, the contract body."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from routing.models import Integration, Organisation
from routing.services.integrations import integration_create

# The minimal create contract, as the README shows it.
CONTRACT_BODY: dict[str, Any] = {
    "organisation": "callkom",
    "kinds": ["objection"],
    "scopes": ["callkom:ai-calls"],
    "subject": {
        "name": "Ada Martin",
        "email": "ada@example.org",
        "phone": "+33 6 39 98 12 34",
        "country": "FR",
    },
    "identifiers": {"phone": "+33 1 99 00 12 34"},
    "details": "Stop calling me.",
    "received_at": "2026-03-02T10:00:00Z",
}


def contract_body(**changes: Any) -> dict[str, Any]:
    body = copy.deepcopy(CONTRACT_BODY)
    body.update(changes)
    return body


def client_for(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


MakeIntegration = Callable[..., tuple[Integration, APIClient]]


@pytest.fixture
def make_integration(registry: Any) -> MakeIntegration:
    counter = {"n": 0}

    def make(
        *slugs: str, can_write: bool = True, webhook_url: str = "", name: str | None = None
    ) -> tuple[Integration, APIClient]:
        counter["n"] += 1
        created = integration_create(
            name=name or f"Desk {counter['n']}",
            organisations=list(Organisation.objects.filter(slug__in=slugs or ("callkom",))),
            can_write=can_write,
            webhook_url=webhook_url,
        )
        return created.integration, client_for(created.token)

    return make


@pytest.fixture
def api(make_integration: MakeIntegration) -> APIClient:
    """An integration of Callkom with write permission."""
    return make_integration("callkom")[1]


@pytest.fixture
def read_only_api(make_integration: MakeIntegration) -> APIClient:
    return make_integration("callkom", can_write=False)[1]


def assert_error(
    response: Any, status: int, code: str, fields: dict[str, str] | None = None
) -> None:
    """The one error shape, its code, and each named field's error code."""
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "errors"}
    assert body["code"] == code, body
    assert isinstance(body["message"], str)
    assert body["message"]
    for field, field_code in (fields or {}).items():
        assert field in body["errors"], body
        assert body["errors"][field][0]["code"] == field_code, body
        assert all(set(e) == {"code", "message"} for e in body["errors"][field])
