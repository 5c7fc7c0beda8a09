"""GDPR Art. 19: a Click & Call erasure is passed on to the recipients of the scopes it
touched; one acknowledges through its link, the silent ones are followed up, and the
subject's page lists them all."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client

from routing.domain.links import recipient_acknowledge_url
from routing.models import Event, EventType, NoticeStatus, OutboundMessage, RecipientNotice
from routing.services.recipients import recipient_follow_ups_sweep
from tests.recipients.conftest import answer, received

pytestmark = pytest.mark.django_db

# A Monday: the follow-up falls two working days later, on Wednesday at 8:00 local.
START = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_an_erasure_is_passed_on_acknowledged_followed_up_and_listed(
    client: Client, contacts: dict[str, str], time_machine: Any
) -> None:
    time_machine.move_to(START, tick=False)
    request, token = received(("erasure",), ["click-and-call:account", "click-and-call:billing"])

    answer(request)

    notices = {
        n.recipient.slug: n for n in RecipientNotice.objects.filter(request=request) if n.recipient
    }
    # Account: Supabase, Vercel, PostHog, Resend; billing: Stripe. Not Twilio (call
    # sessions), Cloudflare or Upstash (contact form, security logs): not touched.
    assert set(notices) == {"stripe", "supabase", "vercel", "posthog", "resend"}
    assert notices["stripe"].scope_keys == ["click-and-call:billing"]
    assert notices["vercel"].scope_keys == ["click-and-call:account"]
    assert {slug for slug, n in notices.items() if n.status == NoticeStatus.SENT} == set(contacts)
    assert notices["posthog"].status == NoticeStatus.NO_CONTACT

    sent = OutboundMessage.objects.filter(template="recipient_notice", request=request)
    assert sorted(m.recipient for m in sent) == sorted(contacts.values())
    stripe_mail = sent.get(recipient=contacts["stripe"])
    assert "ada@example.org" in stripe_mail.body_text
    assert request.reference in stripe_mail.body_text
    assert "Art. 19" in stripe_mail.body_text
    task = Event.objects.get(request=request, type=EventType.STAFF_TASK)
    assert task.data["code"] == "recipient_no_contact"
    assert "PostHog" in task.data["task"]
    assert "Resend" in task.data["task"]
    assert OutboundMessage.objects.filter(template="staff_task", request=request).count() == 1

    # Stripe acknowledges: opening the link changes nothing, the button does.
    link = _path(recipient_acknowledge_url(notices["stripe"].pk))
    assert link in stripe_mail.body_text
    page = client.get(link)
    assert page.status_code == 200
    assert b"I have received this notice" in page.content
    assert RecipientNotice.objects.get(pk=notices["stripe"].pk).status == NoticeStatus.SENT
    client.post(link)
    stripe = RecipientNotice.objects.get(pk=notices["stripe"].pk)
    assert stripe.status == NoticeStatus.ACKNOWLEDGED
    assert Event.objects.filter(
        request=request, type=EventType.RECIPIENT_ACKNOWLEDGED, data__recipient="Stripe"
    ).exists()
    assert b"Already confirmed" in client.post(link).content

    # Not yet: the follow-up waits two working days (Wednesday 8:00 in Los Angeles).
    time_machine.move_to(START + timedelta(days=1))
    assert recipient_follow_ups_sweep() == 0
    time_machine.move_to(datetime(2026, 3, 4, 16, 1, tzinfo=UTC))
    assert recipient_follow_ups_sweep() == 2
    follow_ups = OutboundMessage.objects.filter(template="recipient_follow_up")
    assert sorted(m.recipient for m in follow_ups) == sorted(
        [contacts["supabase"], contacts["vercel"]]
    )
    assert recipient_follow_ups_sweep() == 0, "one follow-up per silence"

    # The subject's page names everyone told, and who confirmed.
    page = client.get(f"/s/{token}/")
    text = page.content.decode()
    assert "Who else was told" in text
    for name in ("Stripe", "Supabase", "Vercel", "PostHog", "Resend"):
        assert name in text
    assert text.count("receipt confirmed") == 1


def test_silence_after_the_follow_up_becomes_a_task_for_staff(
    contacts: dict[str, str], time_machine: Any
) -> None:
    time_machine.move_to(START, tick=False)
    request, _ = received(("erasure",), ["click-and-call:billing"])
    answer(request)
    time_machine.move_to(START + timedelta(days=3))
    assert recipient_follow_ups_sweep() == 1

    time_machine.move_to(START + timedelta(days=7))
    assert recipient_follow_ups_sweep() == 1

    task = Event.objects.filter(request=request, type=EventType.STAFF_TASK).latest("pk")
    assert task.data["code"] == "recipient_silent"
    assert "Stripe" in task.data["task"]
    notice = RecipientNotice.objects.get(request=request)
    assert notice.next_follow_up_at is None
    assert notice.follow_ups == 2
    time_machine.move_to(START + timedelta(days=30))
    assert recipient_follow_ups_sweep() == 0


def test_only_erasure_rectification_and_restriction_are_passed_on(
    contacts: dict[str, str],
) -> None:
    request, _ = received(("access", "rectification"), ["click-and-call:billing"])
    answer(request, kinds=["access"])
    assert not RecipientNotice.objects.filter(request=request).exists()

    answer(request, kinds=["rectification"])

    (notice,) = RecipientNotice.objects.filter(request=request)
    assert notice.kinds == ["rectification"]
    assert OutboundMessage.objects.filter(template="recipient_notice").count() == 1


def test_a_scope_found_not_to_apply_tells_nobody(contacts: dict[str, str]) -> None:
    from routing.services.requests import request_complete, route_mark_not_applicable
    from tests.recipients.conftest import BY

    request, _ = received(("erasure",), ["click-and-call:billing"])
    for route in request.routes.all():
        route_mark_not_applicable(route=route, by=BY)
    request.refresh_from_db()
    request_complete(request=request, by=BY)

    assert not RecipientNotice.objects.filter(request=request).exists()
    assert not Event.objects.filter(request=request, type=EventType.RECIPIENTS_NOTIFIED).exists()


def test_no_follow_up_once_the_request_was_purged(
    contacts: dict[str, str], time_machine: Any
) -> None:
    from routing.models import Request

    time_machine.move_to(START, tick=False)
    request, _ = received(("erasure",), ["click-and-call:billing"])
    answer(request)
    Request.objects.filter(pk=request.pk).update(purged_at=START + timedelta(days=1))
    time_machine.move_to(START + timedelta(days=3))

    assert recipient_follow_ups_sweep() == 0
    assert not OutboundMessage.objects.filter(template="recipient_follow_up").exists()


def test_the_notice_is_in_the_language_chosen_for_businesses(contacts: dict[str, str]) -> None:
    from routing.models import Organisation

    Organisation.objects.filter(slug="click-and-call").update(customer_language="fr")
    request, _ = received(("erasure",), ["click-and-call:billing"])
    answer(request)

    message = OutboundMessage.objects.get(template="recipient_notice")
    assert "Données concernées" in message.body_text
    assert "comme le demande le RGPD (art. 19)" in message.body_text
    assert message.subject.startswith("Click & Call : les données d\u2019une personne ont changé")
