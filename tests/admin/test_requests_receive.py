"""Requests received by post, phone or email, entered by staff: a form, a preview of the
routes and dates, then the receive service every other request goes through."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from routing.admin.requests.forms import ReceiveForm
from routing.models import (
    ActorType,
    Channel,
    EventType,
    Organisation,
    OutboundMessage,
    Request,
    Status,
)
from routing.presenters.formats import format_date
from tests.admin.helpers import admin_url
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

ADD = admin_url("request", "add")
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _now(time_machine) -> None:
    time_machine.move_to(NOW, tick=False)


def facts(organisation: Organisation, **changes: Any) -> dict[str, Any]:
    """A letter received on Monday 2 March 2026 at 09:30, about a call from a number that
    belongs to one of Callkom's customers."""
    data: dict[str, Any] = {
        "channel": Channel.POST,
        "organisation": organisation.pk,
        "received_on": "2026-03-02",
        "received_time": "09:30",
        "kinds": ["objection"],
        "scopes": ["callkom:ai-calls"],
        "caller_phone": "01 99 00 12 34",
        "name": "Ada Martin",
        "email": "ada@example.org",
        "phone": "",
        "country": "FR",
        "language": "en",
        "details": "Letter dated 27 February.",
        "verified": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def preview(client, data: dict[str, Any]):
    return client.post(ADD, {**data, "_preview": "Preview"})


def save(client, data: dict[str, Any]):
    """Preview, then save what was previewed, as the page's two buttons do."""
    shown = preview(client, data)
    assert shown.context["preview"] is not None, shown.context["form"].errors
    return client.post(ADD, {**data, "_save": "Save", "previewed": shown.context["fingerprint"]})


# --- the page -------------------------------------------------------------------------------


def test_staff_may_open_the_add_page(client_a) -> None:
    response = client_a.get(ADD)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="_preview"' in html
    assert 'name="_save"' not in html, "saving comes after a preview"


def test_the_admin_index_links_to_the_add_page(client_a, callkom) -> None:
    assert f'href="{ADD}"' in client_a.get("/admin/").content.decode()

    viewer = StaffFactory.create(organisations=[callkom])
    viewer.user_permissions.remove(*viewer.user_permissions.filter(codename="add_request"))
    other = Client()
    other.force_login(viewer)
    assert f'href="{ADD}"' not in other.get("/admin/").content.decode()


def test_only_the_staff_members_organisations_are_offered(client_a, callkom, click_and_call):
    form = client_a.get(ADD).context["form"]

    assert list(form.fields["organisation"].queryset) == [callkom]
    scope_keys = [key for _, group in form.fields["scopes"].choices for key, _ in group]
    assert "callkom:ai-calls" in scope_keys
    assert not any(key.startswith("click-and-call:") for key in scope_keys)


def test_channels_are_post_phone_and_email(client_a) -> None:
    form = client_a.get(ADD).context["form"]

    assert [value for value, _ in form.fields["channel"].choices] == ["post", "phone", "email"]


def test_another_organisation_cannot_be_chosen(client_a, click_and_call) -> None:
    response = preview(client_a, facts(click_and_call, scopes=[]))

    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert response.context["preview"] is None


def test_without_the_add_permission_the_page_is_refused(client, callkom) -> None:
    viewer = StaffFactory.create(organisations=[callkom])
    viewer.user_permissions.remove(*viewer.user_permissions.filter(codename="add_request"))
    client.force_login(viewer)

    assert client.get(ADD).status_code == 403
    assert client.post(ADD, {**facts(callkom), "_save": "Save"}).status_code == 403
    assert not Request.objects.exists()


# --- the preview ----------------------------------------------------------------------------


def test_preview_shows_the_planned_routes_and_dates_and_stores_nothing(client_a, callkom):
    response = preview(client_a, facts(callkom))

    shown = response.context["preview"]
    assert [(r.scope_key, r.action, r.target_name) for r in shown.routes] == [
        ("callkom:ai-calls", "forward", "Maison Exemple")
    ]
    assert shown.received_at == datetime(2026, 3, 2, 8, 30, tzinfo=UTC)
    html = response.content.decode()
    assert "2 Mar 2026, 09:30 (Europe/Paris)" in html
    assert format_date(shown.due_on) in html
    assert format_date(shown.routes[0].due_on) in html
    assert "Maison Exemple" in html
    assert "GDPR" in html
    assert 'name="_save"' in html
    assert not Request.objects.exists()


def test_planner_errors_are_field_errors_and_keep_what_was_valid(client_a, callkom) -> None:
    # Callkom answers no opt-out of sale: a CCPA right.
    response = preview(client_a, facts(callkom, kinds=["opt_out_sale"], scopes=[]))

    form = response.context["form"]
    assert "kinds" in form.errors
    assert response.context["preview"] is None
    html = response.content.decode()
    assert 'value="Ada Martin"' in html
    assert 'value="ada@example.org"' in html


def test_a_number_that_is_not_a_phone_number_is_its_fields_error(client_a, callkom) -> None:
    response = preview(client_a, facts(callkom, caller_phone="call me"))

    assert list(response.context["form"].errors) == ["caller_phone"]


def test_a_request_cannot_be_received_in_the_future(client_a, callkom) -> None:
    response = preview(client_a, facts(callkom, received_on="2026-03-11"))

    assert "received_on" in response.context["form"].errors
    assert response.context["preview"] is None


# --- saving ---------------------------------------------------------------------------------


def test_save_stores_what_the_preview_showed_through_the_receive_service(
    client_a, staff_a, callkom
) -> None:
    shown = preview(client_a, facts(callkom)).context["preview"]

    response = save(client_a, facts(callkom))

    req = Request.objects.get()
    assert response.status_code == 302
    assert response["Location"] == admin_url("request", "change", req.pk)
    assert req.channel == Channel.POST
    assert req.received_at == datetime(2026, 3, 2, 8, 30, tzinfo=UTC)
    assert req.verified_at is not None
    assert (req.subject_name, req.subject_email, req.subject_country) == (
        "Ada Martin",
        "ada@example.org",
        "FR",
    )
    assert req.details == "Letter dated 27 February."
    assert req.due_on == shown.due_on
    routes = [(r.scope.key, r.action, r.target_name, r.due_on) for r in req.routes.all()]
    assert routes == [(r.scope_key, r.action, r.target_name, r.due_on) for r in shown.routes]
    received = req.events.get(type=EventType.RECEIVED)
    assert (received.actor_type, received.actor_label) == (ActorType.STAFF, staff_a.username)
    # Verified, so the forward went to the customer with it.
    assert req.status == Status.IN_PROGRESS


@pytest.mark.parametrize(
    ("slug", "stored"),
    [
        ("callkom", datetime(2026, 3, 2, 8, 30, tzinfo=UTC)),  # Paris, UTC+1 in winter
        ("click-and-call", datetime(2026, 3, 2, 17, 30, tzinfo=UTC)),  # Los Angeles, UTC-8
    ],
)
def test_the_time_received_is_read_in_the_organisations_zone(
    admin_client, registry, slug, stored
) -> None:
    organisation = Organisation.objects.get(slug=slug)
    kinds = ["access"]

    save(admin_client, facts(organisation, kinds=kinds, scopes=[], caller_phone="", country=""))

    assert Request.objects.get().received_at == stored


def test_a_save_of_changed_facts_is_previewed_again(client_a, callkom) -> None:
    shown = preview(client_a, facts(callkom))

    response = client_a.post(
        ADD,
        {
            **facts(callkom, kinds=["objection", "erasure"]),
            "_save": "Save",
            "previewed": shown.context["fingerprint"],
        },
    )

    assert response.status_code == 200
    assert not Request.objects.exists()
    assert response.context["preview"] is not None
    assert "changed after its preview" in response.content.decode()


def test_a_save_without_a_preview_is_previewed_first(client_a, callkom) -> None:
    response = client_a.post(ADD, {**facts(callkom), "_save": "Save"})

    assert response.status_code == 200
    assert response.context["preview"] is not None
    assert not Request.objects.exists()


def test_unconfirmed_the_subject_is_sent_the_link_to_confirm(client_a, callkom) -> None:
    data = facts(callkom)
    del data["verified"]

    save(client_a, data)

    req = Request.objects.get()
    assert req.status == Status.UNVERIFIED
    assert OutboundMessage.objects.filter(request=req, template="confirm_address").exists()


def test_the_services_errors_land_on_their_fields(callkom) -> None:
    form = ReceiveForm(facts(callkom), organisations=Organisation.objects.all())
    assert form.is_valid(), form.errors

    form.add_service_errors(
        ValidationError({"email": "Enter a valid email address.", "scopes": "unknown scope"})
    )

    assert form.errors["email"] == ["Enter a valid email address."]
    assert form.errors["scopes"] == ["unknown scope"]
    # What was valid stays.
    assert form.cleaned_data["name"] == "Ada Martin"


def test_the_services_phone_error_lands_on_the_number_given(callkom) -> None:
    form = ReceiveForm(facts(callkom), organisations=Organisation.objects.all())
    assert form.is_valid(), form.errors

    form.add_service_errors(ValidationError({"phone": "Not a number."}))

    assert form.errors["caller_phone"] == ["Not a number."]
