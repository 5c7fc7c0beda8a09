"""What an erasure erased and kept, per scope, in the subject's language."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from routing.domain.wording import ErasureLine, erasure_lines
from routing.models import Route
from routing.services.actors import Actor
from routing.services.requests import route_mark_not_applicable
from tests.factories import OrganisationFactory, ScopeFactory, make_request

pytestmark = pytest.mark.django_db

BY = Actor.system("test")
ACCOUNTING = {"what": "ledgers", "ground": "accounting", "period": None, "source": "§4"}


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            ErasureLine(
                erased="Erased: billing data",
                kept=(
                    "Kept: invoices and billing records — retention required by law, "
                    "for 10 years (§9.3)",
                ),
            ),
        ),
        (
            "fr",
            ErasureLine(
                erased="Effacement : données de facturation",
                kept=(
                    "Conservation : factures et pièces de facturation — conservation exigée "
                    "par la loi, pendant 10 ans (§9.3)",
                ),
            ),
        ),
        (
            "sl",
            ErasureLine(
                erased="Izbrisano: podatki za obračun",
                kept=(
                    "Ohranjeno: računi in evidence obračunov — zakonsko obvezna hramba, "
                    "za 10 let (§9.3)",
                ),
            ),
        ),
    ],
)
def test_callkom_billing_erased_keeps_invoices_ten_years(
    registry: Any, language: str, expected: ErasureLine
) -> None:
    request = make_request("callkom", kinds=("erasure",), scopes=["callkom:billing"])

    with translation.override(language):
        lines = erasure_lines(request)

    assert lines == [expected]


def test_a_policy_that_states_no_period_gives_none(registry: Any) -> None:
    request = make_request(
        "click-and-call", kinds=("erasure",), scopes=["click-and-call:billing"], country="US"
    )

    with translation.override("fr"):
        (line,) = erasure_lines(request)

    assert line.kept == (
        "Conservation : relevés de facturation (montants, dates, état de l\u2019abonnement) — "
        "besoins comptables et de règlement des litiges "
        "(paragraphe « Payments are processed by Stripe »)",
    )


def test_a_scope_that_keeps_nothing_is_only_erased() -> None:
    scope = ScopeFactory.create(name="newsletter list")
    request = make_request(scope.organisation, kinds=("erasure",), scopes=[scope.key])

    assert erasure_lines(request) == [ErasureLine(erased="Erased: newsletter list")]


def test_without_erasure_among_the_completed_parts_nothing_is_said() -> None:
    scope = ScopeFactory.create(retained=[ACCOUNTING])
    request = make_request(scope.organisation, kinds=("access", "erasure"), scopes=[scope.key])

    assert erasure_lines(request, ["access"]) == []
    assert [line.erased for line in erasure_lines(request, ["erasure"])] == [
        f"Erased: {scope.name}"
    ]
    assert erasure_lines(request, None) == erasure_lines(request, ["erasure"])


def test_only_scopes_the_organisation_fulfils_itself_are_listed() -> None:
    organisation = OrganisationFactory.create(scope=None)
    kept = ScopeFactory.create(organisation=organisation, name="orders", retained=[ACCOUNTING])
    forwarded = ScopeFactory.create(
        organisation=organisation, processor=True, retained=[ACCOUNTING]
    )
    dropped = ScopeFactory.create(organisation=organisation, name="forum posts")
    request = make_request(
        organisation,
        kinds=("erasure",),
        scopes=[kept.key, forwarded.key, dropped.key],
        identifiers={"phone": "+33 1 99 00 12 34"},
    )
    route_mark_not_applicable(route=Route.objects.get(request=request, scope=dropped), by=BY)

    assert erasure_lines(request) == [
        ErasureLine(erased="Erased: orders", kept=("Kept: ledgers — accounting (§4)",))
    ]
