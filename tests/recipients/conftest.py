"""A Click & Call erasure as its staff would answer it: recipients from the shipped
registry, some with the contact staff entered, the organisation's routes marked done."""

from __future__ import annotations

from typing import Any

import pytest

from routing.models import Organisation, Recipient, Request, RouteStatus
from routing.services.actors import Actor
from routing.services.requests import request_complete, route_mark_done
from routing.services.requests.receive import request_receive

BY = Actor.system("test")
# Contacts staff entered in the admin: the policy names the services, not their addresses.
CONTACTS = {
    "stripe": "privacy@stripe.example",
    "supabase": "privacy@supabase.example",
    "vercel": "privacy@vercel.example",
}


@pytest.fixture
def contacts(registry: Any) -> dict[str, str]:
    for slug, email in CONTACTS.items():
        Recipient.objects.filter(organisation__slug="click-and-call", slug=slug).update(
            privacy_email=email
        )
    return CONTACTS


def received(kinds: tuple[str, ...], scopes: list[str]) -> tuple[Request, str]:
    """A verified Click & Call request and its status token."""
    result = request_receive(
        organisation=Organisation.objects.get(slug="click-and-call"),
        kinds=list(kinds),
        scopes=scopes,
        subject={"name": "Ada Martin", "email": "ada@example.org", "country": "US"},
        by=Actor.system("test"),
        verified=True,
    )
    return result.request, result.token


def answer(request: Request, kinds: list[str] | None = None) -> Request:
    """The organisation's own routes done, then the parts completed."""
    for route in request.routes.filter(status=RouteStatus.PENDING):
        route_mark_done(route=route, by=BY)
    request.refresh_from_db()
    request_complete(request=request, by=BY, kinds=kinds)
    request.refresh_from_db()
    return request
