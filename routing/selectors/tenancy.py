"""Which organisations a staff user may see: their memberships, or all for a superuser."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from routing.models import Organisation


def visible_organisations(user: Any) -> QuerySet[Organisation]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.all()
    return Organisation.objects.filter(memberships__user=user)


def visible_organisation_ids(user: Any) -> list[int]:
    """Evaluated once per request by callers that filter several querysets."""
    return list(visible_organisations(user).values_list("pk", flat=True))
