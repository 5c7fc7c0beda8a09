"""Three requests walked through their lives: exactly which emails go to whom, on which
day, and none twice (sweeps run twice a day to prove it)."""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, time, timedelta

import pytest
from django.core import mail

from routing.models import Organisation, OutboundMessage, Route
from routing.services.actors import Actor
from routing.services.forwarding import follow_ups_sweep
from routing.services.reminders import reminders_sweep
from routing.services.requests import request_complete, request_extend, route_mark_done
from routing.services.sending import message_send
from tests.factories import make_request

pytestmark = pytest.mark.django_db


def _deliver() -> None:
    for pk in OutboundMessage.objects.filter(status="queued").values_list("pk", flat=True):
        message_send(message_id=pk)


def _sent_log() -> list[tuple[str, str, str]]:
    return sorted(
        (m.created_at.date().isoformat(), m.template, m.recipient)
        for m in OutboundMessage.objects.all()
    )


def _walk(time_machine, zone: str, start: date, end: date) -> None:
    """Run both sweeps twice each day at 08:05 and 16:00 local, as beat would."""
    tz = zoneinfo.ZoneInfo(zone)
    day = start
    while day <= end:
        for moment in (time(8, 5), time(16, 0)):
            time_machine.move_to(datetime.combine(day, moment, tzinfo=tz), tick=False)
            for _ in range(2):
                reminders_sweep()
                follow_ups_sweep()
        day += timedelta(days=1)


def test_callkom_do_not_call_is_forwarded_followed_up_and_reminded(registry, time_machine) -> None:
    Organisation.objects.filter(slug="callkom").update(team_email="privacy-team@callkom.example")
    time_machine.move_to("2026-03-02T10:00:00+01:00", tick=False)
    request = make_request(
        "callkom", kinds=("objection",), scopes=["callkom:ai-calls"],
        identifiers={"phone": "+33 1 99 00 12 34"},
    )  # fmt: skip
    assert str(request.effective_due_on) == "2026-04-02"

    _walk(time_machine, "Europe/Paris", date(2026, 3, 2), date(2026, 4, 8))

    assert _sent_log() == [
        # The acknowledgement says where each part went, with the status link.
        ("2026-03-02", "acknowledgement", "ada@example.org"),
        ("2026-03-02", "forward_to_customer", "privacy@maison.example"),
        # Two working days without acknowledgement: a follow-up; two more: staff are told.
        ("2026-03-04", "forward_follow_up", "privacy@maison.example"),
        ("2026-03-06", "staff_task", "privacy-team@callkom.example"),
        # Due Thursday 2 April: 7 days, 2 days, the day, then each working day overdue
        # (Monday 6 April is Easter Monday in France).
        ("2026-03-26", "staff_reminder", "privacy-team@callkom.example"),
        ("2026-03-31", "staff_reminder", "privacy-team@callkom.example"),
        ("2026-04-02", "staff_reminder", "privacy-team@callkom.example"),
        ("2026-04-03", "staff_reminder", "privacy-team@callkom.example"),
        ("2026-04-07", "staff_reminder", "privacy-team@callkom.example"),
        ("2026-04-08", "staff_reminder", "privacy-team@callkom.example"),
    ]
    _deliver()
    assert len(mail.outbox) == OutboundMessage.objects.count()
    forward = next(m for m in mail.outbox if m.to == ["privacy@maison.example"])
    assert "block" in forward.body
    assert "/ack/" in forward.body


def test_comfortclick_linhome_erasure_is_redirected_and_reminders_stop_at_closing(
    registry, time_machine
) -> None:
    time_machine.move_to("2026-03-02T10:00:00+01:00", tick=False)
    request = make_request(
        "comfortclick", kinds=("erasure",), scopes=["comfortclick:linhome"], country="SI",
        email="eva@example.org",
    )  # fmt: skip
    assert str(request.effective_due_on) == "2026-04-02"

    _walk(time_machine, "Europe/Ljubljana", date(2026, 3, 2), date(2026, 3, 27))
    route = Route.objects.get(request=request)
    route_mark_done(route=route, by=Actor.system("test"))
    request_complete(request=request, by=Actor.system("test"))
    _walk(time_machine, "Europe/Ljubljana", date(2026, 3, 28), date(2026, 4, 10))

    assert _sent_log() == [
        ("2026-03-02", "acknowledgement", "eva@example.org"),
        ("2026-03-26", "staff_reminder", "info@comfortclick.com"),
        ("2026-03-27", "request_completed", "eva@example.org"),
    ]
    _deliver()
    acknowledgement = next(m for m in mail.outbox if m.to == ["eva@example.org"])
    assert "Belledonne Communications" in acknowledgement.body
    assert "linhome.org" in acknowledgement.body
    assert "/s/" in acknowledgement.body


def test_click_and_call_ccpa_deletion_with_extension(registry, time_machine) -> None:
    time_machine.move_to("2026-03-02T10:00:00-08:00", tick=False)
    request = make_request(
        "click-and-call", kinds=("erasure",), scopes=["click-and-call:account"], country="US",
        email="sam@example.org",
    )  # fmt: skip
    # Click & Call deletes within 30 days, earlier than the CCPA's 45; no weekend move.
    assert str(request.effective_due_on) == "2026-04-01"

    _walk(time_machine, "America/Los_Angeles", date(2026, 3, 2), date(2026, 3, 26))
    request_extend(request=request, by=Actor.system("test"), reason="Many systems to search.")
    request.refresh_from_db()
    _walk(time_machine, "America/Los_Angeles", date(2026, 3, 26), date(2026, 5, 1))

    extended = request.effective_due_on
    assert extended > date(2026, 4, 1)
    log = _sent_log()
    assert log[:3] == [
        ("2026-03-02", "acknowledgement", "sam@example.org"),
        ("2026-03-25", "staff_reminder", "privacy@clickandcall.com"),
        ("2026-03-26", "extension_notice", "sam@example.org"),
    ]
    # After the extension, reminders count down to the new date only.
    later = [entry for entry in log[3:] if entry[1] == "staff_reminder"]
    assert later == []  # none due before 1 May
    assert len(log) == len(set(log))
