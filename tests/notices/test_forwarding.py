from __future__ import annotations

import base64
import json

import pytest

from routing.models import Customer, Event, MessageStatus, OutboundMessage, Route, RouteStatus
from routing.services.actors import Actor
from routing.services.forwarding import acknowledge_url
from routing.services.outbox import message_send
from routing.services.requests import route_set_customer
from tests.factories import make_request

pytestmark = pytest.mark.django_db


def _forwarded_route() -> Route:
    request = make_request(
        "callkom", kinds=("objection",), scopes=["callkom:ai-calls"],
        identifiers={"phone": "+33 1 99 00 12 34"},
    )  # fmt: skip
    return Route.objects.get(request=request)


def test_a_verified_request_is_forwarded_at_once_and_the_route_marked_sent(registry) -> None:
    route = _forwarded_route()

    assert route.status == RouteStatus.SENT
    assert route.next_follow_up_at is not None
    message = OutboundMessage.objects.get(template="forward_to_customer")
    assert message.recipient == "privacy@maison.example"
    assert message.route == route
    assert "&lt;" not in message.body_text


def test_the_customer_acknowledges_with_one_click_after_a_confirmation(client, registry) -> None:
    route = _forwarded_route()
    path = "/" + acknowledge_url(route).split("/", 3)[3]

    page = client.get(path)
    assert page.status_code == 200
    assert b"I have received this request" in page.content
    route.refresh_from_db()
    assert route.status == RouteStatus.SENT, "opening the link must not acknowledge"

    done = client.post(path)
    assert done.status_code == 200
    route.refresh_from_db()
    assert route.status == RouteStatus.ACKNOWLEDGED
    assert Event.objects.filter(request=route.request, type="route_acknowledged").exists()
    again = client.post(path)
    assert b"Already confirmed" in again.content


def test_a_tampered_acknowledgement_link_is_not_valid(client, registry) -> None:
    route = _forwarded_route()
    path = "/" + acknowledge_url(route).split("/", 3)[3]

    response = client.get(path.replace("/ack/", "/ack/x"))

    assert response.status_code == 404
    assert b"not valid" in response.content


def test_setting_a_customer_forwards_and_tells_the_subject(registry) -> None:
    request = make_request("callkom", kinds=("objection",), scopes=["callkom:ai-calls"])
    route = Route.objects.get(request=request)
    assert route.status == RouteStatus.NEEDS_CUSTOMER
    customer = Customer.objects.get(name="Maison Exemple")

    route_set_customer(route=route, customer=customer, by=Actor.system("test"))

    route.refresh_from_db()
    assert route.status == RouteStatus.SENT
    templates = list(OutboundMessage.objects.order_by("id").values_list("template", flat=True))
    assert templates[-2:] == ["forward_to_customer", "routes_summary"]
    summary = OutboundMessage.objects.get(template="routes_summary")
    assert "Maison Exemple" in summary.body_text


def test_a_bounce_reported_by_the_provider_raises_a_staff_task(client, registry, settings) -> None:
    settings.ANYMAIL = {"WEBHOOK_SECRET": "hook:secret"}
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    route = _forwarded_route()
    message = OutboundMessage.objects.get(template="forward_to_customer")
    message_send(message_id=message.pk)
    message.refresh_from_db()
    assert message.provider_message_id, "the test backend gives a provider id"
    payload = {
        "RecordType": "Bounce",
        "Type": "HardBounce",
        "MessageID": message.provider_message_id,
        "Email": message.recipient,
        "BouncedAt": "2026-03-02T10:00:00Z",
        "Description": "The server was unable to deliver your message",
    }
    auth = base64.b64encode(b"hook:secret").decode()

    response = client.post(
        "/anymail/postmark/tracking/", json.dumps(payload), content_type="application/json",
        HTTP_AUTHORIZATION=f"Basic {auth}",
    )  # fmt: skip

    assert response.status_code == 200
    message.refresh_from_db()
    assert message.status == MessageStatus.BOUNCED
    task = Event.objects.get(request=route.request, type="staff_task")
    assert task.data["code"] == "email_bounced"


def test_tracking_webhooks_refuse_a_wrong_secret(client, settings) -> None:
    settings.ANYMAIL = {"WEBHOOK_SECRET": "hook:secret"}
    auth = base64.b64encode(b"hook:wrong").decode()

    response = client.post(
        "/anymail/postmark/tracking/", "{}", content_type="application/json",
        HTTP_AUTHORIZATION=f"Basic {auth}",
    )  # fmt: skip

    assert response.status_code in (400, 401, 403)
