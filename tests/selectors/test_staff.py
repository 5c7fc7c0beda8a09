"""Who may be assigned a request: active staff members of its organisation, and superusers."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from routing.models import Organisation
from routing.selectors.staff import (
    assignable_staff,
    assignable_user,
    is_assignable,
    staff_assignable_to_any,
    staff_assignable_to_each,
)
from routing.services.actors import Actor
from routing.services.requests import request_assign
from tests.factories import StaffFactory, make_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def callkom(registry) -> Organisation:
    return Organisation.objects.get(slug="callkom")


@pytest.fixture
def comfortclick(registry) -> Organisation:
    return Organisation.objects.get(slug="comfortclick")


@pytest.fixture
def people(callkom, comfortclick) -> dict[str, Any]:
    return {
        "member": StaffFactory(organisations=[callkom]),
        "superuser": StaffFactory(is_superuser=True),
        "member_of_both": StaffFactory(organisations=[callkom, comfortclick]),
        "other_organisation": StaffFactory(organisations=[comfortclick]),
        "no_membership": StaffFactory(),
        "inactive_member": StaffFactory(organisations=[callkom], is_active=False),
        "inactive_superuser": StaffFactory(is_superuser=True, is_active=False),
        "member_not_staff": StaffFactory(organisations=[callkom], is_staff=False),
        "superuser_not_staff": StaffFactory(is_superuser=True, is_staff=False),
    }


ASSIGNABLE_TO_CALLKOM = {"member", "superuser", "member_of_both"}


def _names(people: dict[str, Any], users: Any) -> set[str]:
    found = set(users)
    return {name for name, user in people.items() if user in found}


def test_the_rule(people, callkom) -> None:
    assert _names(people, assignable_staff(callkom)) == ASSIGNABLE_TO_CALLKOM
    assert _names(people, assignable_staff(callkom.pk)) == ASSIGNABLE_TO_CALLKOM
    for name, user in people.items():
        assert is_assignable(user, callkom.pk) is (name in ASSIGNABLE_TO_CALLKOM), name


def test_a_superuser_is_listed_once_and_by_username(people, callkom) -> None:
    users = list(assignable_staff(callkom))

    assert len(users) == len(set(users))
    assert [u.username for u in users] == sorted(u.username for u in users)
    assert assignable_user(callkom, people["superuser"].username) == people["superuser"]
    assert assignable_user(callkom, people["other_organisation"].username) is None


def test_a_bulk_assignment_needs_every_organisation(people, callkom, comfortclick) -> None:
    both = staff_assignable_to_each([callkom.pk, comfortclick.pk, callkom.pk])

    assert _names(people, both) == {"superuser", "member_of_both"}
    assert not staff_assignable_to_each([]).exists()


def test_colleagues_of_any_organisation(people, callkom, comfortclick) -> None:
    assert _names(people, staff_assignable_to_any([callkom.pk])) == ASSIGNABLE_TO_CALLKOM
    assert _names(people, staff_assignable_to_any(None)) == {
        "member",
        "superuser",
        "member_of_both",
        "other_organisation",
    }


def test_the_service_accepts_exactly_the_assignable(people, callkom) -> None:
    # The lifecycle service checks the same rule the admin and the API offer.
    by = Actor.system("test")
    for name, user in people.items():
        request = make_request(callkom, email=f"{name}@example.org")
        try:
            request_assign(request=request, assignee=user, by=by)
        except ValidationError:
            accepted = False
        else:
            accepted = True
        assert accepted is (name in ASSIGNABLE_TO_CALLKOM), name


def test_is_assignable_of_nobody() -> None:
    assert not is_assignable(None, 1)
