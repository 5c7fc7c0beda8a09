"""Requests the planner refuses, each with the field at fault and what would be accepted."""

from __future__ import annotations

import pytest

from routing.planning import KINDS, Identifiers, InMemoryRegistry, PlanningError, plan_routes


def test_unknown_organisation_lists_the_known_ones(registry: InMemoryRegistry) -> None:
    with pytest.raises(PlanningError) as caught:
        plan_routes(registry, organisation="kallcom", kinds=["access"])

    error = caught.value
    assert error.field == "organisation"
    assert error.valid == ["callkom", "click-and-call", "clickacall", "comfile-360", "comfortclick"]
    assert str(error).startswith("organisation: unknown organisation 'kallcom' (valid: callkom,")


def test_unknown_kind_lists_the_organisations_kinds(registry: InMemoryRegistry) -> None:
    with pytest.raises(PlanningError) as caught:
        plan_routes(registry, organisation="clickacall", kinds=["access", "delete"])

    assert caught.value.field == "kind"
    assert caught.value.valid == ["access", "rectification", "erasure", "marketing_objection"]
    assert "'delete'" in str(caught.value)
    assert "valid: access, rectification, erasure, marketing_objection" in str(caught.value)


def test_kind_the_organisation_does_not_know_is_refused(registry: InMemoryRegistry) -> None:
    # Post-mortem directives are French law; ComfortClick's policy does not offer them (§10).
    with pytest.raises(PlanningError) as caught:
        plan_routes(registry, organisation="comfortclick", kinds=["post_mortem"])

    assert caught.value.field == "kind"
    assert "ComfortClick does not handle 'post_mortem'" in caught.value.message
    assert "post_mortem" not in caught.value.valid


def test_allowed_kinds_replace_the_organisations_own_list(registry: InMemoryRegistry) -> None:
    plan = plan_routes(
        registry,
        organisation="comfortclick",
        kinds=["withdraw_consent"],
        allowed_kinds=KINDS,
    )
    assert plan.kinds == ("withdraw_consent",)

    with pytest.raises(PlanningError) as caught:
        plan_routes(
            registry,
            organisation="comfortclick",
            kinds=["erasure"],
            allowed_kinds={"access", "rectification"},
        )
    assert caught.value.valid == ["access", "rectification"]


def test_no_kind_is_refused(registry: InMemoryRegistry) -> None:
    with pytest.raises(PlanningError) as caught:
        plan_routes(registry, organisation="callkom", kinds=[])

    assert caught.value.field == "kind"
    assert "access" in caught.value.valid


def test_scope_of_another_organisation_names_its_owner(registry: InMemoryRegistry) -> None:
    with pytest.raises(PlanningError) as caught:
        plan_routes(
            registry,
            organisation="callkom",
            kinds=["access"],
            scopes=["callkom:website", "clickacall:marketing"],
        )

    error = caught.value
    assert error.field == "scope"
    assert "belongs to organisation 'clickacall'" in error.message
    assert error.valid[0] == "callkom:website"
    assert "clickacall:marketing" not in error.valid


def test_unknown_scope_lists_the_organisations_scopes(registry: InMemoryRegistry) -> None:
    with pytest.raises(PlanningError) as caught:
        plan_routes(registry, organisation="comfortclick", kinds=["access"], scopes=["linhome"])

    assert caught.value.field == "scope"
    assert caught.value.valid == ["comfortclick:app-diagnostics", "comfortclick:linhome"]
    assert str(caught.value) == (
        "scope: unknown scope 'linhome' for 'comfortclick' "
        "(valid: comfortclick:app-diagnostics, comfortclick:linhome)"
    )


@pytest.mark.parametrize(
    ("identifiers", "field"),
    [
        pytest.param(Identifiers(phone="01 99 00 12 34"), "phone", id="national-phone"),
        pytest.param(Identifiers(phone="+33 1 99 00 12 34"), "phone", id="spaced-phone"),
        pytest.param(Identifiers(whatsapp="not a number"), "whatsapp", id="garbage-whatsapp"),
        pytest.param(Identifiers(website="https://www.maison.example/"), "website", id="raw-url"),
        pytest.param(Identifiers(website="Comfile 360.com"), "website", id="garbage-website"),
    ],
)
def test_identifiers_that_are_not_normalised_are_refused(
    registry: InMemoryRegistry, identifiers: Identifiers, field: str
) -> None:
    with pytest.raises(PlanningError) as caught:
        plan_routes(registry, organisation="callkom", kinds=["access"], identifiers=identifiers)

    assert caught.value.field == field
    assert caught.value.valid
    assert str(caught.value).startswith(f"{field}: ")
