"""The retention purge: personal data goes, counts and the audit trail's shape stay."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from routing.models import Event, MessageStatus, Organisation, OutboundMessage, Request, Status
from routing.services import retention
from routing.services.requests import (
    request_complete,
    request_deny,
    request_extend,
    request_note,
    request_pause,
    request_receive,
    request_resume,
    request_withdraw,
)
from routing.services.retention import PURGED, purge_closed_requests, scrub_event_data
from tests.factories import make_request
from tests.requests.helpers import SYSTEM, finish_routes

pytestmark = pytest.mark.django_db

RECEIVED = datetime(2026, 1, 12, 9, 0, tzinfo=UTC)
CLOSED = RECEIVED + timedelta(days=20)
RETENTION = timedelta(days=730)
PERSONAL = ("Ada", "ada@example.org", "+33639980001", "rue des Lilas")


def _at(time_machine, moment: datetime) -> datetime:
    time_machine.move_to(moment, tick=False)
    return moment


@pytest.fixture
def closed(registry, by, time_machine) -> Request:
    """A Callkom request with everything a subject and staff write, closed on CLOSED."""
    _at(time_machine, RECEIVED)
    request = request_receive(
        organisation=Organisation.objects.get(slug="callkom"),
        kinds=["access"],
        scopes=["callkom:website", "callkom:ai-calls"],
        identifiers={"phone": "+33 1 99 00 12 34"},
        subject={
            "name": "Ada Martin",
            "email": "ada@example.org",
            "phone": "06 39 98 00 01",
            "country": "FR",
        },
        details="An agent called me at 12 rue des Lilas about a kitchen.",
        by=SYSTEM,
        verified=True,
    ).request
    _at(time_machine, RECEIVED + timedelta(days=1))
    request_note(request=request, by=by, text="Ada Martin phoned from 06 39 98 00 01.")
    request_pause(request=request, by=by, reason="Asked Ada for her customer number.")
    _at(time_machine, RECEIVED + timedelta(days=3))
    request_resume(request=request, by=by, note="Ada replied.")
    request_extend(request=request, by=by, reason="Ada's data is in three systems.")
    # Evidence of a notice to the subject and one to the customer, as the outbox keeps them.
    OutboundMessage.objects.create(
        request=request,
        template="test_notice",
        dedup_key=f"test-subject:{request.pk}",
        recipient="ada@example.org",
        subject="Your request, Ada Martin",
        body_text="Dear Ada Martin, ...",
        body_html="<p>Dear Ada Martin</p>",
        status=MessageStatus.SENT,
        created_at=timezone.now(),
        sent_at=timezone.now(),
    )
    OutboundMessage.objects.create(
        request=request,
        template="test_forward",
        dedup_key=f"test-customer:{request.pk}",
        recipient="privacy@maison.example",
        subject="A request from Ada Martin",
        body_text="Ada Martin, ada@example.org, asks ...",
        status=MessageStatus.QUEUED,
        created_at=timezone.now(),
    )
    _at(time_machine, CLOSED)
    finish_routes(request, by)
    request_complete(request=request, by=by, note="Sent Ada her export.")
    return request


def _trail(request: Request) -> list[tuple]:
    return list(
        Event.objects.filter(request=request)
        .order_by("pk")
        .values_list("pk", "type", "actor_type", "actor_label", "created_at", "data")
    )


def _contains_personal(value: object) -> list[str]:
    text = json.dumps(value, default=str)
    return [p for p in PERSONAL if p in text]


def test_a_request_closed_past_the_retention_period_is_purged(closed, time_machine) -> None:
    before = _trail(closed)
    assert _contains_personal([row[5] for row in before]), "the fixture holds personal data"
    now = _at(time_machine, CLOSED + RETENTION + timedelta(days=1))

    assert purge_closed_requests() == 1

    closed.refresh_from_db()
    assert closed.purged_at == now
    assert (closed.subject_name, closed.subject_email, closed.subject_phone) == ("", "", "")
    assert closed.identifiers == {}
    assert closed.details == closed.outcome_note == closed.extension_reason == ""
    # What counts need stays.
    assert closed.status == Status.COMPLETED
    assert closed.reference.startswith("CK-2026-")
    assert (closed.kinds, closed.subject_country, closed.regime) == (["access"], "FR", "gdpr")
    assert closed.closed_at == CLOSED
    assert closed.routes.count() == 2


def test_events_keep_their_shape_without_personal_data(closed, time_machine) -> None:
    before = _trail(closed)
    _at(time_machine, CLOSED + RETENTION + timedelta(days=1))

    purge_closed_requests()

    after = _trail(closed)
    assert len(after) == len(before) + 1
    for old, new in zip(before, after, strict=False):
        assert new[:5] == old[:5], "type, actor and time are kept"
        assert new[5].keys() == old[5].keys(), "data keys are kept"
    assert not _contains_personal([row[5] for row in after])
    by_type = {row[1]: row[5] for row in after}
    assert by_type["note"] == {"text": PURGED}
    assert by_type["paused"] == {"reason": PURGED, "waiting_for": "clarification"}
    assert by_type["resumed"]["note"] == PURGED
    assert by_type["resumed"]["paused_days"] == 2
    assert by_type["extended"]["reason"] == PURGED
    assert by_type["extended"]["effective_due_on"], "dates are not personal"
    assert by_type["completed"] == {"note": PURGED}
    assert by_type["received"]["kinds"] == ["access"]
    assert by_type["received"]["routes"] == before[0][5]["routes"]
    assert after[-1][1:4] == ("purged", "system", "retention")
    assert after[-1][5] == {"retention_days": settings.DSAR_RETENTION_DAYS}


def test_stored_emails_keep_only_the_evidence_they_were_sent(closed, time_machine) -> None:
    _at(time_machine, CLOSED + RETENTION + timedelta(days=1))

    purge_closed_requests()

    messages = OutboundMessage.objects.filter(request=closed)
    assert messages.exists()
    for message in messages:
        assert (message.subject, message.body_text) == (PURGED, PURGED)
        assert message.body_html == ""
        assert message.recipient != "ada@example.org"
        assert message.dedup_key
        assert message.template
    subject_notice = messages.get(template="test_notice")
    assert subject_notice.recipient == ""
    assert subject_notice.status == MessageStatus.SENT
    forward = messages.get(template="test_forward")
    assert forward.recipient == "privacy@maison.example", "the customer's address is not personal"
    assert forward.status == MessageStatus.FAILED, "never sent with its text purged"


def test_nothing_is_purged_before_the_period_ends(closed, time_machine) -> None:
    before = _trail(closed)
    _at(time_machine, CLOSED + RETENTION - timedelta(minutes=1))

    assert purge_closed_requests() == 0

    closed.refresh_from_db()
    assert closed.purged_at is None
    assert closed.subject_email == "ada@example.org"
    assert _trail(closed) == before


def test_the_period_comes_from_the_setting(closed, settings, time_machine) -> None:
    settings.DSAR_RETENTION_DAYS = 30
    _at(time_machine, CLOSED + timedelta(days=29))
    assert purge_closed_requests() == 0

    _at(time_machine, CLOSED + timedelta(days=31))
    assert purge_closed_requests() == 1


def test_open_requests_are_never_purged(registry, time_machine) -> None:
    _at(time_machine, RECEIVED)
    request = make_request("callkom", email="ada@example.org")
    _at(time_machine, RECEIVED + RETENTION * 2)

    assert purge_closed_requests() == 0

    request.refresh_from_db()
    assert request.subject_email == "ada@example.org"


def test_purging_twice_changes_nothing_more(closed, time_machine) -> None:
    _at(time_machine, CLOSED + RETENTION + timedelta(days=1))
    assert purge_closed_requests() == 1
    trail = _trail(closed)
    row = Request.objects.filter(pk=closed.pk).values().get()

    _at(time_machine, CLOSED + RETENTION + timedelta(days=2))
    assert purge_closed_requests() == 0

    assert _trail(closed) == trail
    assert Request.objects.filter(pk=closed.pk).values().get() == row


def test_purge_works_in_batches(registry, by, time_machine, monkeypatch) -> None:
    _at(time_machine, RECEIVED)
    requests = [make_request("callkom", email=f"subject{i}@example.org") for i in range(5)]
    _at(time_machine, CLOSED)
    for request in requests:
        request_deny(request=request, by=by, ground="no_data_held", note="nothing found")
    batches: list[int] = []
    real_batch = retention._purge_batch

    def counting(now: datetime, batch_size: int) -> int:
        batches.append(real_batch(now, batch_size))
        return batches[-1]

    monkeypatch.setattr(retention, "_purge_batch", counting)
    _at(time_machine, CLOSED + RETENTION + timedelta(days=1))

    assert purge_closed_requests(batch_size=2) == 5

    assert batches == [2, 2, 1]
    for request in requests:
        request.refresh_from_db()
        assert request.purged_at is not None
        assert request.subject_email == ""
        assert request.events.filter(type="purged").count() == 1


def test_batch_size_must_be_positive(registry) -> None:
    with pytest.raises(ValueError, match="batch_size"):
        purge_closed_requests(batch_size=0)


def test_every_closed_status_is_purged(registry, by, time_machine) -> None:
    _at(time_machine, RECEIVED)
    withdrawn = make_request("comfortclick", email="w@example.org")
    _at(time_machine, CLOSED)
    request_withdraw(request=withdrawn, by=by, note="Changed my mind - W.")
    _at(time_machine, CLOSED + RETENTION + timedelta(days=1))

    assert purge_closed_requests() == 1

    withdrawn.refresh_from_db()
    assert withdrawn.purged_at is not None
    assert withdrawn.events.get(type="withdrawn").data == {"note": PURGED}


def test_command_dry_run_counts_and_changes_nothing(closed, time_machine) -> None:
    _at(time_machine, CLOSED + RETENTION + timedelta(days=1))
    out = StringIO()

    call_command("purge_closed_requests", "--dry-run", stdout=out)

    assert "1 request(s)" in out.getvalue()
    assert "nothing was changed" in out.getvalue()
    closed.refresh_from_db()
    assert closed.purged_at is None


def test_command_purges(closed, time_machine) -> None:
    _at(time_machine, CLOSED + RETENTION + timedelta(days=1))
    out = StringIO()

    call_command("purge_closed_requests", "--batch-size", "10", stdout=out)

    assert "Purged 1 request(s)" in out.getvalue()
    closed.refresh_from_db()
    assert closed.purged_at is not None


def test_task_purges_and_beat_runs_it_daily(closed, time_machine) -> None:
    from routing.tasks import purge_closed_requests as task

    _at(time_machine, CLOSED + RETENTION + timedelta(days=1))

    assert task() == 1

    entry = settings.CELERY_BEAT_SCHEDULE["purge-closed-requests"]
    assert entry["task"] == "routing.tasks.purge_closed_requests"
    schedule = entry["schedule"]
    assert schedule == crontab(hour=3, minute=20), "daily, at a quiet hour"


# --- scrubbing rules ------------------------------------------------------------------------


def test_scrub_keeps_keys_and_nesting_and_replaces_personal_values() -> None:
    data = {
        "note": "call Ada back",
        "reason": "",
        "subject_email": "ada@example.org",
        "customer_name": "Maison Exemple",
        "kinds": ["access"],
        "routes": [{"scope": "callkom:website", "action": "fulfil", "note": "x"}],
        "paused_days": 3,
        "extra": None,
    }

    assert scrub_event_data(data) == {
        "note": PURGED,
        "reason": "",
        "subject_email": PURGED,
        "customer_name": PURGED,
        "kinds": ["access"],
        "routes": [{"scope": "callkom:website", "action": "fulfil", "note": PURGED}],
        "paused_days": 3,
        "extra": None,
    }


def test_scrub_replaces_text_naming_the_subject_under_any_key() -> None:
    data = {"task": "Email to ada@example.org bounced", "template": "ack", "of": "CK-2026-000001"}

    scrubbed = scrub_event_data(data, ("ada@example.org",))

    assert scrubbed == {"task": PURGED, "template": "ack", "of": "CK-2026-000001"}
    assert scrub_event_data({"status": "Ada"}, ("ada",)) == {"status": PURGED}
