from __future__ import annotations

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages

import routing.admin.integrations  # noqa: F401  (registers the admins until routing.admin imports it)
from routing.models import DeliveryStatus, Integration, Organisation, WebhookDelivery
from routing.services import webhook_delivery
from routing.services.integrations import integration_create
from routing.signatures import SECRET_BYTES, secret_key
from tests.factories import StaffFactory, make_request
from tests.support.api import client_for

pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _shown_token(response) -> str:
    import re

    match = re.search(r'<code class="token">([^<]+)</code>', response.content.decode())
    assert match, "the token page shows the token"
    return match.group(1)


def test_adding_an_integration_shows_its_token_once(admin_client, registry) -> None:
    callkom = Organisation.objects.get(slug="callkom")

    response = admin_client.post(
        "/admin/routing/integration/add/",
        {"name": "Jira", "organisations": [callkom.pk], "can_write": "on",
         "webhook_url": "https://jira.example/hook", "webhook_secret": ""},
    )  # fmt: skip

    # On the answer to the POST itself, not cached, and not kept in a message.
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = _shown_token(response)
    assert not _messages(response)
    assert token not in str(response.cookies)
    integration = Integration.objects.get(name="Jira")
    assert token.startswith(integration.token_prefix)
    assert len(secret_key(integration.webhook_secret)) == SECRET_BYTES
    assert client_for(token).get("/api/v1/organisations/").json()[0]["slug"] == "callkom"
    # Shown once: the change page and the list hold the prefix only.
    for url in (
        f"/admin/routing/integration/{integration.pk}/change/",
        "/admin/routing/integration/",
    ):
        page = admin_client.get(url).content.decode()
        assert token not in page
        assert integration.token_prefix in page


def test_a_typed_secret_not_in_the_standard_form_is_refused(admin_client, registry) -> None:
    callkom = Organisation.objects.get(slug="callkom")

    response = admin_client.post(
        "/admin/routing/integration/add/",
        {"name": "Jira", "organisations": [callkom.pk], "can_write": "on",
         "webhook_url": "https://jira.example/hook", "webhook_secret": "hunter2"},
    )  # fmt: skip

    assert response.status_code == 200
    assert "webhook_secret" in response.context["adminform"].form.errors
    assert not Integration.objects.filter(name="Jira").exists()


def test_rotating_shows_the_new_tokens_once(admin_client, registry) -> None:
    callkom = Organisation.objects.get(slug="callkom")
    created = [integration_create(name=n, organisations=[callkom]) for n in ("A", "B")]

    response = admin_client.post(
        "/admin/routing/integration/",
        {"action": "rotate_token", "_selected_action": [c.integration.pk for c in created]},
    )

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    for old in created:
        assert old.token not in page
        assert client_for(old.token).get("/api/v1/organisations/").status_code == 401
    token = _shown_token(response)
    assert client_for(token).get("/api/v1/organisations/").status_code == 200


def _history(integration: Integration) -> list[tuple[int, str]]:
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Integration), object_id=str(integration.pk)
    )
    return [(e.user_id, e.get_change_message()) for e in entries]


def test_rotating_and_revoking_are_in_the_admin_history(admin_client, admin_user, registry) -> None:
    created = integration_create(
        name="Desk", organisations=[Organisation.objects.get(slug="callkom")]
    )

    admin_client.post(
        "/admin/routing/integration/",
        {"action": "rotate_token", "_selected_action": [created.integration.pk]},
    )
    created.integration.refresh_from_db()
    prefix = created.integration.token_prefix
    for _ in range(2):  # revoking twice records it once
        admin_client.post(
            "/admin/routing/integration/",
            {"action": "revoke", "_selected_action": [created.integration.pk]},
        )

    assert sorted(_history(created.integration)) == sorted(
        [
            (admin_user.pk, f"Issued a new token (prefix {prefix})."),
            (admin_user.pk, "Revoked the token."),
        ]
    )
    page = admin_client.get(f"/admin/routing/integration/{created.integration.pk}/history/")
    assert "Revoked the token." in page.content.decode()


def test_revoke_action(admin_client, registry) -> None:
    created = integration_create(
        name="Old", organisations=[Organisation.objects.get(slug="callkom")]
    )

    admin_client.post(
        "/admin/routing/integration/",
        {"action": "revoke", "_selected_action": [created.integration.pk]},
    )

    assert Integration.objects.get(pk=created.integration.pk).revoked_at is not None
    assert client_for(created.token).get("/api/v1/organisations/").status_code == 401


def test_only_superusers_see_integrations(client, registry) -> None:
    staff = StaffFactory(organisations=[Organisation.objects.get(slug="callkom")])
    client.force_login(staff)

    assert client.get("/admin/routing/integration/").status_code == 403


def test_deliveries_are_listed_and_can_be_redelivered(admin_client, registry, monkeypatch) -> None:
    integration_create(
        name="Hooks", organisations=[Organisation.objects.get(slug="callkom")],
        webhook_url="https://hooks.example/in",
    )  # fmt: skip
    make_request()
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.FAILED, last_error="HTTP 500", next_attempt_at=None
    )
    enqueued: list[int] = []
    monkeypatch.setattr(webhook_delivery, "_enqueue", enqueued.append)

    listing = admin_client.get("/admin/routing/webhookdelivery/")
    assert listing.status_code == 200
    assert "request.created" in listing.content.decode()
    assert (
        admin_client.get(f"/admin/routing/webhookdelivery/{delivery.pk}/change/").status_code == 200
    )

    admin_client.post(
        "/admin/routing/webhookdelivery/",
        {"action": "redeliver", "_selected_action": [delivery.pk]},
    )

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING
    assert enqueued == [delivery.pk]


def test_staff_see_deliveries_of_their_organisations_only(client, registry) -> None:
    callkom = Organisation.objects.get(slug="callkom")
    comfortclick = Organisation.objects.get(slug="comfortclick")
    integration_create(
        name="Hooks", organisations=[callkom, comfortclick], webhook_url="https://hooks.example/in"
    )
    own = make_request("callkom")
    foreign = make_request("comfortclick")
    staff = StaffFactory(organisations=[callkom])
    client.force_login(staff)

    page = client.get("/admin/routing/webhookdelivery/").content.decode()

    assert own.reference in page
    assert foreign.reference not in page
    other = WebhookDelivery.objects.get(request=foreign)
    assert client.get(f"/admin/routing/webhookdelivery/{other.pk}/change/").status_code == 404
