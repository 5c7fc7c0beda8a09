"""Webhook delivery against a real HTTP receiver on the loopback interface."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.utils import timezone
from standardwebhooks import Webhook

from routing.models import DeliveryStatus, Organisation, WebhookDelivery
from routing.services import webhook_delivery
from routing.services.actors import Actor
from routing.services.integrations import integration_create, integration_revoke
from routing.services.requests import request_deny, route_mark_sent
from routing.services.webhook_delivery import (
    GIVE_UP_AFTER,
    backoff_seconds,
    delivery_attempt,
    delivery_redeliver,
    webhooks_relay,
)
from routing.webhook_tasks import deliver_webhook
from tests.factories import make_request
from tests.support.api import contract_body

pytestmark = pytest.mark.django_db


class Receiver:
    """A ThreadingHTTPServer on 127.0.0.1:0 that records what it gets and answers the
    statuses queued in ``answers`` (then 200)."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.answers: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append(
                    {"path": self.path, "headers": dict(self.headers), "body": body}
                )
                status = receiver.answers.pop(0) if receiver.answers else 200
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/dsar"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def events(self) -> list[dict[str, Any]]:
        return [json.loads(r["body"]) for r in self.received]


@pytest.fixture(autouse=True)
def allow_local_receivers(settings: Any) -> None:
    """The receivers here listen on the loopback interface, which webhooks refuse unless
    this setting allows it."""
    settings.DSAR_WEBHOOK_ALLOW_PRIVATE = True


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    receiver = Receiver()
    receiver.thread.start()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


@pytest.fixture
def hooked(registry, receiver):
    """An integration of Callkom whose webhook is the receiver."""
    return integration_create(
        name="Hooks", organisations=[Organisation.objects.get(slug="callkom")],
        webhook_url=receiver.url,
    ).integration  # fmt: skip


@pytest.fixture
def enqueued(monkeypatch) -> list[int]:
    """What would be handed to the broker, in order."""
    ids: list[int] = []
    monkeypatch.setattr(webhook_delivery, "_enqueue", ids.append)
    return ids


def _delivery(event_type: str) -> WebhookDelivery:
    return WebhookDelivery.objects.get(event_type=event_type)


def test_a_delivery_is_a_signed_json_post_with_the_event_id(hooked, receiver, enqueued) -> None:
    request = make_request()
    delivery = _delivery("request.created")

    assert delivery_attempt(delivery_id=delivery.pk).status == "delivered"

    [received] = receiver.received
    headers, body = received["headers"], received["body"]
    assert received["path"] == "/hooks/dsar"
    assert headers["Content-Type"] == "application/json"
    assert headers["webhook-id"] == str(delivery.event_id)
    assert headers["X-DSAR-Event-Type"] == "request.created"
    Webhook(hooked.webhook_secret).verify(body, headers)
    event = json.loads(body)
    assert event["id"] == str(delivery.event_id)
    assert event["type"] == "request.created"
    assert event["data"]["reference"] == request.reference
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 1, 200)


def test_a_failure_is_retried_with_backoff_then_delivered(
    hooked, receiver, enqueued, time_machine
) -> None:
    time_machine.move_to("2026-03-02T10:00:00Z", tick=False)
    make_request()
    delivery = _delivery("request.created")
    receiver.answers = [500, 503]

    attempted_at = [int(timezone.now().timestamp())]
    first = delivery_attempt(delivery_id=delivery.pk)
    assert (first.status, first.retry_in) == ("retry", backoff_seconds(1))
    delivery.refresh_from_db()
    assert delivery.last_status_code == 500
    assert delivery.next_attempt_at == timezone.now() + timedelta(seconds=30)
    # Not due yet: a second task or the relay does nothing.
    assert delivery_attempt(delivery_id=delivery.pk).status == "skipped"
    assert webhooks_relay() == 0

    time_machine.move_to(delivery.next_attempt_at, tick=False)
    assert webhooks_relay() == 1
    attempted_at.append(int(timezone.now().timestamp()))
    second = delivery_attempt(delivery_id=delivery.pk)
    assert (second.status, second.retry_in) == ("retry", backoff_seconds(2))

    time_machine.move_to(timezone.now() + timedelta(seconds=second.retry_in or 0), tick=False)
    attempted_at.append(int(timezone.now().timestamp()))
    assert delivery_attempt(delivery_id=delivery.pk).status == "delivered"
    assert len(receiver.received) == 3
    # The same event each time: the receiver can deduplicate by its id.
    assert {r["headers"]["webhook-id"] for r in receiver.received} == {str(delivery.event_id)}
    # Each attempt is signed at its own time, so a late retry is not refused as stale.
    assert [int(r["headers"]["webhook-timestamp"]) for r in receiver.received] == attempted_at
    Webhook(hooked.webhook_secret).verify(
        receiver.received[-1]["body"], receiver.received[-1]["headers"]
    )
    assert [r["headers"]["X-DSAR-Delivery-Attempt"] for r in receiver.received] == ["1", "2", "3"]


def test_backoff_grows_to_an_hour() -> None:
    assert [backoff_seconds(n) for n in (1, 2, 3, 8, 20)] == [30, 60, 120, 3600, 3600]


def test_an_unreachable_receiver_is_retried(hooked, receiver, enqueued) -> None:
    receiver.server.shutdown()
    receiver.server.server_close()
    make_request()
    delivery = _delivery("request.created")

    outcome = delivery_attempt(delivery_id=delivery.pk)

    assert outcome.status == "retry"
    delivery.refresh_from_db()
    assert "ConnectionError" in delivery.last_error
    assert delivery.last_status_code is None


def test_after_24_hours_of_failures_it_is_given_up(
    hooked, receiver, enqueued, time_machine
) -> None:
    time_machine.move_to("2026-03-02T10:00:00Z", tick=False)
    make_request()
    delivery = _delivery("request.created")
    receiver.answers = [500] * 100
    attempts = 0
    while True:
        outcome = delivery_attempt(delivery_id=delivery.pk)
        attempts += 1
        if outcome.status != "retry":
            break
        time_machine.move_to(timezone.now() + timedelta(seconds=outcome.retry_in or 0), tick=False)

    delivery.refresh_from_db()
    assert outcome.status == "failed"
    assert delivery.status == DeliveryStatus.FAILED
    assert timezone.now() == delivery.created_at + GIVE_UP_AFTER
    assert 20 <= attempts <= 40


def test_deliveries_of_one_request_go_in_order(hooked, receiver, enqueued, time_machine) -> None:
    time_machine.move_to("2026-03-02T10:00:00Z", tick=False)
    request = make_request(kinds=("access",), scopes=["callkom:website"])
    time_machine.move_to(timezone.now() + timedelta(seconds=1), tick=False)
    route_mark_sent(route=request.routes.get(), by=Actor.system())
    time_machine.move_to(timezone.now() + timedelta(seconds=1), tick=False)
    request_deny(request=request, by=Actor.system(), ground="excessive")
    order = list(WebhookDelivery.objects.order_by("created_at", "id"))
    assert order[0].event_type == "request.created"
    assert len(order) >= 3
    receiver.answers = [500]

    # The first fails; the later ones wait for it rather than overtaking it.
    assert delivery_attempt(delivery_id=order[0].pk).status == "retry"
    for later in order[1:]:
        assert delivery_attempt(delivery_id=later.pk).status == "waiting"
    assert len(receiver.received) == 1
    assert webhooks_relay() == 0  # the head is backing off; the rest wait behind it

    time_machine.move_to(timezone.now() + timedelta(minutes=1), tick=False)
    enqueued.clear()
    assert delivery_attempt(delivery_id=order[0].pk).status == "delivered"
    # Each delivered one hands the broker the next.
    while enqueued:
        assert delivery_attempt(delivery_id=enqueued.pop(0)).status == "delivered"

    events = receiver.events()
    assert [e["id"] for e in events] == [str(order[0].event_id)] + [str(d.event_id) for d in order]
    assert [e["type"] for e in events[1:]] == [d.event_type for d in order]


def test_deliveries_of_other_requests_do_not_wait(hooked, receiver, enqueued) -> None:
    make_request(email="a@example.org")
    make_request(email="b@example.org")
    first, second = WebhookDelivery.objects.filter(event_type="request.created").order_by("id")
    receiver.answers = [500]

    assert delivery_attempt(delivery_id=first.pk).status == "retry"
    assert delivery_attempt(delivery_id=second.pk).status == "delivered"


def test_a_given_up_delivery_lets_the_next_go(hooked, receiver, enqueued) -> None:
    request = make_request()
    request_deny(request=request, by=Actor.system(), ground="excessive")
    created, changed = WebhookDelivery.objects.order_by("created_at", "id")
    WebhookDelivery.objects.filter(pk=created.pk).update(status=DeliveryStatus.FAILED)

    assert delivery_attempt(delivery_id=changed.pk).status == "delivered"


def test_a_revoked_integration_gets_nothing_more(hooked, receiver, enqueued) -> None:
    make_request()
    integration_revoke(integration=hooked)

    assert delivery_attempt(delivery_id=_delivery("request.created").pk).status == "failed"
    assert receiver.received == []


def test_an_integration_no_longer_seeing_the_organisation_gets_nothing(
    hooked, receiver, enqueued
) -> None:
    make_request()
    hooked.organisations.remove(Organisation.objects.get(slug="callkom"))

    delivery = _delivery("request.created")
    assert delivery_attempt(delivery_id=delivery.pk).status == "failed"
    assert receiver.received == []
    delivery.refresh_from_db()
    assert delivery.last_error == "integration no longer sees this organisation"


def test_the_relay_offers_what_the_broker_never_got(
    hooked, receiver, enqueued, time_machine
) -> None:
    time_machine.move_to("2026-03-02T10:00:00Z", tick=False)
    make_request()
    delivery = _delivery("request.created")
    assert webhooks_relay() == 0  # just enqueued on commit: give that a chance first

    time_machine.move_to(timezone.now() + timedelta(minutes=1), tick=False)
    assert webhooks_relay() == 1
    assert enqueued == [delivery.pk]


def test_a_worker_that_died_mid_attempt_is_taken_over_after_the_lease(
    hooked, receiver, enqueued, time_machine
) -> None:
    time_machine.move_to("2026-03-02T10:00:00Z", tick=False)
    make_request()
    delivery = _delivery("request.created")
    assert webhook_delivery._claim(delivery, timezone.now())  # claimed, then the worker died

    assert delivery_attempt(delivery_id=delivery.pk).status == "skipped"
    time_machine.move_to(timezone.now() + webhook_delivery.LEASE, tick=False)
    assert webhooks_relay() == 1
    assert delivery_attempt(delivery_id=delivery.pk).status == "delivered"


def test_redeliver_sends_a_delivered_event_again(hooked, receiver, enqueued) -> None:
    make_request()
    delivery = _delivery("request.created")
    delivery_attempt(delivery_id=delivery.pk)

    delivery_redeliver(delivery=delivery)

    assert enqueued == [delivery.pk]
    assert delivery_attempt(delivery_id=delivery.pk).status == "delivered"
    assert len(receiver.received) == 2


def test_the_task_delivers_and_retries_through_celery(hooked, receiver, enqueued, settings) -> None:
    from dsar.celery import app as celery_app

    make_request()
    delivery = _delivery("request.created")
    receiver.answers = [500]
    celery_app.conf.task_always_eager = True
    try:
        # Eager retries run at once, ignoring the countdown: the second attempt is then
        # not due yet and is skipped; the relay takes it later.
        assert deliver_webhook.delay(delivery.pk).get() in {"skipped", "delivered"}
    finally:
        celery_app.conf.task_always_eager = False
    delivery.refresh_from_db()
    assert delivery.attempts == 1
    assert delivery.status == DeliveryStatus.PENDING


def test_a_request_created_through_the_api_reaches_the_receiver(
    hooked, receiver, api, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    import routing.webhook_tasks

    handed: list[int] = []
    # Stand in for the broker: the delivery itself is run below, against the receiver.
    monkeypatch.setattr(routing.webhook_tasks.deliver_webhook, "delay", handed.append)

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/v1/requests/", contract_body(), format="json")
    assert handed  # handed to the broker once the request was committed
    # Each delivered one hands the next to the broker again; deliver each id once, in order.
    for delivery_id in dict.fromkeys(list(handed)):
        assert delivery_attempt(delivery_id=delivery_id).status == "delivered"

    events = receiver.events()
    stored = WebhookDelivery.objects.order_by("created_at", "id")
    # In the order the events were stored, whatever order the broker handed them.
    assert [e["id"] for e in events] == [str(d.event_id) for d in stored]
    assert "request.created" in {e["type"] for e in events}
    assert {e["data"]["id"] for e in events} == {response.json()["id"]}
    assert {e["organisation"] for e in events} == {"callkom"}


def test_the_relay_and_purge_tasks_call_their_services(hooked, enqueued, time_machine) -> None:
    from routing.webhook_tasks import purge_idempotency_keys, relay_webhooks

    time_machine.move_to("2026-03-02T10:00:00Z", tick=False)
    make_request()
    time_machine.move_to(timezone.now() + timedelta(minutes=1), tick=False)

    assert relay_webhooks() == 1
    assert purge_idempotency_keys() == 0


def test_due_soon_then_overdue_are_emitted_once_each(
    hooked, receiver, enqueued, time_machine
) -> None:
    from routing.services.webhook_delivery import DUE_SOON_DAYS, webhooks_deadline_sweep

    time_machine.move_to("2026-03-02T10:00:00Z", tick=False)
    request = make_request()
    make_request("comfortclick")  # no integration with a webhook sees it
    assert webhooks_deadline_sweep() == 0

    due = request.effective_due_on
    time_machine.move_to(f"{due - timedelta(days=DUE_SOON_DAYS)}T09:00:00+00:00", tick=False)
    assert webhooks_deadline_sweep() == 1
    assert webhooks_deadline_sweep() == 0
    soon = _delivery("request.due_soon")
    assert soon.payload["data"]["due_on"] == due.isoformat()
    assert soon.payload["data"]["days_left"] == DUE_SOON_DAYS

    time_machine.move_to(f"{due + timedelta(days=1)}T09:00:00+00:00", tick=False)
    assert webhooks_deadline_sweep() == 1
    assert webhooks_deadline_sweep() == 0
    assert _delivery("request.overdue").payload["data"]["days_left"] == -1

    request_deny(request=request, by=Actor.system(), ground="excessive")
    time_machine.move_to(f"{due + timedelta(days=5)}T09:00:00+00:00", tick=False)
    assert webhooks_deadline_sweep() == 0
