"""Factories for tests: requests go through the real receive service."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import factory
from django.contrib.auth import get_user_model

from routing.models import Membership, Organisation, Request
from routing.services.actors import Actor
from routing.services.requests import request_receive


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@desk.example")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def organisations(user: Any, create: bool, extracted: Any, **kwargs: Any) -> None:
        """StaffFactory(organisations=[org, ...]) makes memberships; all model perms given."""
        from django.contrib.auth.models import Permission

        if not create:
            return
        user.user_permissions.set(Permission.objects.filter(content_type__app_label="routing"))
        for organisation in extracted or []:
            Membership.objects.create(user=user, organisation=organisation)
        user.save()


def make_request(
    organisation: Organisation | str = "callkom",
    *,
    kinds: tuple[str, ...] = ("access",),
    email: str = "ada@example.org",
    phone: str | None = None,
    country: str = "FR",
    scopes: list[str] | None = None,
    identifiers: dict[str, str] | None = None,
    received_at: datetime | None = None,
    verified: bool = True,
    name: str = "Ada Martin",
) -> Request:
    if isinstance(organisation, str):
        organisation = Organisation.objects.get(slug=organisation)
    return request_receive(
        organisation=organisation,
        kinds=list(kinds),
        scopes=scopes,
        identifiers=identifiers,
        subject={"name": name, "email": email, "phone": phone, "country": country},
        by=Actor.system("test"),
        received_at=received_at,
        verified=verified,
    ).request
