"""The beat task closes the windows past their end, and only those."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from routing import tasks
from routing.models import DownloadWindow, Event, EventType, Request
from routing.services.actors import Actor
from tests.downloads.conftest import answered, store_answer

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_the_task_closes_a_window_after_its_days(
    subject_request: Request, by: Actor, sent: Any, time_machine: Any, settings: Any
) -> None:
    settings.DSAR_DOWNLOAD_DAYS = 7
    time_machine.move_to(START, tick=False)
    file = store_answer(subject_request, by)
    answered(subject_request, by, sent)

    time_machine.move_to(START + timedelta(days=7) - timedelta(seconds=1), tick=False)
    assert tasks.close_download_windows() == 0
    file.refresh_from_db()
    assert not file.is_deleted

    time_machine.move_to(START + timedelta(days=7), tick=False)
    assert tasks.close_download_windows() == 1
    file.refresh_from_db()
    assert file.is_deleted
    assert DownloadWindow.objects.get().closed_at == START + timedelta(days=7)
    assert Event.objects.filter(type=EventType.DOWNLOADS_EXPIRED).count() == 1
