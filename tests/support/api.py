"""The API tests' contract body, clients and error-shape check."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from rest_framework.test import APIClient

from routing.models import Integration

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

MakeIntegration = Callable[..., tuple[Integration, APIClient]]


def contract_body(**changes: Any) -> dict[str, Any]:
    body = copy.deepcopy(CONTRACT_BODY)
    body.update(changes)
    return body


def client_for(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


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
