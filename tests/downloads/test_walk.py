"""The subject downloads the answer: "answer ready" email, a one-time code, the files, and
the window closing behind them."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from routing.models import DownloadWindow, Event, EventType, Request
from routing.services.actors import Actor
from routing.services.downloads import downloads_expire_sweep
from routing.services.requests import request_complete
from tests.downloads.conftest import ANSWER, answered, store_answer

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def code_in(message: mail.EmailMessage) -> str:
    found = re.search(r"\b(\d{6})\b", str(message.body))
    assert found, message.body
    return found.group(1)


def ask_code(client: Client, status_path: str, sent: Any) -> str:
    with sent():
        response = client.post(f"{status_path}files/code/")
    assert response.status_code == 302
    assert response["Location"] == f"{status_path}files/?sent=1"
    return code_in(mail.outbox[-1])


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def stored_objects(files_dir: Path) -> list[Path]:
    return [p for p in files_dir.rglob("*") if p.is_file()]


def test_the_whole_walk_from_answer_to_expiry(
    client: Client,
    subject_request: Request,
    by: Actor,
    sent: Any,
    files_dir: Path,
    time_machine: Any,
) -> None:
    time_machine.move_to(START, tick=False)
    file = store_answer(subject_request, by)
    mail.outbox.clear()

    status_path = answered(subject_request, by, sent)

    ready = mail.outbox[-1]
    assert ready.to == ["ada@example.org"]
    assert subject_request.reference in ready.subject
    assert "ready to download" in ready.subject
    # No personal data: not the name, not what the request is about.
    assert "Ada" not in ready.body
    assert "Martin" not in ready.body
    assert "1 April 2026" in ready.body  # 30 days
    page = client.get(status_path)
    assert f'href="{status_path}files/"' in page.content.decode()

    # Without a code, the files page lists nothing and a file does not open.
    listing = client.get(f"{status_path}files/")
    assert listing.status_code == 200
    assert "answer.pdf" not in listing.content.decode()
    assert client.get(f"{status_path}files/{file.pk}/")["Location"] == f"{status_path}files/"

    code = ask_code(client, status_path, sent)
    assert code not in str(Event.objects.filter(request=subject_request).values("data"))
    for _attempt in range(5):
        response = client.post(f"{status_path}files/", {"code": wrong(code)})
        assert response.status_code == 400
    assert "Too many wrong codes" in response.content.decode()
    # Locked: even the right code no longer opens the files.
    locked = client.post(f"{status_path}files/", {"code": code})
    assert locked.status_code == 400
    assert 'name="code"' not in locked.content.decode()
    assert "dsar_files" not in locked.cookies

    code = ask_code(client, status_path, sent)
    opened = client.post(f"{status_path}files/", {"code": code})
    assert opened.status_code == 302
    grant = opened.cookies["dsar_files"]
    assert grant["httponly"]
    assert grant["samesite"] == "Strict"
    assert grant["path"] == f"{status_path}files/"
    listing = client.get(f"{status_path}files/")
    assert "answer.pdf" in listing.content.decode()

    download = client.get(f"{status_path}files/{file.pk}/")
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="answer.pdf"'
    assert "no-store" in download["Cache-Control"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download.getvalue() == ANSWER
    event = Event.objects.get(request=subject_request, type=EventType.FILE_DOWNLOADED)
    assert event.data == {"file": file.pk, "sha256": file.sha256}

    # A code works once.
    assert client.post(f"{status_path}files/", {"code": code}).status_code == 400

    time_machine.move_to(START + timedelta(days=30, minutes=1), tick=False)
    assert client.get(f"{status_path}files/{file.pk}/").status_code == 404
    with sent():  # the stored object goes once the deletion is committed
        assert downloads_expire_sweep() == 1
    file.refresh_from_db()
    assert file.is_deleted
    assert file.deleted_reason == "download window closed"
    assert file.sha256
    assert stored_objects(files_dir) == []
    assert Event.objects.filter(request=subject_request, type=EventType.FILE_DOWNLOADED).exists()
    expired = Event.objects.get(request=subject_request, type=EventType.DOWNLOADS_EXPIRED)
    assert expired.data == {"files": [file.pk]}
    assert downloads_expire_sweep() == 0
    assert f"{status_path}files/" not in client.get(status_path).content.decode()


def test_a_wrong_code_says_how_many_tries_are_left(
    client: Client, subject_request: Request, by: Actor, sent: Any, time_machine: Any
) -> None:
    time_machine.move_to(START, tick=False)
    store_answer(subject_request, by)
    status_path = answered(subject_request, by, sent)
    code = ask_code(client, status_path, sent)

    response = client.post(f"{status_path}files/", {"code": wrong(code)})

    assert "This code is not right. Tries left: 4." in response.content.decode()


def test_a_code_expires_after_ten_minutes(
    client: Client, subject_request: Request, by: Actor, sent: Any, time_machine: Any
) -> None:
    time_machine.move_to(START, tick=False)
    store_answer(subject_request, by)
    status_path = answered(subject_request, by, sent)
    code = ask_code(client, status_path, sent)

    time_machine.move_to(START + timedelta(minutes=10), tick=False)
    response = client.post(f"{status_path}files/", {"code": code})

    assert response.status_code == 400
    assert "expired" in response.content.decode()


def test_a_grant_ends_after_thirty_minutes(
    client: Client, subject_request: Request, by: Actor, sent: Any, time_machine: Any
) -> None:
    time_machine.move_to(START, tick=False)
    file = store_answer(subject_request, by)
    status_path = answered(subject_request, by, sent)
    client.post(f"{status_path}files/", {"code": ask_code(client, status_path, sent)})
    assert client.get(f"{status_path}files/{file.pk}/").status_code == 200

    time_machine.move_to(START + timedelta(minutes=31), tick=False)

    assert client.get(f"{status_path}files/{file.pk}/").status_code == 302


def test_codes_are_limited_per_request(
    client: Client, subject_request: Request, by: Actor, sent: Any, time_machine: Any
) -> None:
    time_machine.move_to(START, tick=False)
    store_answer(subject_request, by)
    status_path = answered(subject_request, by, sent)
    for _ in range(5):
        ask_code(client, status_path, sent)

    # Another address asking for the same request is counted with the first.
    other = Client(REMOTE_ADDR="203.0.113.9")
    response = other.post(f"{status_path}files/code/")

    assert response.status_code == 429
    assert Event.objects.filter(type=EventType.DOWNLOAD_CODE_SENT).count() == 5


def test_completing_without_an_answer_package_opens_no_downloads(
    subject_request: Request, by: Actor, sent: Any
) -> None:
    with sent():
        request_complete(request=subject_request, by=by, kinds=["access"])

    assert not Event.objects.filter(type=EventType.ANSWER_READY).exists()
    assert not DownloadWindow.objects.exists()
    assert "ready to download" not in mail.outbox[-1].subject


def test_completing_erasure_alone_opens_no_downloads(
    subject_request: Request, by: Actor, sent: Any
) -> None:
    store_answer(subject_request, by)

    with sent():
        request_complete(request=subject_request, by=by, kinds=["erasure"])

    assert not Event.objects.filter(type=EventType.ANSWER_READY).exists()
    assert not DownloadWindow.objects.exists()
