"""Transitions racing on PostgreSQL: the row lock lets exactly the allowed ones through,
nothing is lost, and the audit trail tells the same story as the row."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from typing import Any

import pytest
from django.db import connection

from routing.models import Event, Organisation, ReferenceCounter, Request, Status
from routing.services.actors import Actor
from routing.services.requests import (
    TransitionError,
    request_deny,
    request_extend,
    request_receive,
    request_withdraw,
)
from routing.services.retention import purge_closed_requests
from tests.factories import StaffFactory, make_request

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 20


def _race(calls: list[Callable[[], Any]]) -> list[str]:
    """Run every call at once, each in its own thread and connection; their outcomes."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = [""] * len(calls)

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            calls[index]()
            outcomes[index] = "ok"
        except TransitionError:
            outcomes[index] = "refused"
        except Exception as error:  # reported by the assertion below
            outcomes[index] = f"error: {error!r}"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not [o for o in outcomes if o.startswith("error") or not o], outcomes
    return outcomes


@pytest.fixture
def staff(registry):
    return StaffFactory(organisations=list(Organisation.objects.all()))


def _by(staff: Any, index: int) -> Actor:
    return Actor(type="staff", user=staff, label=f"desk-{index}")


def _extend(pk: int, staff: Any, index: int) -> None:
    # Each thread reads its own copy, as separate web requests would.
    request_extend(request=Request.objects.get(pk=pk), by=_by(staff, index), reason=f"r{index}")


def _deny(pk: int, staff: Any, index: int) -> None:
    request_deny(
        request=Request.objects.get(pk=pk),
        by=_by(staff, 100 + index),
        ground="excessive",
        note=f"n{index}",
    )


def test_twenty_extensions_at_once_extend_once(staff) -> None:
    request = make_request("callkom")

    outcomes = _race([partial(_extend, request.pk, staff, i) for i in range(THREADS)])

    assert Counter(outcomes) == {"ok": 1, "refused": THREADS - 1}
    request.refresh_from_db()
    extended = request.events.filter(type="extended")
    assert extended.count() == 1
    event = extended.get()
    assert request.extension_reason == event.data["reason"], "the winner's reason was kept"
    assert request.effective_due_on.isoformat() == event.data["effective_due_on"]
    assert request.extended_at is not None


def test_extensions_and_denials_race_and_the_trail_matches_the_row(staff) -> None:
    request = make_request("callkom")
    calls: list[Callable[[], Any]] = []
    for i in range(THREADS // 2):
        # Interleaved, so neither kind has a head start: even = extend, odd = deny.
        calls.append(partial(_extend, request.pk, staff, i))
        calls.append(partial(_deny, request.pk, staff, i))

    outcomes = _race(calls)

    extends_ok = sum(1 for i, o in enumerate(outcomes) if o == "ok" and i % 2 == 0)
    denies_ok = sum(1 for i, o in enumerate(outcomes) if o == "ok" and i % 2 == 1)
    assert denies_ok == 1, "the first denial closes the request; the others find it closed"
    assert extends_ok in (0, 1), "an extension can only win before the denial, and once"
    assert outcomes.count("refused") == THREADS - denies_ok - extends_ok

    request.refresh_from_db()
    trail = list(request.events.order_by("created_at", "pk"))
    types = [e.type for e in trail]
    assert types.count("denied") == 1
    assert types.count("extended") == extends_ok
    assert request.status == Status.DENIED
    denied = next(e for e in trail if e.type == "denied")
    assert request.outcome_note == denied.data["note"]
    assert request.closed_at is not None
    if extends_ok:
        extended = next(e for e in trail if e.type == "extended")
        assert types.index("extended") < types.index("denied")
        assert request.extension_reason == extended.data["reason"]
        assert request.extended_at is not None
    else:
        assert request.extended_at is None
        assert request.extension_reason == ""


def test_concurrent_intake_gives_unique_sequential_references(registry) -> None:
    callkom = Organisation.objects.get(slug="callkom")
    received: list[Request] = []
    lock = threading.Lock()

    def receive(i: int) -> None:
        request = request_receive(
            organisation=callkom,
            kinds=["access"],
            subject={"email": f"subject{i}@example.org", "country": "FR"},
            by=Actor.system("test"),
            verified=True,
        ).request
        with lock:
            received.append(request)

    _race([partial(receive, i) for i in range(THREADS)])

    references = sorted(r.reference for r in received)
    year = received[0].received_on.year
    assert references == [f"CK-{year}-{n:06d}" for n in range(1, THREADS + 1)]
    assert ReferenceCounter.objects.get(organisation=callkom, year=year).last == THREADS
    assert Request.objects.filter(organisation=callkom).count() == THREADS


def test_purges_running_at_once_share_the_work(registry, time_machine) -> None:
    time_machine.move_to(datetime(2026, 1, 5, 9, 0, tzinfo=UTC), tick=False)
    requests = [make_request("comfortclick", email=f"s{i}@example.org") for i in range(30)]
    for request in requests:
        request_withdraw(request=request, by=Actor.system("test"))
    time_machine.move_to(datetime(2028, 6, 1, 9, 0, tzinfo=UTC), tick=False)
    purged: list[int] = []
    lock = threading.Lock()

    def purge() -> None:
        count = purge_closed_requests(batch_size=4)
        with lock:
            purged.append(count)

    _race([purge for _ in range(4)])

    assert sum(purged) == 30, purged
    assert not Request.objects.filter(purged_at__isnull=True).exists()
    assert Event.objects.filter(type="purged").count() == 30, "each request purged once"
