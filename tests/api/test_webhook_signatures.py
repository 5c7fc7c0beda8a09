"""Standard Webhooks signatures: a receiver built on the ``standardwebhooks`` library verifies
real deliveries, and secrets are in the form it reads."""

from __future__ import annotations

import base64
import importlib
import secrets
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from routing.models import Integration, Organisation, WebhookDelivery
from routing.services import webhook_delivery
from routing.services.integrations import integration_create
from routing.services.webhook_delivery import delivery_attempt
from routing.signatures import (
    secret_from_key,
    secret_generate,
    secret_key,
    signature,
    signed_headers,
)
from tests.factories import make_request

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("routing.migrations.0009_webhook_secret_standard")


class VerifyingReceiver:
    """An HTTP server on 127.0.0.1 that checks each POST with ``standardwebhooks`` and
    the secret it was given, answering 204 when it verifies and 401 otherwise."""

    def __init__(self) -> None:
        self.secret = ""
        self.received: list[dict[str, Any]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                headers = dict(self.headers)
                try:
                    verified: Any = Webhook(receiver.secret).verify(body, headers)
                except WebhookVerificationError as error:
                    verified = error
                receiver.received.append({"headers": headers, "body": body, "verified": verified})
                self.send_response(401 if isinstance(verified, Exception) else 204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )


@pytest.fixture(autouse=True)
def allow_local_receivers(settings: Any) -> None:
    """The receivers here listen on the loopback interface, which webhooks refuse unless
    this setting allows it."""
    settings.DSAR_WEBHOOK_ALLOW_PRIVATE = True


@pytest.fixture
def receiver() -> Iterator[VerifyingReceiver]:
    receiver = VerifyingReceiver()
    receiver.thread.start()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


@pytest.fixture
def hooked(registry: Any, receiver: VerifyingReceiver, monkeypatch: Any) -> Integration:
    # No broker here: deliveries are attempted by the test itself.
    monkeypatch.setattr(webhook_delivery, "_enqueue", lambda delivery_id: None)
    integration = integration_create(
        name="Verified hooks", organisations=[Organisation.objects.get(slug="callkom")],
        webhook_url=receiver.url,
    ).integration  # fmt: skip
    receiver.secret = integration.webhook_secret
    return integration


def _deliver() -> WebhookDelivery:
    make_request()
    delivery = WebhookDelivery.objects.get(event_type="request.created")
    delivery_attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    return delivery


def test_the_library_verifies_a_real_delivery(hooked, receiver) -> None:
    delivery = _deliver()

    [received] = receiver.received
    assert not isinstance(received["verified"], Exception), received["verified"]
    assert received["verified"]["id"] == str(delivery.event_id)
    assert delivery.status == "delivered"
    headers = received["headers"]
    assert headers["webhook-id"] == str(delivery.event_id)
    assert headers["webhook-signature"].startswith("v1,")


def test_a_tampered_body_or_another_secret_fails_verification(hooked, receiver) -> None:
    _deliver()
    [received] = receiver.received
    headers, body = received["headers"], received["body"]

    Webhook(hooked.webhook_secret).verify(body, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(hooked.webhook_secret).verify(
            body.replace(b"request.created", b"request.overdue"), headers
        )
    with pytest.raises(WebhookVerificationError):
        Webhook(secret_generate()).verify(body, headers)


def test_a_receiver_with_another_secret_refuses_and_the_delivery_is_retried(
    hooked, receiver
) -> None:
    receiver.secret = secret_generate()

    delivery = _deliver()

    assert isinstance(receiver.received[0]["verified"], WebhookVerificationError)
    assert (delivery.status, delivery.last_status_code) == ("pending", 401)


def test_a_generated_secret_is_whsec_and_the_base64_of_32_random_bytes() -> None:
    secret = secret_generate()

    assert secret.startswith("whsec_")
    key = base64.b64decode(secret.removeprefix("whsec_"), validate=True)
    assert len(key) == 32
    assert secret_key(secret) == key
    assert secret_generate() != secret


def test_an_empty_secret_signs_nothing() -> None:
    # Better a failed attempt than a body anyone could sign with an empty key.
    with pytest.raises(ValueError, match="empty webhook secret"):
        signed_headers(secret="", message_id="e1", timestamp=1, body=b"{}")


def test_signed_headers_verify_with_the_library(time_machine) -> None:
    time_machine.move_to("2026-03-02T10:00:00Z", tick=False)
    secret, body = secret_generate(), b'{"id":"e1"}'

    headers = signed_headers(secret=secret, message_id="e1", timestamp=1_772_445_600, body=body)

    assert headers["webhook-timestamp"] == "1772445600"
    assert Webhook(secret).verify(body, headers) == {"id": "e1"}


@pytest.mark.parametrize(
    "secret",
    [
        "whsec_" + secrets.token_urlsafe(32),  # the previous form: url-safe, unpadded
        base64.b64encode(secrets.token_bytes(32)).decode(),  # no prefix
        secret_from_key(secrets.token_bytes(16)),  # too short
        secret_from_key(secrets.token_bytes(65)),  # too long
    ],
)
def test_a_secret_not_in_the_standard_form_is_refused(registry, secret: str) -> None:
    with pytest.raises(ValidationError) as caught:
        integration_create(
            name="Typed", organisations=[Organisation.objects.get(slug="callkom")],
            webhook_url="https://desk.example/hook", webhook_secret=secret,
        )  # fmt: skip
    assert "webhook_secret" in caught.value.message_dict


@pytest.mark.parametrize("size", [24, 64])
def test_a_standard_secret_is_kept(registry, size: int) -> None:
    secret = secret_from_key(secrets.token_bytes(size))

    integration = integration_create(
        name="Typed", organisations=[Organisation.objects.get(slug="callkom")],
        webhook_url="https://desk.example/hook", webhook_secret=secret,
    ).integration  # fmt: skip

    assert integration.webhook_secret == secret


def test_a_secret_of_the_previous_form_keeps_its_key(hooked, receiver) -> None:
    """One the previous release wrote during an upgrade: its bytes are the key, which the
    receiver holds as the standard form of that same string."""
    legacy = "whsec_" + secrets.token_urlsafe(32)
    Integration.objects.filter(pk=hooked.pk).update(webhook_secret=legacy)
    receiver.secret = secret_from_key(legacy.encode())

    delivery = _deliver()

    assert not isinstance(receiver.received[0]["verified"], Exception)
    assert delivery.status == "delivered"


def test_the_migration_rewrites_previous_secrets_with_the_same_key(registry) -> None:
    callkom = Organisation.objects.get(slug="callkom")
    legacy = "whsec_" + secrets.token_urlsafe(32)
    standard = secret_generate()
    old, new, none = (
        integration_create(name=name, organisations=[callkom]).integration
        for name in ("Old", "New", "None")
    )
    Integration.objects.filter(pk=old.pk).update(webhook_secret=legacy)
    Integration.objects.filter(pk=new.pk).update(webhook_secret=standard)

    MIGRATION.to_standard(apps, None)

    rewritten = Integration.objects.get(pk=old.pk).webhook_secret
    assert rewritten == secret_from_key(legacy.encode())
    # Signed as the previous release did (the string's bytes as key), it still verifies.
    now = int(time.time())
    headers = {
        "webhook-id": "e1",
        "webhook-timestamp": str(now),
        "webhook-signature": signature(legacy.encode(), message_id="e1", timestamp=now, body=b"{}"),
    }
    assert Webhook(rewritten).verify(b"{}", headers) == {}
    assert Integration.objects.get(pk=new.pk).webhook_secret == standard
    assert Integration.objects.get(pk=none.pk).webhook_secret == ""

    MIGRATION.to_previous(apps, None)

    assert Integration.objects.get(pk=old.pk).webhook_secret == legacy
    assert Integration.objects.get(pk=new.pk).webhook_secret == standard
