"""Planner throughput against a registry of 1,000 customers with 10,000 identifiers.

Seeds its data inside a transaction that is rolled back, so the database is left as found.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction

from routing.models import Customer, CustomerIdentifier, Organisation, Scope
from routing.planning import Identifiers, plan_routes
from routing.selectors.registry import DatabaseRegistry

Row = tuple[str, float, str]
CUSTOMERS = 1_000
IDENTIFIERS_PER_CUSTOMER = 10


class _QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        self.count += 1
        return execute(sql, *args)


def _phone(n: int) -> str:
    return f"+3319900{n:04d}" if n < 10_000 else f"+3363998{n - 10_000:04d}"


def _seed() -> Organisation:
    organisation = Organisation.objects.create(
        slug="bench-org", name="Bench Org", reference_prefix="BNCH", country="FR",
        timezone="Europe/Paris", kinds=["access", "erasure", "objection"],
    )  # fmt: skip
    Scope.objects.create(
        organisation=organisation, key="bench-org:calls", name="calls", role="processor",
        action="forward", identifier_types=["phone", "website"], position=0,
        kind_tasks={"objection": ["ask_customer_to_block_number"]},
    )  # fmt: skip
    for position, name in enumerate(["accounts", "billing", "website"], start=1):
        Scope.objects.create(
            organisation=organisation, key=f"bench-org:{name}", name=name, role="controller",
            action="fulfil", position=position,
        )  # fmt: skip
    customers = Customer.objects.bulk_create(
        Customer(organisation=organisation, name=f"Customer {n}", email=f"dpo{n}@c{n}.example")
        for n in range(CUSTOMERS)
    )
    # Five numbers and five domains per customer.
    rows = [
        ("phone", _phone(n))
        if n % IDENTIFIERS_PER_CUSTOMER < 5
        else ("website", f"site{n}.example")
        for n in range(CUSTOMERS * IDENTIFIERS_PER_CUSTOMER)
    ]
    # bulk_create skips save(), so values are written already normalised.
    CustomerIdentifier.objects.bulk_create(
        CustomerIdentifier(
            customer=customers[i // IDENTIFIERS_PER_CUSTOMER],
            organisation=organisation,
            type=kind,
            value=value,
        )
        for i, (kind, value) in enumerate(rows)
    )
    return organisation


def _requests(count: int, rng: random.Random) -> list[tuple[list[str], Identifiers]]:
    kinds = ["access", "erasure", "objection"]
    total = CUSTOMERS * IDENTIFIERS_PER_CUSTOMER
    requests = []
    for _ in range(count):
        n = rng.randrange(total + total // 10)  # about one in eleven matches nobody
        if n % IDENTIFIERS_PER_CUSTOMER < 5 or n >= total:
            identifiers = Identifiers(phone=_phone(n % 20_000))
        else:
            identifiers = Identifiers(website=f"site{n}.example")
        requests.append(([rng.choice(kinds)], identifiers))
    return requests


def run(quick: bool = False) -> list[Row]:
    count = 5_000 if quick else 100_000
    rng = random.Random(7)
    with transaction.atomic():
        _seed()
        requests = _requests(count, rng)
        registry = DatabaseRegistry()
        registry.organisation("bench-org")
        counter = _QueryCounter()
        started = time.perf_counter()
        with connection.execute_wrapper(counter):
            for kinds, identifiers in requests:
                # A fresh cache per plan: each request pays its own lookup.
                registry._customers.clear()
                plan_routes(
                    registry, organisation="bench-org", kinds=kinds, identifiers=identifiers
                )
        elapsed = time.perf_counter() - started
        with connection.cursor() as cursor:
            sql, params = CustomerIdentifier.objects.filter(
                organisation__slug="bench-org", type="phone", value=_phone(42)
            ).query.sql_with_params()
            cursor.execute(f"EXPLAIN {sql}", params)
            plan_text = " ".join(str(row) for row in cursor.fetchall())
        transaction.set_rollback(True)
    indexed = "Index" in plan_text or "USING INDEX" in plan_text.upper()
    return [
        (
            f"planner: plans per second ({count:,} requests, {connection.vendor})",
            count / elapsed,
            "per s",
        ),
        ("planner: database queries per plan", counter.count / count, "queries"),
        ("planner: customer lookup uses an index (1 = yes)", 1.0 if indexed else 0.0, "flag"),
    ]


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dsar.settings")
    django.setup()
    for row in run():
        print(row)
