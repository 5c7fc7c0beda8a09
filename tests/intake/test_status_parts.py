"""The status page shows each part of a request with its own date or outcome, and makes
no live promise once the request is closed."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.core import mail
from django.test import Client

from routing.models import Status, WaitingFor
from routing.services.actors import Actor
from routing.services.requests import (
    request_complete,
    request_deny,
    request_extend,
    request_mark_duplicate,
    request_pause,
    request_withdraw,
    route_mark_done,
)
from tests.intake.test_status_page import confirmed

pytestmark = pytest.mark.django_db

STAFF = Actor.system("staff")
# Monday 2 November 2026, 10:00 in Los Angeles.
RECEIVED = datetime(2026, 11, 2, 18, 0, tzinfo=UTC)


def page_text(path: str) -> str:
    response = Client().get(path)
    assert response.status_code == 200
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def section(text: str, title: str, until: str) -> str:
    start = text.index(title)
    return text[start : text.index(until, start)]


def test_a_ccpa_deletion_and_opt_out_walk_through_both_parts(registry, sent) -> None:
    """The opt-out part is due in 15 business days and closed on time; the deletion part
    is extended once and completed; the page and the emails say so at each step."""
    with time_machine.travel(RECEIVED, tick=False):
        request, path = confirmed(
            "click-and-call", sent, kinds=("erasure", "opt_out_sale"), country="US", region="CA"
        )
        acknowledgement = mail.outbox[-1].body
        assert "Right to delete: answer due by 2 December 2026" in acknowledgement
        assert "Opt out of sale or sharing: answer due by 24 November 2026" in acknowledgement
        text = page_text(path)
        parts = section(text, "Each part of your request", "What has happened")
        assert "Right to delete Answer due by 2 December 2026" in parts
        assert "Opt out of sale or sharing Answer due by 24 November 2026" in parts

    # Day 14 of 15 business days: the opt-out is honoured on time.
    with time_machine.travel(datetime(2026, 11, 23, 18, 0, tzinfo=UTC), tick=False):
        with sent():
            request_complete(request=request, by=STAFF, kinds=["opt_out_sale"])
        request.refresh_from_db()
        assert request.status == Status.IN_PROGRESS
        assert str(request.effective_due_on) == "2026-12-02"
        parts = section(page_text(path), "Each part of your request", "What has happened")
        assert "Opt out of sale or sharing Answered on 23 November 2026" in parts
        assert "Right to delete Answer due by 2 December 2026" in parts
        email = mail.outbox[-1]
        assert email.to == ["ada@example.org"]
        assert "opt out of sale" in email.body.lower()
        assert "/s/" in email.body

    with time_machine.travel(datetime(2026, 11, 30, 18, 0, tzinfo=UTC), tick=False):
        with sent():
            request_extend(request=request, by=STAFF, reason="Many systems", kinds=["erasure"])
        text = page_text(path)
        parts = section(text, "Each part of your request", "What has happened")
        assert "Right to delete Answer due by 31 January 2027 (extended)" in parts
        assert "extended the deadline for: Right to delete" in text
        email = mail.outbox[-1]
        assert "31 January 2027" in email.body
        assert "/s/" in email.body

    with time_machine.travel(datetime(2027, 1, 15, 18, 0, tzinfo=UTC), tick=False):
        for route in request.routes.all():
            route_mark_done(route=route, by=STAFF)
        with sent():
            request_complete(request=request, by=STAFF)
        text = page_text(path)
        parts = section(text, "Each part of your request", "What has happened")
        assert "Right to delete Answered on 15 January 2027" in parts
        assert "Opt out of sale or sharing Answered on 23 November 2026" in parts
        assert "Answer due by" not in text
        assert "Withdraw your request" not in text


def test_a_refused_request_shows_the_ground_and_promises_nothing(registry, sent) -> None:
    request, path = confirmed("callkom", sent, kinds=("access", "erasure"))
    request_pause(request=request, by=STAFF, reason="ID card", waiting_for=WaitingFor.IDENTITY)
    request_deny(request=request, by=STAFF, ground="identity_not_verified")

    text = page_text(path)
    assert "Refused on" in text
    assert "could not verify that you are the person" in text
    assert "Answer due by" not in text
    assert " by " not in section(text, "Where your request went", "What you sent")
    assert "Withdraw your request" not in text


@pytest.mark.parametrize("close", ["withdraw", "duplicate"])
def test_a_closed_request_makes_no_promise(registry, sent, close) -> None:
    earlier, _ = confirmed("callkom", sent, kinds=("access",))
    request, path = confirmed("callkom", sent, kinds=("access", "erasure"))
    if close == "withdraw":
        request_withdraw(request=request, by=STAFF)
    else:
        request_mark_duplicate(request=request, by=STAFF, of=earlier)

    text = page_text(path)
    assert "Closed without an answer on" in text
    assert "Answer due by" not in text
    assert "answers for your" not in text
    assert "Withdraw your request" not in text
    if close == "duplicate":
        assert f"repeats your earlier request {earlier.reference}" in text


def test_the_page_shows_the_identifiers_the_routing_used(registry, sent) -> None:
    _, path = confirmed(
        "callkom",
        sent,
        kinds=("objection",),
        scopes=("callkom:ai-calls",),
        identifiers={"phone": "+33 1 99 00 12 34"},
    )
    text = page_text(path)
    assert "The phone number that called you" in text
    assert "+33 1 99 00 12 34" in text
