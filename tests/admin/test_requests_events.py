"""The audit trail in the admin: readable, never added to, changed or deleted."""

from __future__ import annotations

import pytest

from routing.models import Event
from tests.admin.helpers import admin_url, listed
from tests.factories import make_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(callkom) -> Event:
    return make_request(callkom).events.get(type="received")


@pytest.mark.parametrize("who", ["client_a", "admin_client"])
def test_events_cannot_be_added_changed_or_deleted(request, who, event) -> None:
    client = request.getfixturevalue(who)

    assert client.get(admin_url("event", "add")).status_code == 403
    assert client.post(admin_url("event", "add"), {"type": "forged"}).status_code == 403
    assert client.post(admin_url("event", "change", event.pk), {"type": "x"}).status_code == 403
    assert client.get(admin_url("event", "delete", event.pk)).status_code == 403
    assert client.post(admin_url("event", "delete", event.pk), {"post": "yes"}).status_code == 403
    event.refresh_from_db()
    assert event.type == "received"
    assert not Event.objects.filter(type="forged").exists()


def test_event_page_is_read_only(admin_client, event) -> None:
    response = admin_client.get(admin_url("event", "change", event.pk))

    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    assert not response.context["has_delete_permission"]
    assert list(response.context["adminform"].form.fields) == []


def test_event_list_offers_no_bulk_delete(admin_client, event) -> None:
    response = admin_client.get(admin_url("event", "changelist"))

    assert listed(response) == [event]
    assert response.context["action_form"] is None
    response = admin_client.post(
        admin_url("event", "changelist"),
        {"action": "delete_selected", "_selected_action": [str(event.pk)], "post": "yes"},
    )
    assert Event.objects.filter(pk=event.pk).exists()
