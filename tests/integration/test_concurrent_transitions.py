"""Twenty integrations' calls close one request at the same moment (complete, deny and
withdraw, each allowed once): exactly one succeeds, every other gets a 409 that names
the conflict, and the audit trail and outbox hold the winner's change only."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import pytest

from routing.models import (
    CLOSED_STATUSES,
    Event,
    Organisation,
    OutboundMessage,
    RouteStatus,
    Status,
)
from routing.services.actors import Actor
from routing.services.integrations import integration_create
from routing.services.requests import route_mark_done, route_mark_not_applicable
from tests.factories import make_request
from tests.integration.faults import purge_queue

pytestmark = [
    pytest.mark.integration,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

CALLS = 20


@dataclass(frozen=True)
class Transition:
    body: dict[str, str]
    status: str
    event: str
    email: str | None  # the template the subject is sent, if any


TRANSITIONS = {
    "complete": Transition({"note": "Done."}, Status.COMPLETED, "completed", "request_completed"),
    "deny": Transition({"ground": "excessive"}, Status.DENIED, "denied", "request_denied"),
    "withdraw": Transition({"note": "Asked by phone."}, Status.WITHDRAWN, "withdrawn", None),
}
# Every event type that closes a request.
CLOSING_EVENTS = {"completed", "denied", "withdrawn", "marked_duplicate", "expired"}


@dataclass(frozen=True)
class Answer:
    action: str
    status: int
    body: dict[str, Any]


@pytest.fixture
def private_queue(worker_queue: str) -> Iterator[str]:
    """The emails the transitions owe go to a queue of the test's own, no worker's; they
    are dropped afterwards."""
    yield worker_queue
    purge_queue(worker_queue)


def _post(url: str, token: str, action: str, start: threading.Barrier) -> Answer:
    call = urllib.request.Request(  # noqa: S310 (the live server's http URL)
        f"{url}{action}/",
        data=json.dumps(TRANSITIONS[action].body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    start.wait(timeout=30)
    try:
        with urllib.request.urlopen(call, timeout=60) as response:  # noqa: S310
            return Answer(action, response.status, json.loads(response.read()))
    except urllib.error.HTTPError as error:
        raw = error.read()
        try:
            body = json.loads(raw)
        except ValueError:
            body = {"unparsed": raw.decode(errors="replace")[:500]}
        return Answer(action, error.code, body)


def test_concurrent_closing_transitions_let_exactly_one_win(
    registry: Any, live_server: Any, private_queue: str
) -> None:
    organisation = Organisation.objects.get(slug="callkom")
    created = integration_create(name="Help desk", organisations=[organisation])
    request = make_request(
        "callkom", kinds=("objection",), scopes=["callkom:ai-calls"],
        identifiers={"phone": "+33 1 99 00 12 34"},
    )  # fmt: skip
    # Every route acted on, so completing is allowed too: all three start out possible.
    for route in request.routes.all():
        if route.status == RouteStatus.NEEDS_CUSTOMER:
            route_mark_not_applicable(route=route, by=Actor.system("test"))
        elif route.status != RouteStatus.DONE:
            route_mark_done(route=route, by=Actor.system("test"))
    request.refresh_from_db()
    assert request.status == Status.IN_PROGRESS
    events_before = set(Event.objects.filter(request=request).values_list("pk", flat=True))
    messages_before = set(
        OutboundMessage.objects.filter(request=request).values_list("pk", flat=True)
    )

    actions = [list(TRANSITIONS)[n % len(TRANSITIONS)] for n in range(CALLS)]
    url = f"{live_server.url}/api/v1/requests/{request.pk}/"
    start = threading.Barrier(CALLS)
    with ThreadPoolExecutor(max_workers=CALLS) as pool:
        answers = list(pool.map(lambda action: _post(url, created.token, action, start), actions))

    assert Counter(answer.status for answer in answers) == {200: 1, 409: CALLS - 1}, answers
    (winner,) = [answer for answer in answers if answer.status == 200]
    won = TRANSITIONS[winner.action]
    assert winner.body["status"] == won.status
    request.refresh_from_db()
    assert request.status == won.status
    assert request.closed_at is not None

    final = Status(won.status).label
    for answer in answers:
        if answer.status != 409:
            continue
        # The API's one error shape, naming the refused move and the state that refused it.
        assert set(answer.body) == {"code", "message", "errors"}, answer.body
        assert answer.body["code"] == "not_allowed", answer.body
        assert answer.body["errors"] == {}, answer.body
        assert answer.body["message"].startswith(
            f"Cannot {answer.action} a request that is {final};"
        ), answer.body

    # The audit trail holds the winner's change and nothing from the refused calls.
    new_events = Event.objects.filter(request=request).exclude(pk__in=events_before)
    assert list(new_events.values_list("type", "actor_label")) == [(won.event, "Help desk")]
    closing = Event.objects.filter(request=request, type__in=CLOSING_EVENTS)
    assert list(closing.values_list("type", flat=True)) == [won.event]
    assert request.status in CLOSED_STATUSES
    # The subject is told once, of the outcome that stands.
    new_messages = OutboundMessage.objects.filter(request=request).exclude(pk__in=messages_before)
    assert list(new_messages.values_list("template", flat=True)) == (
        [won.email] if won.email else []
    )
