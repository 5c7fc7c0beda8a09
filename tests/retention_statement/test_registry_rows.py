"""Retained entries stored on the registry's scopes and read through the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from routing.models import Organisation, Scope
from routing.planning import load_registry_files
from routing.services.integrations import integration_create
from routing.services.registry import registry_load
from tests.support.api import client_for

pytestmark = pytest.mark.django_db

CALLKOM_BILLING = [
    {
        "what": "invoices and billing records",
        "ground": "retention required by law",
        "period": "10 years",
        "source": "§9.3",
    }
]


def test_loading_the_registry_stores_each_scopes_retained_entries(registry: Any) -> None:
    retained = dict(Scope.objects.values_list("key", "retained"))

    assert retained["callkom:billing"] == CALLKOM_BILLING
    assert retained["click-and-call:billing"][0]["period"] is None
    assert retained["callkom:website"] == []


def test_a_reload_brings_back_retained_entries_changed_in_the_database(registry: Any) -> None:
    Scope.objects.filter(key="callkom:billing").update(retained=[])

    report = registry_load(files=load_registry_files())

    assert report.updated == ["scope callkom:billing (retained)"]
    assert Scope.objects.get(key="callkom:billing").retained == CALLKOM_BILLING


@pytest.mark.parametrize(
    "retained",
    [
        pytest.param({"what": "invoices"}, id="not-a-list"),
        pytest.param([{"what": "invoices", "source": "§9.3"}], id="no-ground"),
        pytest.param(
            [{"what": "invoices", "ground": "law", "source": "§9.3", "why": "x"}],
            id="unknown-field",
        ),
        pytest.param(
            [{"what": "invoices", "ground": "law", "period": "", "source": "§9.3"}],
            id="empty-period",
        ),
    ],
)
def test_a_malformed_retained_entry_is_refused_on_the_scope(
    registry: Any, retained: object
) -> None:
    scope = Scope.objects.get(key="callkom:billing")
    scope.retained = retained

    with pytest.raises(ValidationError) as caught:
        scope.full_clean()

    assert "retained" in caught.value.message_dict


def test_the_api_shows_what_a_scope_keeps_after_an_erasure(registry: Any) -> None:
    created = integration_create(
        name="Desk", organisations=[Organisation.objects.get(slug="click-and-call")]
    )
    api = client_for(created.token)

    scope = api.get("/api/v1/scopes/click-and-call:security-logs/").json()

    assert scope["retained"] == [
        {
            "what": "IP addresses logged for security",
            "ground": "security purposes, including rate limiting and abuse prevention",
            "period": "up to 12 months, or longer for an address flagged for abuse",
            "source": 'paragraph "IP addresses collected for security purposes"',
        }
    ]
