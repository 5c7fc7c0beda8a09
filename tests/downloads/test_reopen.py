"""Staff reopen delivery once, for a new window, after the first one closed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from routing.models import DownloadWindow, Event, EventType, Request
from routing.services.actors import Actor
from routing.services.downloads import DownloadsRefused, downloads_expire_sweep, downloads_reopen
from tests.downloads.conftest import ANSWER, answered, store_answer
from tests.downloads.test_walk import ask_code

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def expired(request: Request, by: Actor, sent: Any, time_machine: Any) -> str:
    time_machine.move_to(START, tick=False)
    store_answer(request, by)
    status_path = answered(request, by, sent)
    time_machine.move_to(START + timedelta(days=31), tick=False)
    with sent():
        downloads_expire_sweep()
    return status_path


def test_reopening_once_opens_a_new_window_and_tells_the_subject(
    client: Client, subject_request: Request, by: Actor, sent: Any, time_machine: Any
) -> None:
    status_path = expired(subject_request, by, sent, time_machine)
    file = store_answer(subject_request, by)

    with sent():
        downloads_reopen(request=subject_request, by=by)

    window = DownloadWindow.objects.get(request=subject_request)
    assert window.open_until == START + timedelta(days=61)
    assert window.closed_at is None
    assert window.downloads_reopened
    assert Event.objects.filter(type=EventType.DOWNLOADS_REOPENED).count() == 1
    assert "can be downloaded again" in mail.outbox[-1].body
    client.post(f"{status_path}files/", {"code": ask_code(client, status_path, sent)})
    download = client.get(f"{status_path}files/{file.pk}/")
    assert download.getvalue() == ANSWER


def test_reopening_a_second_time_is_refused(
    subject_request: Request, by: Actor, sent: Any, time_machine: Any
) -> None:
    expired(subject_request, by, sent, time_machine)
    store_answer(subject_request, by)
    downloads_reopen(request=subject_request, by=by)

    with pytest.raises(DownloadsRefused) as refused:
        downloads_reopen(request=subject_request, by=by)

    assert refused.value.code == "already_reopened"
    assert Event.objects.filter(type=EventType.DOWNLOADS_REOPENED).count() == 1


def test_reopening_without_the_files_is_refused(
    subject_request: Request, by: Actor, sent: Any, time_machine: Any
) -> None:
    expired(subject_request, by, sent, time_machine)

    with pytest.raises(DownloadsRefused) as refused:
        downloads_reopen(request=subject_request, by=by)

    assert refused.value.code == "no_files"
    assert not DownloadWindow.objects.get(request=subject_request).downloads_reopened


def test_reopening_a_request_never_answered_is_refused(subject_request: Request, by: Actor) -> None:
    with pytest.raises(DownloadsRefused) as refused:
        downloads_reopen(request=subject_request, by=by)

    assert refused.value.code == "never"


def test_the_command_reopens_once_by_reference(
    subject_request: Request, by: Actor, sent: Any, time_machine: Any, capsys: Any
) -> None:
    expired(subject_request, by, sent, time_machine)
    store_answer(subject_request, by)

    call_command("reopen_downloads", subject_request.reference, "--user", by.label)

    assert "downloads open until" in capsys.readouterr().out
    event = Event.objects.get(type=EventType.DOWNLOADS_REOPENED)
    assert event.actor_label == by.label
    with pytest.raises(CommandError, match="can be reopened once"):
        call_command("reopen_downloads", subject_request.reference)


def test_the_command_names_an_unknown_reference(db: Any) -> None:
    with pytest.raises(CommandError, match="no request 'NOPE'"):
        call_command("reopen_downloads", "NOPE")
