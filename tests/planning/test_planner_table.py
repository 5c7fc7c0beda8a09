"""Every scope of every shipped organisation, for every kind its policy names.

Each case is planned with and without identifiers that find a demo customer: controller and
independent-controller scopes must not care, processor scopes go to the customer or become
"identify the customer".
"""

from __future__ import annotations

import pytest

from routing.planning import Identifiers, InMemoryRegistry, Target, plan_routes

from .expected import (
    BELLEDONNE_POLICY,
    KIND_TASKS,
    KINDS_BY_ORGANISATION,
    MATCHING,
    SCOPES,
    THIRD_PARTY,
    WITHOUT_ADDRESS,
    organisation_of,
)

CASES = [
    pytest.param(scope, kind, with_customer, id=f"{scope}-{kind}-{label}")
    for scope in SCOPES
    for kind in KINDS_BY_ORGANISATION[organisation_of(scope)]
    for with_customer, label in ((True, "customer"), (False, "no-customer"))
]

# Identifiers for scopes that have no customer to find: they must change nothing.
UNRELATED_IDENTIFIERS = Identifiers(
    phone="+33199001234", website="sunset-plumbing.example", whatsapp="+447700900123"
)


@pytest.mark.parametrize(("scope_key", "kind", "with_customer"), CASES)
def test_each_scope_and_kind_routes_as_the_policy_says(
    registry: InMemoryRegistry, scope_key: str, kind: str, with_customer: bool
) -> None:
    organisation = organisation_of(scope_key)
    role, action = SCOPES[scope_key]
    if scope_key in MATCHING:
        identifiers = MATCHING[scope_key][0] if with_customer else Identifiers()
    else:
        identifiers = UNRELATED_IDENTIFIERS if with_customer else Identifiers()

    plan = plan_routes(
        registry,
        organisation=organisation,
        kinds=[kind],
        scopes=[scope_key],
        identifiers=identifiers,
    )

    assert plan.organisation == organisation
    assert plan.kinds == (kind,)
    [route] = plan.routes
    assert (route.scope, route.role, route.action) == (scope_key, role, action)
    assert route.kinds == (kind,)

    expected_tasks: list[str] = []
    if role == "controller":
        assert route.target.type == "organisation"
        assert route.target.ref == organisation
        if organisation in WITHOUT_ADDRESS:
            assert route.target.email is None
    elif role == "independent_controller":
        assert route.target.type == "third_party"
        assert route.target.name == THIRD_PARTY[scope_key]
        assert route.target.url == BELLEDONNE_POLICY
        assert route.target.email is None
    elif with_customer:
        _, customer, value = MATCHING[scope_key]
        assert route.target.type == "customer"
        assert route.target.name == customer
        assert route.target.email is not None
        assert f"to {customer}" in route.explanation
        assert value in route.explanation
    else:
        assert route.target == Target("unresolved", None, None, None, None)
        expected_tasks.append("identify_customer")

    expected_tasks += KIND_TASKS.get((scope_key, kind), ())
    if route.target.type in ("organisation", "third_party") and route.target.email is None:
        expected_tasks.append("restore_contact_address")
    assert [task.code for task in route.tasks] == expected_tasks
    assert all(task.text.endswith(".") for task in route.tasks)

    spec = registry.organisation(organisation)
    assert spec is not None
    scope = spec.scope(scope_key)
    assert scope is not None
    assert f"(policy {scope.policy_section})" in route.explanation
    assert route.explanation.endswith(".")
    if kind in scope.limits:
        assert scope.limits[kind] in route.explanation
