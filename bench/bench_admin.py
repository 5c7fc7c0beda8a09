"""The staff queue and the dashboard with 100,000 requests in the database.

Seeds rows with bulk inserts inside a transaction that is rolled back at the end, then
times the pages through Django's test client (server time, no network) and counts their
queries.
"""

from __future__ import annotations

import hashlib
import random
import statistics
import time
from datetime import UTC, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from routing.models import Membership, Organisation, Request, Status
from routing.planning import load_registry_files
from routing.services.registry import registry_load

Row = tuple[str, float, str]
STATUSES = [
    Status.NEW,
    Status.IN_PROGRESS,
    Status.AWAITING_SUBJECT,
    Status.COMPLETED,
    Status.DENIED,
    Status.WITHDRAWN,
]


def _seed(count: int) -> None:
    organisations = list(Organisation.objects.all())
    rng = random.Random(11)
    now = datetime.now(UTC)
    batch: list[Request] = []
    for n in range(count):
        organisation = organisations[n % len(organisations)]
        received = now - timedelta(days=rng.randrange(0, 400), minutes=rng.randrange(1440))
        due = (received + timedelta(days=30)).date()
        status = rng.choice(STATUSES)
        closed = status in (Status.COMPLETED, Status.DENIED, Status.WITHDRAWN)
        batch.append(
            Request(
                organisation=organisation,
                reference=f"BENCH-{n:07d}",
                status=status,
                channel="api",
                kinds=[rng.choice(["access", "erasure", "objection"])],
                subject_name=f"Subject {n}",
                subject_email=f"subject{n}@example.org",
                regime=organisation.default_regime,
                received_at=received,
                received_on=received.date(),
                due_on=due,
                effective_due_on=due,
                forward_due_on=received.date() + timedelta(days=1),
                closed_at=received + timedelta(days=rng.randrange(1, 40)) if closed else None,
                status_token_hash=hashlib.sha256(f"bench{n}".encode()).hexdigest(),
            )
        )
        if len(batch) == 5_000:
            Request.objects.bulk_create(batch)
            batch = []
    Request.objects.bulk_create(batch)


def _time_page(client: Client, url: str, repeats: int) -> tuple[float, float, int]:
    timings = []
    queries = 0
    for _ in range(repeats):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured.captured_queries)
    return statistics.median(timings), max(timings), queries


def run(quick: bool = False) -> list[Row]:
    count = 5_000 if quick else 100_000
    repeats = 5 if quick else 15
    rows: list[Row] = []
    with transaction.atomic():
        registry_load(files=load_registry_files())
        _seed(count)
        if connection.vendor == "postgresql":
            # Fresh statistics, as autovacuum would give a real table of this size.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE routing_request")
        user_model = get_user_model()
        superuser = user_model.objects.create_superuser("bench-admin", "b@example.org", "x")
        staff = user_model.objects.create_user("bench-staff", "s@example.org", "x", is_staff=True)
        from django.contrib.auth.models import Permission

        staff.user_permissions.set(Permission.objects.filter(content_type__app_label="routing"))
        Membership.objects.create(user=staff, organisation=Organisation.objects.get(slug="callkom"))
        pages = {
            "queue (default, 100 rows)": "/admin/routing/request/",
            "queue filtered overdue": "/admin/routing/request/?due=overdue",
            "queue search by email": "/admin/routing/request/?q=subject4242%40example.org",
            "dashboard": "/dashboard/",
        }
        for who, user in (("superuser", superuser), ("staff of one organisation", staff)):
            client = Client()
            client.force_login(user)
            for label, url in pages.items():
                median, worst, queries = _time_page(client, url, repeats)
                rows.append((f"admin: {label}, {who}: slowest of {repeats}", worst, "ms"))
                name = f"admin: {label}, {who}, {count:,} requests ({connection.vendor})"
                rows.append((f"{name}: median server time", median, "ms"))
                rows.append((f"{name}: queries", float(queries), "queries"))
        transaction.set_rollback(True)
    return rows
