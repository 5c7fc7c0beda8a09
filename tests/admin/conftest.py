"""Two organisations and their staff: Callkom (A, Paris) and Click and Call (B, Los Angeles)."""

from __future__ import annotations

import pytest

from routing.models import Organisation
from tests.factories import StaffFactory


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Every test logs users in; the production hasher's cost would dominate the run.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def callkom(registry) -> Organisation:
    return Organisation.objects.get(slug="callkom")


@pytest.fixture
def click_and_call(registry) -> Organisation:
    return Organisation.objects.get(slug="click-and-call")


@pytest.fixture
def staff_a(callkom):
    return StaffFactory(organisations=[callkom])


@pytest.fixture
def client_a(client, staff_a):
    client.force_login(staff_a)
    return client


@pytest.fixture
def staff_b(click_and_call):
    return StaffFactory(organisations=[click_and_call])
