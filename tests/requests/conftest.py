from __future__ import annotations

import pytest

from routing.models import Organisation
from routing.services.actors import Actor
from tests.factories import StaffFactory


@pytest.fixture
def staff(registry):
    """A member of every shipped organisation."""
    return StaffFactory(organisations=list(Organisation.objects.all()))


@pytest.fixture
def by(staff) -> Actor:
    return Actor.staff(staff)
