from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.test import Client

from routing.domain.links import confirmation_read
from routing.models import OutboundMessage, Request, Status
from routing.services.expiry import expire_unverified_requests
from tests.intake.test_form import CALLKOM, CLICK_AND_CALL, callkom_post
from tests.support.pages import link_in, local_path

pytestmark = pytest.mark.django_db

# A Monday in Paris and Los Angeles alike, far from holidays.
SUBMITTED = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def submit(client: Client, sent, url: str = CALLKOM, **data: object) -> str:
    """Submit the form; returns the confirmation link's path from the email."""
    with sent():
        response = client.post(url, data or callkom_post())
    assert response.status_code == 302, response.content.decode()
    return local_path(link_in(mail.outbox[-1], "/confirm/"))


def confirm(client: Client, sent, path: str):
    with sent():
        return client.post(path)


def test_the_confirmation_link_shows_a_button_and_what_was_sent(
    client: Client, registry, sent
) -> None:
    path = submit(client, sent)

    response = client.get(path)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Confirm my request" in page
    assert "Please stop calling me." in page
    assert "3 March, around 2 pm" in page
    assert 'content="noindex"' in page
    assert "no-cache" in response["Cache-Control"]
    # Opening the link alone (a mail scanner does) confirms nothing.
    assert Request.objects.get().status == Status.UNVERIFIED


def test_confirming_verifies_the_request_and_sends_the_acknowledgement(
    client: Client, registry, sent
) -> None:
    path = submit(client, sent)

    response = confirm(client, sent, path)

    request = Request.objects.get()
    assert request.verified_at is not None
    # The AI call's part goes to the customer at once, so work has started.
    assert request.status == Status.IN_PROGRESS
    assert request.verification == "email_link"
    assert request.paused_since is None
    assert response.status_code == 302
    assert response["Location"].startswith("/s/")
    acknowledgement = mail.outbox[-1]
    assert request.reference in acknowledgement.subject
    assert request.effective_due_on.strftime("%-d %B %Y") in acknowledgement.body
    status_link = link_in(acknowledgement, "/s/")
    assert local_path(status_link) == response["Location"].split("?")[0]
    assert "Maison Exemple, who called you" in acknowledgement.body
    page = client.get(response["Location"]).content.decode()
    assert "your address is confirmed" in page


def test_the_link_works_once(client: Client, registry, sent) -> None:
    path = submit(client, sent)
    confirm(client, sent, path)

    again = confirm(client, sent, path)
    shown = client.get(path)

    assert again.status_code == 302
    assert again["Location"].endswith("?confirmed=0")
    assert "already confirmed" in shown.content.decode()
    assert OutboundMessage.objects.filter(template="acknowledgement").count() == 1
    assert Request.objects.get().events.filter(type="verified").count() == 1


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_expired_link_is_not_valid(client: Client, registry, sent, time_machine, method) -> None:
    time_machine.move_to(SUBMITTED, tick=False)
    path = submit(client, sent)
    time_machine.move_to(SUBMITTED + timedelta(days=7, minutes=1), tick=False)

    response = getattr(client, method)(path)

    assert response.status_code == 404
    assert "This link is not valid" in response.content.decode()
    assert Request.objects.get().status == Status.UNVERIFIED


def test_the_link_lasts_as_long_as_an_unconfirmed_request_is_kept(
    client: Client, registry, sent, time_machine, settings
) -> None:
    settings.DSAR_UNVERIFIED_EXPIRY_DAYS = 2
    time_machine.move_to(SUBMITTED, tick=False)
    path = submit(client, sent)
    assert "within 2 days" in client.get(path).content.decode()
    time_machine.move_to(SUBMITTED + timedelta(days=2, minutes=1), tick=False)

    assert client.get(path).status_code == 404


def test_a_link_within_seven_days_still_works(client: Client, registry, sent, time_machine) -> None:
    time_machine.move_to(SUBMITTED, tick=False)
    path = submit(client, sent)
    time_machine.move_to(SUBMITTED + timedelta(days=6, hours=23), tick=False)

    confirm(client, sent, path)

    assert Request.objects.get().verified_at is not None


@pytest.mark.parametrize(
    "mangle",
    [
        lambda p: p.replace("/confirm/", "/confirm/x"),
        lambda p: p[:-3] + "AA/",
        lambda p: "/confirm/not-a-code/",
    ],
)
def test_a_tampered_link_is_not_valid(client: Client, registry, sent, mangle) -> None:
    path = submit(client, sent)

    assert client.get(mangle(path)).status_code == 404
    assert confirm(client, sent, mangle(path)).status_code == 404
    assert Request.objects.get().status == Status.UNVERIFIED


def test_under_gdpr_the_wait_for_confirmation_is_a_pause(
    client: Client, registry, sent, time_machine
) -> None:
    time_machine.move_to(SUBMITTED, tick=False)
    path = submit(client, sent)
    due_before = Request.objects.get().due_on
    time_machine.move_to(SUBMITTED + timedelta(days=3), tick=False)

    confirm(client, sent, path)

    request = Request.objects.get()
    assert request.regime == "gdpr"
    assert request.paused_days == 3
    assert request.due_on > due_before


def test_under_ccpa_the_wait_for_confirmation_is_not_a_pause(
    client: Client, registry, sent, time_machine
) -> None:
    time_machine.move_to(SUBMITTED, tick=False)
    path = submit(
        client,
        sent,
        CLICK_AND_CALL,
        kinds=["erasure"],
        email="ada@example.org",
        country="US-CA",
    )
    due_before = Request.objects.get().due_on
    time_machine.move_to(SUBMITTED + timedelta(days=3), tick=False)

    confirm(client, sent, path)

    request = Request.objects.get()
    assert request.regime == "ccpa"
    assert request.due_on == due_before


def test_an_unconfirmed_request_expires_and_its_personal_data_is_deleted(
    client: Client, registry, sent, time_machine
) -> None:
    time_machine.move_to(SUBMITTED, tick=False)
    path = submit(client, sent)
    found = confirmation_read(path.rstrip("/").rsplit("/", 1)[1])
    assert found is not None
    token = found[1]

    time_machine.move_to(SUBMITTED + timedelta(days=6), tick=False)
    assert expire_unverified_requests() == 0
    time_machine.move_to(SUBMITTED + timedelta(days=7, hours=1), tick=False)
    assert expire_unverified_requests() == 1
    assert expire_unverified_requests() == 0

    request = Request.objects.get()
    assert request.status == Status.EXPIRED
    assert request.subject_email == ""
    assert request.subject_name == ""
    assert request.details == ""
    assert request.identifiers == {}
    assert request.purged_at is not None
    assert client.get(path).status_code == 404
    # The status link the confirmation would have led to is not valid either.
    assert client.get(f"/s/{token}/").status_code == 404


def test_a_confirmed_request_does_not_expire(client: Client, registry, sent, time_machine) -> None:
    time_machine.move_to(SUBMITTED, tick=False)
    confirm(client, sent, submit(client, sent))
    time_machine.move_to(SUBMITTED + timedelta(days=30), tick=False)

    assert expire_unverified_requests() == 0
    assert Request.objects.get().status == Status.IN_PROGRESS


def test_confirming_is_rate_limited(client: Client, registry, sent) -> None:
    for _ in range(30):
        client.post("/confirm/not-a-code/")

    assert client.post("/confirm/not-a-code/").status_code == 429
