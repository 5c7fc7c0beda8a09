"""Who may be assigned a request: the one rule the admin, the API and the service share.

An active staff user who is a member of the request's organisation, or an active staff
superuser: a superuser sees and works every organisation's requests in the admin without a
membership (``visible_organisations``), so may be given one as well as take one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from routing.models import Membership, Organisation


def _members_of_each(organisation_ids: Iterable[int]) -> Q:
    condition = Q()
    for organisation_id in sorted(set(organisation_ids)):
        # A subquery per organisation rather than a join: a user must hold each membership,
        # and the rows stay one per user, so callers need no distinct().
        members = Membership.objects.filter(organisation_id=organisation_id).values("user_id")
        condition &= Q(pk__in=members)
    return condition


def _active_staff() -> QuerySet[Any]:
    return get_user_model().objects.filter(is_active=True, is_staff=True)


def staff_assignable_to_each(organisation_ids: Iterable[int]) -> QuerySet[Any]:
    """Staff who may be assigned a request of every one of these organisations (a bulk
    assignment); none when no organisation is given."""
    ids = set(organisation_ids)
    if not ids:
        return _active_staff().none()
    return _active_staff().filter(Q(is_superuser=True) | _members_of_each(ids)).order_by("username")


def assignable_staff(organisation: Organisation | int) -> QuerySet[Any]:
    """Staff who may be assigned a request of ``organisation`` (an instance or its id)."""
    organisation_id = organisation.pk if isinstance(organisation, Organisation) else organisation
    return staff_assignable_to_each([organisation_id])


def staff_assignable_to_any(organisation_ids: Iterable[int] | None) -> QuerySet[Any]:
    """Staff who may be assigned a request of at least one of these organisations; of any
    organisation when ``organisation_ids`` is None (a superuser's view)."""
    members = Membership.objects.all()
    if organisation_ids is not None:
        members = members.filter(organisation_id__in=list(organisation_ids))
    condition = Q(is_superuser=True) | Q(pk__in=members.values("user_id"))
    return _active_staff().filter(condition).order_by("username")


def assignable_user(organisation: Organisation | int, username: str) -> Any:
    """The assignable staff member with this username, or None."""
    return assignable_staff(organisation).filter(username=username).first()


def is_assignable(user: Any, organisation: Organisation | int) -> bool:
    """Whether ``user`` may be assigned a request of ``organisation``, as stored."""
    if user is None or user.pk is None:
        return False
    return assignable_staff(organisation).filter(pk=user.pk).exists()
