from __future__ import annotations

import base64
import json

import pytest

from routing.domain.links import acknowledge_url
from routing.models import (
    Customer,
    Event,
    MessageStatus,
    OutboundMessage,
    Route,
    RouteStatus,
    Scope,
)
from routing.services.actors import Actor
from routing.services.requests import route_set_customer
from routing.services.sending import message_send
from tests.factories import (
    CustomerFactory,
    CustomerIdentifierFactory,
    OrganisationFactory,
    ScopeFactory,
    make_request,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ai_calls() -> Scope:
    """A processor's scope forwarded to the customer whose number called, and that customer."""
    scope = ScopeFactory.create(processor=True, organisation=OrganisationFactory.create(scope=None))
    customer = CustomerFactory.create(
        organisation=scope.organisation, name="Maison Exemple", email="privacy@maison.example"
    )
    CustomerIdentifierFactory.create(customer=customer, value="+33 1 99 00 12 34")
    return scope


def _forwarded_route(scope: Scope) -> Route:
    request = make_request(
        scope.organisation, kinds=("objection",), scopes=[scope.key],
        identifiers={"phone": "+33 1 99 00 12 34"},
    )  # fmt: skip
    return Route.objects.get(request=request)


def test_a_verified_request_is_forwarded_at_once_and_the_route_marked_sent(ai_calls) -> None:
    route = _forwarded_route(ai_calls)

    assert route.status == RouteStatus.SENT
    assert route.next_follow_up_at is not None
    message = OutboundMessage.objects.get(template="forward_to_customer")
    assert message.recipient == "privacy@maison.example"
    assert message.route == route
    assert "&lt;" not in message.body_text


def test_the_customer_acknowledges_with_one_click_after_a_confirmation(client, ai_calls) -> None:
    route = _forwarded_route(ai_calls)
    path = "/" + acknowledge_url(route.pk).split("/", 3)[3]

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


def test_a_tampered_acknowledgement_link_is_not_valid(client, ai_calls) -> None:
    route = _forwarded_route(ai_calls)
    path = "/" + acknowledge_url(route.pk).split("/", 3)[3]

    response = client.get(path.replace("/ack/", "/ack/x"))

    assert response.status_code == 404
    assert b"not valid" in response.content


def test_setting_a_customer_forwards_and_tells_the_subject(ai_calls) -> None:
    request = make_request(ai_calls.organisation, kinds=("objection",), scopes=[ai_calls.key])
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


def test_a_bounce_reported_by_the_provider_raises_a_staff_task(client, ai_calls, settings) -> None:
    settings.ANYMAIL = {"WEBHOOK_SECRET": "hook:secret"}
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    route = _forwarded_route(ai_calls)
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
