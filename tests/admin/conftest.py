"""Two organisations and their staff: A and B, by default the shipped Callkom (Paris) and
Click and Call (Los Angeles). A module whose subject is not the shipped data overrides
``organisation_a`` and ``organisation_b`` with factory-made organisations."""

from __future__ import annotations

import pytest

from routing.models import Organisation
from tests.factories import StaffFactory


@pytest.fixture
def callkom(registry) -> Organisation:
    return Organisation.objects.get(slug="callkom")


@pytest.fixture
def click_and_call(registry) -> Organisation:
    return Organisation.objects.get(slug="click-and-call")


@pytest.fixture
def organisation_a(callkom) -> Organisation:
    return callkom


@pytest.fixture
def organisation_b(click_and_call) -> Organisation:
    return click_and_call


@pytest.fixture
def staff_a(organisation_a):
    return StaffFactory(organisations=[organisation_a])


@pytest.fixture
def client_a(client, staff_a):
    client.force_login(staff_a)
    return client


@pytest.fixture
def staff_b(organisation_b):
    return StaffFactory(organisations=[organisation_b])
