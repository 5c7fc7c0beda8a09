from __future__ import annotations

import itertools

import pytest

from routing.planning import Identifiers, InMemoryRegistry, plan_routes
from routing.selectors.registry import DatabaseRegistry

pytestmark = pytest.mark.django_db


def test_find_customer_is_one_query(registry, django_assert_num_queries) -> None:
    db_registry = DatabaseRegistry()
    db_registry.organisation("callkom")  # the registry itself is read once per instance

    with django_assert_num_queries(1):
        customer = db_registry.find_customer(
            "callkom", Identifiers(phone="+33199001234"), ["phone"]
        )

    assert customer is not None
    assert customer.name == "Maison Exemple"
    assert customer.matched_by == "phone +33199001234"


def test_a_plan_costs_a_fixed_number_of_queries(registry, django_assert_num_queries) -> None:
    # Reading the registry (organisations with scopes, scope owners, third parties) and one
    # indexed customer lookup: the number does not grow with customers or identifiers.
    with django_assert_num_queries(5):
        plan_routes(
            DatabaseRegistry(),
            organisation="callkom",
            kinds=["objection"],
            identifiers=Identifiers(phone="+33199001234"),
        )


def test_database_and_file_registries_give_the_same_plans(registry) -> None:
    """The loaded database says what the files say, for every scope and kind."""
    memory = InMemoryRegistry.load()
    database = DatabaseRegistry()
    identifiers = [
        Identifiers(),
        Identifiers(phone="+33199001234"),
        Identifiers(website="sunset-plumbing.example"),
        Identifiers(whatsapp="+447700900123"),
    ]
    for spec in memory.files.organisations:
        for scopes, kind, ids in itertools.product(
            [[scope.key] for scope in spec.scopes] + [None], spec.kinds, identifiers
        ):
            from_files, from_db = (
                plan_routes(
                    registry, organisation=spec.slug, kinds=[kind], scopes=scopes, identifiers=ids
                ).as_json()
                for registry in (memory, database)
            )
            assert from_files == from_db, (spec.slug, scopes, kind, ids)
