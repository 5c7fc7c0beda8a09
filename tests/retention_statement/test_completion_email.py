"""The subject's completion email says what an erasure erased and what was kept, and why."""

from __future__ import annotations

from typing import Any

import pytest

from routing.models import OutboundMessage, Request, RouteStatus
from routing.services.actors import Actor
from routing.services.requests import request_complete, route_mark_done
from tests.factories import (
    CustomerFactory,
    CustomerIdentifierFactory,
    OrganisationFactory,
    ScopeFactory,
    make_request,
)
from tests.notices.conftest import in_language

pytestmark = pytest.mark.django_db

BY = Actor.system("test")


def _answer(request: Request) -> None:
    """The organisation's own routes done, as staff mark them before completing."""
    for route in request.routes.filter(status=RouteStatus.PENDING):
        route_mark_done(route=route, by=BY)
    request.refresh_from_db()


def _completions(request: Request) -> list[OutboundMessage]:
    return list(
        OutboundMessage.objects.filter(template="request_completed", request=request).order_by("pk")
    )


def test_a_completed_erasure_lists_what_was_erased_and_kept_in_the_subjects_language(
    registry: Any,
) -> None:
    request = in_language(
        make_request("callkom", kinds=("erasure",), scopes=["callkom:billing"]), "fr"
    )
    _answer(request)

    request_complete(request=request, by=BY)

    (message,) = _completions(request)
    kept = (
        "Conservation : factures et pièces de facturation — conservation exigée par la loi, "
        "pendant 10 ans (§9.3)"
    )
    assert "Ce qui a été effacé, et ce qui a été conservé :" in message.body_text
    assert "- Effacement : données de facturation\n  " + kept in message.body_text
    assert f"<li>Effacement : données de facturation<ul><li>{kept}</li></ul></li>" in (
        message.body_html
    )


def test_the_statement_comes_with_the_erasure_part_not_with_another(registry: Any) -> None:
    request = make_request("callkom", kinds=("access", "erasure"), scopes=["callkom:billing"])
    _answer(request)

    request_complete(request=request, by=BY, kinds=["access"])
    request.refresh_from_db()
    request_complete(request=request, by=BY, kinds=["erasure"])

    access, erasure = _completions(request)
    assert "Erased:" not in access.body_text
    assert "What was erased" not in access.body_html
    assert "Erased: billing data" in erasure.body_text
    assert (
        "Kept: invoices and billing records — retention required by law, for 10 years (§9.3)"
        in erasure.body_text
    )


def test_an_erasure_only_forwarded_to_a_customer_states_nothing_erased() -> None:
    organisation = OrganisationFactory.create(scope=None)
    scope = ScopeFactory.create(organisation=organisation, processor=True)
    customer = CustomerFactory.create(organisation=organisation)
    CustomerIdentifierFactory.create(customer=customer, value="+33 1 99 00 12 34")
    request = make_request(
        organisation,
        kinds=("erasure",),
        scopes=[scope.key],
        identifiers={"phone": "+33 1 99 00 12 34"},
    )

    request_complete(request=request, by=BY)

    (message,) = _completions(request)
    assert "What was erased" not in message.body_text
    assert "Erased:" not in message.body_html
