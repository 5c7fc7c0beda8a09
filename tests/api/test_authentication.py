from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from routing.domain.tokens import token_hash
from routing.models import Integration, Organisation
from routing.services.integrations import (
    TOKEN_PREFIX,
    integration_create,
    integration_revoke,
    integration_rotate_token,
)
from tests.factories import OrganisationFactory
from tests.support.api import assert_error, client_for

pytestmark = pytest.mark.django_db

URL = "/api/v1/organisations/"


@pytest.fixture
def api_organisation() -> Organisation:
    return OrganisationFactory.create()


@pytest.fixture
def created(api_organisation):
    return integration_create(name="Desk", organisations=[api_organisation])


def test_the_token_is_stored_hashed_with_a_visible_prefix(created) -> None:
    integration = created.integration

    assert created.token.startswith(TOKEN_PREFIX)
    assert len(created.token) > 40
    assert integration.token_hash == token_hash(created.token)
    assert created.token.startswith(integration.token_prefix)
    assert created.token not in {f.value_from_object(integration) for f in Integration._meta.fields}


def test_a_bearer_token_authenticates(created) -> None:
    assert client_for(created.token).get(URL).status_code == 200


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer a b", "Bearer not-a-token", "Token abc", "Basic dXNlcjpwYXNz"],
)
def test_without_a_valid_token_the_answer_is_401(created, header) -> None:
    client = APIClient()
    if header is not None:
        client.credentials(HTTP_AUTHORIZATION=header)

    response = client.get(URL)

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json()["code"] in {"not_authenticated", "authentication_failed"}


def test_a_revoked_token_is_refused(created) -> None:
    assert integration_revoke(integration=created.integration)
    assert not integration_revoke(integration=created.integration)

    response = client_for(created.token).get(URL)

    assert_error(response, 401, "authentication_failed")
    assert "revoked" in response.json()["message"]


def test_a_rotated_token_replaces_the_old_one(created) -> None:
    new = integration_rotate_token(integration=created.integration)

    assert client_for(created.token).get(URL).status_code == 401
    assert client_for(new).get(URL).status_code == 200


def test_last_use_is_recorded_at_most_once_a_minute(created, time_machine) -> None:
    time_machine.move_to("2026-03-02T10:00:00Z", tick=False)
    client = client_for(created.token)

    client.get(URL)
    first = Integration.objects.get().last_used_at
    assert first is not None
    time_machine.move_to(timezone.now() + timedelta(seconds=30), tick=False)
    client.get(URL)
    assert Integration.objects.get().last_used_at == first
    time_machine.move_to(timezone.now() + timedelta(seconds=31), tick=False)
    client.get(URL)

    assert Integration.objects.get().last_used_at == first + timedelta(seconds=61)


def test_a_read_only_integration_reads_and_may_not_write(read_only_api) -> None:
    assert read_only_api.get("/api/v1/requests/").status_code == 200

    response = read_only_api.post("/api/v1/requests/", {}, format="json")

    assert_error(response, 403, "permission_denied")
