"""What a receiver answered may echo anything (its own errors, internal names): in the
admin, only superusers read it; staff see the status code and the times."""

from __future__ import annotations

import socket

import pytest

from routing.models import DeliveryStatus, Organisation, WebhookDelivery
from routing.services.webhook_delivery import delivery_attempt
from tests.factories import StaffFactory, make_request

pytestmark = pytest.mark.django_db

SECRET_BODY = b"upstream db-primary.internal:5432 refused: password authentication failed"


@pytest.fixture
def failed(hook_to, receiver, settings) -> WebhookDelivery:
    """A delivery the receiver answered 500 with a telling body, given up."""
    settings.DSAR_WEBHOOK_ALLOW_PRIVATE = True
    receiver.status, receiver.body = 500, SECRET_BODY
    hook_to(receiver.url)
    make_request()
    delivery = WebhookDelivery.objects.get(event_type="request.created")
    delivery_attempt(delivery_id=delivery.pk)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.FAILED)
    delivery.refresh_from_db()
    assert delivery.last_status_code == 500
    assert SECRET_BODY.decode() in delivery.last_error
    return delivery


def _page(client, delivery: WebhookDelivery) -> str:
    response = client.get(f"/admin/routing/webhookdelivery/{delivery.pk}/change/")
    assert response.status_code == 200
    return response.content.decode()


def test_staff_see_the_status_code_not_the_body(client, failed) -> None:
    client.force_login(StaffFactory(organisations=[Organisation.objects.get(slug="callkom")]))

    page = _page(client, failed)

    assert "db-primary.internal" not in page
    assert "HTTP 500" in page
    assert "Last status code" in page
    assert "Created at" in page


def test_staff_do_not_see_the_receivers_address_in_a_connection_error(
    client, hook_to, settings
) -> None:
    settings.DSAR_WEBHOOK_ALLOW_PRIVATE = True
    # Bound and not listening: every connection to it is refused.
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        hook_to(f"http://127.0.0.1:{closed.getsockname()[1]}/closed")
        make_request()
        delivery = WebhookDelivery.objects.get(event_type="request.created")
        delivery_attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.last_error.startswith("ConnectionError: ")
    client.force_login(StaffFactory(organisations=[Organisation.objects.get(slug="callkom")]))

    page = _page(client, delivery)

    assert "ConnectionError" in page
    assert "/closed" not in page


def test_superusers_see_the_body(admin_client, failed) -> None:
    page = _page(admin_client, failed)

    assert "db-primary.internal" in page
