"""Delivering the answer package: the subject downloads the response files of a completed
access or portability part, behind a one-time code emailed to them, for a limited window.

The window opens when such a part is completed with response files on the request; a sweep
closes it after ``DSAR_DOWNLOAD_DAYS`` and deletes the files from storage (their rows, events
and SHA-256 stay); staff may reopen delivery once.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from routing.models import (
    DownloadCode,
    DownloadWindow,
    EventType,
    FilePurpose,
    Request,
    RequestFile,
)
from routing.services.actors import Actor
from routing.services.consequences import event_record
from routing.services.files import file_delete

# The parts whose answer is a copy of the data, delivered as files.
DOWNLOAD_KINDS = frozenset({"access", "portability"})
CODE_DIGITS = 6
CODE_MINUTES = 10
EXPIRED_REASON = "download window closed"
_CODE_SALT = "routing.download-code"


class DownloadsRefused(Exception):
    """A delivery step the request's state does not allow; nothing was changed."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def download_days() -> int:
    return int(getattr(settings, "DSAR_DOWNLOAD_DAYS", 30))


def response_files(request: Request) -> QuerySet[RequestFile]:
    """The answer package as it can be downloaded: the live response files."""
    return RequestFile.objects.filter(
        request=request, purpose=FilePurpose.RESPONSE, deleted_at__isnull=True
    ).order_by("created_at", "id")


def open_window(request: Request) -> DownloadWindow | None:
    window = DownloadWindow.objects.filter(request=request).first()
    return window if window is not None and window.is_open else None


def _open(request: Request, *, reopened: bool = False) -> DownloadWindow:
    now = timezone.now()
    until = now + timedelta(days=download_days())
    window, created = DownloadWindow.objects.select_for_update().get_or_create(
        request=request, defaults={"opened_at": now, "open_until": until}
    )
    if not created:
        window.opened_at = now
        window.open_until = until
        window.closed_at = None
        if reopened:
            window.reopened_at = now
        window.save()
    return window


def downloads_answer_ready(*, request: Request, by: Actor, kinds: Sequence[str]) -> bool:
    """Called by the completion of ``kinds`` (in its transaction): when one of them is an
    access or portability part and the answer package is on the request, open the window
    and tell the subject. Returns whether it did."""
    if not DOWNLOAD_KINDS & set(kinds):
        return False
    files = response_files(request).filter(kind__in=[*DOWNLOAD_KINDS & set(kinds), ""])
    ids = list(files.values_list("pk", flat=True))
    if not ids:
        return False
    window = _open(request)
    event_record(
        request,
        by,
        EventType.ANSWER_READY,
        files=ids,
        open_until=window.open_until.isoformat(),
    )
    return True


def _code_hash(request_id: int, code: str) -> str:
    # Keyed with SECRET_KEY: a million codes are tried in no time against a plain digest.
    return salted_hmac(_CODE_SALT, f"{request_id}:{code}", algorithm="sha256").hexdigest()


def download_code_send(*, request: Request) -> DownloadCode:
    """A new one-time code, emailed to the subject; it replaces any earlier code."""
    with transaction.atomic():
        if open_window(request) is None:
            raise DownloadsRefused("Downloads are not open for this request.", code="closed")
        now = timezone.now()
        code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        row = DownloadCode.objects.create(
            request=request,
            code_hash=_code_hash(request.pk, code),
            created_at=now,
            expires_at=now + timedelta(minutes=CODE_MINUTES),
        )
        # The code itself is known only to this moment: it goes into the email, not the trail.
        event_record(
            request,
            Actor.subject(),
            EventType.DOWNLOAD_CODE_SENT,
            extra={"code": code, "minutes": CODE_MINUTES},
            expires_at=row.expires_at.isoformat(),
        )
    return row


Outcome = Literal["ok", "wrong", "locked", "expired", "none", "closed"]


@dataclass(frozen=True)
class CodeCheck:
    outcome: Outcome
    attempts_left: int = 0

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"


def download_code_check(*, request: Request, code: str) -> CodeCheck:
    """Check ``code`` against the latest code of the request. A wrong one counts (and the
    count is kept); after the last try the code is locked until a new one is asked for.
    The right one is used up."""
    with transaction.atomic():
        if open_window(request) is None:
            return CodeCheck("closed")
        row = (
            DownloadCode.objects.select_for_update()
            .filter(request=request)
            .order_by("-created_at", "-id")
            .first()
        )
        if row is None or row.used_at is not None:
            return CodeCheck("none")
        if row.is_locked:
            return CodeCheck("locked")
        now = timezone.now()
        if row.expires_at <= now:
            return CodeCheck("expired")
        given = "".join(code.split())
        if constant_time_compare(row.code_hash, _code_hash(request.pk, given)):
            row.used_at = now
            row.save(update_fields=["used_at"])
            return CodeCheck("ok")
        row.attempts += 1
        row.save(update_fields=["attempts"])
        return CodeCheck("locked" if row.is_locked else "wrong", row.attempts_left)


def code_locked(request: Request) -> bool:
    row = DownloadCode.objects.filter(request=request).order_by("-created_at", "-id").first()
    return row is not None and row.used_at is None and row.is_locked


def file_download_record(*, request: Request, file: RequestFile) -> None:
    event_record(
        request, Actor.subject(), EventType.FILE_DOWNLOADED, file=file.pk, sha256=file.sha256
    )


def downloads_expire_sweep() -> int:
    """Close every window past its end: delete its response files from storage and record
    it. Each window is claimed and closed in its own transaction. Returns how many."""
    closed = 0
    due = DownloadWindow.objects.filter(closed_at__isnull=True, open_until__lte=timezone.now())
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            window = (
                DownloadWindow.objects.select_for_update(skip_locked=True)
                .select_related("request")
                .filter(pk=pk, closed_at__isnull=True, open_until__lte=timezone.now())
                .first()
            )
            if window is None:
                continue
            by = Actor.system("download window")
            deleted = []
            for file in response_files(window.request):
                file_delete(file=file, by=by, reason=EXPIRED_REASON)
                deleted.append(file.pk)
            window.closed_at = timezone.now()
            window.save(update_fields=["closed_at"])
            event_record(window.request, by, EventType.DOWNLOADS_EXPIRED, files=deleted)
            closed += 1
    return closed


def downloads_reopen(*, request: Request, by: Actor) -> DownloadWindow:
    """Open delivery again, for a new window, once per request: the answer package must be
    on the request (stored again if the first window's files were deleted)."""
    with transaction.atomic():
        window = DownloadWindow.objects.select_for_update().filter(request=request).first()
        if window is None:
            raise DownloadsRefused(
                f"{request.reference}: the answer was never ready to download.", code="never"
            )
        if window.downloads_reopened:
            raise DownloadsRefused(
                f"{request.reference}: downloads were already reopened on "
                f"{window.reopened_at:%Y-%m-%d}; they can be reopened once.",
                code="already_reopened",
            )
        ids = list(response_files(request).values_list("pk", flat=True))
        if not ids:
            raise DownloadsRefused(
                f"{request.reference}: no answer package to deliver. Store the response "
                "files again first.",
                code="no_files",
            )
        window = _open(request, reopened=True)
        event_record(
            request,
            by,
            EventType.DOWNLOADS_REOPENED,
            files=ids,
            open_until=window.open_until.isoformat(),
        )
    return window
