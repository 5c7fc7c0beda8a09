"""Delivery checks the address again, after resolving the name, and connects to the
address it checked: a URL saved before the rule, or a name that now resolves inside the
network, gets nothing, and the delivery fails at once with the reason."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from routing.domain import url_safety
from routing.models import DeliveryStatus, WebhookDelivery
from routing.services.webhook_delivery import delivery_attempt, delivery_redeliver
from routing.webhook_tasks import deliver_webhook
from tests.factories import make_request

pytestmark = pytest.mark.django_db


def _created_delivery() -> WebhookDelivery:
    make_request()
    return WebhookDelivery.objects.get(event_type="request.created")


def test_a_loopback_receiver_gets_nothing_and_the_delivery_fails_with_the_reason(
    hook_to, receiver
) -> None:
    hook_to(receiver.url)
    delivery = _created_delivery()

    outcome = delivery_attempt(delivery_id=delivery.pk)

    assert outcome.status == "failed"
    assert outcome.retry_in is None
    assert receiver.received == []
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == 1
    assert delivery.next_attempt_at is None
    assert delivery.last_error.startswith("Refused: 127.0.0.1 is a loopback address")
    assert "DSAR_WEBHOOK_ALLOW_PRIVATE" in delivery.last_error


def test_a_name_resolving_to_loopback_is_refused_when_sending(hook_to, receiver) -> None:
    hook_to(f"http://localhost:{receiver.port}/hooks")
    delivery = _created_delivery()

    assert delivery_attempt(delivery_id=delivery.pk).status == "failed"

    assert receiver.received == []
    delivery.refresh_from_db()
    assert delivery.last_error.startswith("Refused: localhost resolves to ")


def test_with_the_setting_the_same_receiver_gets_the_delivery(hook_to, receiver, settings) -> None:
    settings.DSAR_WEBHOOK_ALLOW_PRIVATE = True
    hook_to(f"http://localhost:{receiver.port}/hooks")
    delivery = _created_delivery()

    assert delivery_attempt(delivery_id=delivery.pk).status == "delivered"

    assert [r["path"] for r in receiver.received] == ["/hooks"]
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED


def test_a_refused_delivery_is_not_retried_by_the_task(hook_to, receiver) -> None:
    from dsar.celery import app as celery_app

    hook_to(receiver.url)
    delivery = _created_delivery()
    celery_app.conf.task_always_eager = True
    try:
        assert deliver_webhook.delay(delivery.pk).get() == "failed"
    finally:
        celery_app.conf.task_always_eager = False

    delivery.refresh_from_db()
    assert delivery.attempts == 1
    assert delivery.status == DeliveryStatus.FAILED
    # Offered again, it is no longer pending: nothing is sent.
    assert delivery_attempt(delivery_id=delivery.pk).status == "skipped"
    assert receiver.received == []


def test_redelivering_a_refused_delivery_is_refused_again(hook_to, receiver, no_broker) -> None:
    hook_to(receiver.url)
    delivery = _created_delivery()
    delivery_attempt(delivery_id=delivery.pk)

    delivery_redeliver(delivery=delivery)

    assert no_broker == [delivery.pk]
    assert delivery_attempt(delivery_id=delivery.pk).status == "failed"
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    assert receiver.received == []


class RebindingResolver:
    """A name server that answers ``first`` once, then ``later``: what a rebinding attacker
    runs. The tests have no name server of their own, so it stands in for one."""

    def __init__(self, name: str, first: str, later: str) -> None:
        self.name, self.answers, self.asked = name, [first, later], 0
        self.real = socket.getaddrinfo

    def __call__(self, host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host != self.name:
            return self.real(host, port, *args, **kwargs)
        address = self.answers[min(self.asked, 1)]
        self.asked += 1
        return self.real(address, port, *args, **kwargs)


def test_the_connection_goes_to_the_address_checked_not_to_a_second_answer(
    hook_to, receiver, settings, monkeypatch
) -> None:
    # With the setting on, the first answer (the receiver) passes the check; a second
    # lookup would get an address nothing listens on. One lookup, and the receiver gets
    # the delivery with the name kept in the Host header.
    settings.DSAR_WEBHOOK_ALLOW_PRIVATE = True
    resolver = RebindingResolver("hooks.rebind.test", first="127.0.0.1", later="127.0.0.2")
    monkeypatch.setattr(url_safety.socket, "getaddrinfo", resolver)
    hook_to(f"http://hooks.rebind.test:{receiver.port}/hooks")
    delivery = _created_delivery()

    assert delivery_attempt(delivery_id=delivery.pk).status == "delivered"

    assert resolver.asked == 1
    assert receiver.received == [{"path": "/hooks", "host": f"hooks.rebind.test:{receiver.port}"}]


def test_a_name_that_rebinds_to_loopback_after_saving_is_refused(
    hook_to, receiver, monkeypatch
) -> None:
    resolver = RebindingResolver("hooks.rebind.test", first="93.184.215.14", later="127.0.0.1")
    monkeypatch.setattr(url_safety.socket, "getaddrinfo", resolver)
    # Saved while the name resolved to a public address.
    assert url_safety.webhook_url_problem(f"http://hooks.rebind.test:{receiver.port}/h") is None
    hook_to(f"http://hooks.rebind.test:{receiver.port}/hooks")
    delivery = _created_delivery()

    assert delivery_attempt(delivery_id=delivery.pk).status == "failed"

    assert receiver.received == []
    delivery.refresh_from_db()
    assert delivery.last_error.startswith("Refused: hooks.rebind.test resolves to 127.0.0.1")
