"""Staff see and settle the notices on the request page and edit recipients for their own
organisation only; the recipient's link cannot be forged, borrowed or logged whole."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import signing
from django.test import Client

from dsar.log_redaction import redact
from routing.domain.links import acknowledge_url, recipient_acknowledge_url
from routing.models import Event, EventType, NoticeStatus, Recipient, RecipientNotice, Scope
from tests.admin.helpers import admin_url, messages_of
from tests.factories import StaffFactory
from tests.recipients.conftest import answer, received

pytestmark = pytest.mark.django_db


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


@pytest.fixture
def notices(contacts: dict[str, str]) -> dict[str, RecipientNotice]:
    request, _ = received(("erasure",), ["click-and-call:account", "click-and-call:billing"])
    answer(request)
    return {
        n.recipient.slug: n for n in RecipientNotice.objects.filter(request=request) if n.recipient
    }


def _staff_client(slug: str) -> Client:
    from routing.models import Organisation

    client = Client()
    staff: Any = StaffFactory(organisations=[Organisation.objects.get(slug=slug)])
    client.force_login(staff)
    return client


def test_staff_see_the_notices_and_mark_one_told_another_way(notices: Any) -> None:
    client = _staff_client("click-and-call")
    posthog = notices["posthog"]
    page = client.get(admin_url("request", "change", posthog.request_id))
    text = page.content.decode()
    assert "Recipients told (GDPR Art. 19)" in text
    assert "no contact: staff task" in text
    assert "privacy@stripe.example" in text

    told = client.post(admin_url("request", "recipient_told", posthog.request_id, posthog.pk))

    assert told.status_code == 302
    assert told["Location"].endswith("#recipients")
    assert any("PostHog marked told" in m for m in messages_of(told))
    posthog.refresh_from_db()
    assert posthog.status == NoticeStatus.DONE_BY_STAFF
    event = Event.objects.get(type=EventType.RECIPIENT_TOLD_BY_STAFF)
    assert event.data["recipient"] == "PostHog"
    assert event.actor_user is not None
    again = client.post(admin_url("request", "recipient_told", posthog.request_id, posthog.pk))
    assert any("settled already" in m for m in messages_of(again))


def test_another_organisations_staff_get_404_for_the_notice(notices: Any) -> None:
    client = _staff_client("callkom")
    posthog = notices["posthog"]

    response = client.post(admin_url("request", "recipient_told", posthog.request_id, posthog.pk))

    assert response.status_code == 404
    posthog.refresh_from_db()
    assert posthog.status == NoticeStatus.NO_CONTACT


def test_staff_edit_only_their_organisations_recipients_and_scopes(registry: Any) -> None:
    client = _staff_client("callkom")
    listed = client.get(admin_url("recipient", "changelist"))
    assert {r.organisation.slug for r in listed.context["cl"].result_list} == {"callkom"}
    twilio = Recipient.objects.get(organisation__slug="click-and-call", slug="twilio")
    assert client.get(admin_url("recipient", "change", twilio.pk)).status_code == 404

    crm = Recipient.objects.get(organisation__slug="callkom", slug="crm-provider")
    form = client.get(admin_url("recipient", "change", crm.pk)).context["adminform"].form
    assert {s.organisation.slug for s in form.fields["scopes"].queryset} == {"callkom"}


def test_a_superuser_cannot_give_a_recipient_another_organisations_scope(
    admin_client: Client, registry: Any
) -> None:
    crm = Recipient.objects.get(organisation__slug="callkom", slug="crm-provider")
    foreign = Scope.objects.get(key="click-and-call:account")

    response = admin_client.post(
        admin_url("recipient", "change", crm.pk),
        {
            "organisation": crm.organisation_id,
            "slug": crm.slug,
            "name": crm.name,
            "role": crm.role,
            "purpose": crm.purpose,
            "scopes": [foreign.pk],
            "privacy_email": "",
            "contact_problem": crm.contact_problem,
            "source": crm.source,
        },
    )

    assert response.status_code == 200
    assert "Not scopes of Callkom: click-and-call:account." in response.content.decode()
    assert not crm.scopes.filter(pk=foreign.pk).exists()


def test_a_forged_or_borrowed_link_acknowledges_nothing(client: Client, notices: Any) -> None:
    stripe = notices["stripe"]
    link = _path(recipient_acknowledge_url(stripe.pk))
    token = link.split("/")[3]

    assert client.post(link.replace(token, token[:-2] + "xx")).status_code == 404
    # A forward's link for the same number is signed for routes, not notices.
    route_token = _path(acknowledge_url(stripe.pk)).split("/")[2]
    assert client.post(f"/ack/r/{route_token}/").status_code == 404
    forged = signing.dumps({"notice": "1 OR 1=1"}, salt="routing.recipient-acknowledgement")
    assert client.post(f"/ack/r/{forged}/").status_code == 404
    stripe.refresh_from_db()
    assert stripe.status == NoticeStatus.SENT


def test_the_recipients_link_never_reaches_a_log_whole() -> None:
    assert redact("/ack/r/eyJub3RpY2UiOjF9:1tX:abc/") == "/ack/r/[redacted]/"
    assert redact('"POST /ack/r/secret:1tX:abc/ HTTP/1.1" 200') == (
        '"POST /ack/r/[redacted]/ HTTP/1.1" 200'
    )
