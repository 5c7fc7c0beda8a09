"""The reminder sweep: one run over a table of open requests of which 1% need a reminder.

Seeds inside a transaction that is rolled back. Reports the sweep's time, its peak Python
memory (tracemalloc) and its queries, at two table sizes: memory must not grow with the
table, since the sweep reads due rows in batches from an indexed column.
"""

from __future__ import annotations

import hashlib
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connection, transaction

from routing.models import Organisation, OutboundMessage, Request, Status
from routing.planning import load_registry_files
from routing.services.registry import registry_load
from routing.services.reminders import reminders_sweep

Row = tuple[str, float, str]


class _Counter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        self.count += 1
        return execute(sql, *args)


def _seed(total: int, due: int) -> None:
    organisations = list(Organisation.objects.exclude(team_email="").order_by("slug"))
    now = datetime.now(UTC)
    batch: list[Request] = []
    for n in range(total):
        organisation = organisations[n % len(organisations)]
        received = now - timedelta(days=25)
        due_on = (received + timedelta(days=30)).date()
        batch.append(
            Request(
                organisation=organisation,
                reference=f"REM-{n:08d}",
                status=Status.IN_PROGRESS,
                channel="api",
                kinds=["access"],
                subject_email=f"s{n}@example.org",
                regime=organisation.default_regime,
                received_at=received,
                received_on=received.date(),
                due_on=due_on,
                effective_due_on=due_on,
                # Spread the due reminders among the rows; the rest wait weeks.
                next_reminder_at=now - timedelta(minutes=5)
                if n % (total // due) == 0
                else now + timedelta(days=20),
                status_token_hash=hashlib.sha256(f"rem{n}".encode()).hexdigest(),
            )
        )
        if len(batch) == 10_000:
            Request.objects.bulk_create(batch)
            batch = []
    Request.objects.bulk_create(batch)


def _one(total: int, due: int) -> list[Row]:
    with transaction.atomic():
        registry_load(files=load_registry_files())
        Organisation.objects.update(team_email="team@example.org")
        _seed(total, due)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE routing_request")
        counter = _Counter()
        tracemalloc.start()
        started = time.perf_counter()
        with connection.execute_wrapper(counter):
            reminded = reminders_sweep()
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        sent = OutboundMessage.objects.filter(template="staff_reminder").count()
        transaction.set_rollback(True)
    label = f"reminders: sweep over {total:,} open requests, {due:,} due ({connection.vendor})"
    return [
        (f"{label}: time", elapsed, "s"),
        (f"{label}: reminders stored", float(min(reminded, sent)), "emails"),
        (f"{label}: peak Python memory", peak / 2**20, "MiB"),
        (f"{label}: queries per reminder", counter.count / max(reminded, 1), "queries"),
    ]


def run(quick: bool = False) -> list[Row]:
    sizes = [(20_000, 200), (100_000, 1_000)] if quick else [(100_000, 10_000), (1_000_000, 10_000)]
    rows: list[Row] = []
    for total, due in sizes:
        rows.extend(_one(total, due))
    return rows
