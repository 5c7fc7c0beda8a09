"""Requests their subject never confirmed expire, and their personal data goes with them."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core.management import call_command

from routing.models import Request, Status
from routing.services.expiry import expire_unverified_requests
from routing.services.requests import request_note, request_verify
from routing.services.retention import PURGED
from tests.factories import make_request
from tests.requests.helpers import SYSTEM, event_types

pytestmark = pytest.mark.django_db

RECEIVED = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


def _at(time_machine, moment: datetime) -> datetime:
    time_machine.move_to(moment, tick=False)
    return moment


@pytest.fixture
def unverified(registry, by, time_machine) -> Request:
    _at(time_machine, RECEIVED)
    request = make_request("callkom", verified=False, phone="06 39 98 00 01")
    request_note(request=request, by=by, text="Ada Martin asked by phone whether it arrived.")
    return request


def test_unverified_after_the_expiry_period_is_expired_and_erased(unverified, time_machine) -> None:
    now = _at(time_machine, RECEIVED + timedelta(days=7, minutes=1))

    assert expire_unverified_requests() == 1

    unverified.refresh_from_db()
    assert unverified.status == Status.EXPIRED
    assert unverified.closed_at == now
    assert unverified.purged_at == now
    assert (unverified.subject_name, unverified.subject_email, unverified.subject_phone) == (
        "",
        "",
        "",
    )
    assert event_types(unverified)[-1] == "expired"
    assert unverified.events.get(type="note").data == {"text": PURGED}
    trail = json.dumps(list(unverified.events.values_list("data", flat=True)))
    assert "Ada" not in trail
    assert "ada@example.org" not in trail


def test_unverified_within_the_period_is_left_waiting(unverified, time_machine) -> None:
    _at(time_machine, RECEIVED + timedelta(days=6, hours=23))

    assert expire_unverified_requests() == 0

    unverified.refresh_from_db()
    assert unverified.status == Status.UNVERIFIED
    assert unverified.subject_email == "ada@example.org"


def test_confirmed_requests_never_expire(unverified, time_machine) -> None:
    _at(time_machine, RECEIVED + timedelta(days=2))
    request_verify(request=unverified, by=SYSTEM)
    _at(time_machine, RECEIVED + timedelta(days=30))

    assert expire_unverified_requests() == 0

    unverified.refresh_from_db()
    assert unverified.status != Status.EXPIRED


def test_expiring_twice_changes_nothing_more(unverified, time_machine) -> None:
    _at(time_machine, RECEIVED + timedelta(days=8))
    assert expire_unverified_requests() == 1
    events = unverified.events.count()

    _at(time_machine, RECEIVED + timedelta(days=9))
    assert expire_unverified_requests() == 0

    assert unverified.events.count() == events


def test_the_period_comes_from_the_setting(unverified, settings, time_machine) -> None:
    settings.DSAR_UNVERIFIED_EXPIRY_DAYS = 2
    _at(time_machine, RECEIVED + timedelta(days=2, minutes=1))

    assert expire_unverified_requests() == 1


def test_an_expired_request_is_not_purged_again(unverified, time_machine) -> None:
    from routing.services.retention import purge_closed_requests

    _at(time_machine, RECEIVED + timedelta(days=8))
    expire_unverified_requests()
    _at(time_machine, RECEIVED + timedelta(days=8 + 800))

    assert purge_closed_requests() == 0
    assert "purged" not in event_types(unverified)


def test_command_dry_run_and_run(unverified, time_machine) -> None:
    _at(time_machine, RECEIVED + timedelta(days=8))
    out = StringIO()

    call_command("expire_unverified", "--dry-run", stdout=out)
    unverified.refresh_from_db()
    assert unverified.status == Status.UNVERIFIED
    assert "1 request(s)" in out.getvalue()

    call_command("expire_unverified", stdout=out)
    unverified.refresh_from_db()
    assert unverified.status == Status.EXPIRED
    assert "Expired 1 request(s)" in out.getvalue()


def test_task_expires_and_beat_runs_it_hourly(unverified, time_machine) -> None:
    from routing.tasks import expire_unverified_requests as task

    _at(time_machine, RECEIVED + timedelta(days=8))

    assert task() == 1

    entry = settings.CELERY_BEAT_SCHEDULE["expire-unverified-requests"]
    assert entry["task"] == "routing.tasks.expire_unverified_requests"
    schedule = entry["schedule"]
    assert schedule == crontab(minute=35), "every hour"
