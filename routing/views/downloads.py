"""The subject downloads their answer package, from their status link, behind a one-time
code emailed to them.

The right code gives a short grant: a signed cookie that names the request and its window,
scoped to the request's files pages, so the files open for a while without a new code.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited
from django_ratelimit.decorators import ratelimit
from django_ratelimit.exceptions import Ratelimited

from routing.models import DownloadWindow, Request, RequestFile
from routing.selectors.status import request_for_token
from routing.services.downloads import (
    CODE_MINUTES,
    DownloadsRefused,
    code_locked,
    download_code_check,
    download_code_send,
    file_download_record,
    open_window,
    response_files,
)
from routing.services.files import file_chunks
from routing.views.errors import ratelimited
from routing.views.intake import link_not_valid

GRANT_COOKIE = "dsar_files"
GRANT_SALT = "routing.downloads.grant"
GRANT_SECONDS = 30 * 60
CODE_FIELD_LENGTH = 12


def _ip_rate(group: str, request: HttpRequest) -> str:
    return str(settings.DSAR_STATUS_RATE_PER_IP)


def _code_rate(group: str, request: HttpRequest) -> str:
    return str(getattr(settings, "DSAR_DOWNLOAD_CODE_RATE", "5/h"))


def _files_path(token: str) -> str:
    return reverse("status-files", args=[token])


def _grant_value(window: DownloadWindow) -> str:
    # A reopened window is a new one: a grant of the earlier window does not open it.
    return f"{window.request_id}:{window.opened_at.isoformat()}"


def _granted(request: HttpRequest, window: DownloadWindow | None) -> bool:
    if window is None:
        return False
    value = request.get_signed_cookie(
        GRANT_COOKIE, default=None, salt=GRANT_SALT, max_age=GRANT_SECONDS
    )
    return value is not None and constant_time_compare(value, _grant_value(window))


def _page(
    request: HttpRequest,
    subject_request: Request,
    token: str,
    *,
    notice: str = "",
    attempts_left: int = 0,
    status: int = 200,
) -> HttpResponse:
    window = open_window(subject_request)
    granted = _granted(request, window)
    context: dict[str, Any] = {
        "subject_request": subject_request,
        "organisation": subject_request.organisation,
        "token": token,
        "window": window,
        "granted": granted,
        "files": list(response_files(subject_request)) if granted else [],
        "locked": window is not None and not granted and code_locked(subject_request),
        "notice": notice,
        "attempts_left": attempts_left,
        "minutes": CODE_MINUTES,
    }
    response = render(request, "status/files.html", context, status=status)
    response["Cache-Control"] = "no-store, private"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=_ip_rate, method="POST", block=False)
def files(request: HttpRequest, token: str) -> HttpResponse:
    """GET: the files once granted, else the forms to ask for and enter a code.
    POST: a code entered."""
    if getattr(request, "limited", False):
        return ratelimited(request, Ratelimited())
    subject_request = request_for_token(token)
    if subject_request is None:
        return link_not_valid(request)
    if request.method == "GET":
        notice = "sent" if request.GET.get("sent") else ""
        return _page(request, subject_request, token, notice=notice)
    code = str(request.POST.get("code", ""))[:CODE_FIELD_LENGTH]
    check = download_code_check(request=subject_request, code=code)
    if not check.ok:
        return _page(
            request,
            subject_request,
            token,
            notice=check.outcome,
            attempts_left=check.attempts_left,
            status=400,
        )
    window = open_window(subject_request)
    assert window is not None  # the check found it open
    response = redirect(_files_path(token))
    response.set_signed_cookie(
        GRANT_COOKIE,
        _grant_value(window),
        salt=GRANT_SALT,
        max_age=GRANT_SECONDS,
        path=_files_path(token),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Strict",
    )
    return response


@never_cache
@require_POST
@ratelimit(key="ip", rate=_ip_rate, method="POST", block=False)
def files_code(request: HttpRequest, token: str) -> HttpResponse:
    """Send a new one-time code to the request's address."""
    if getattr(request, "limited", False):
        return ratelimited(request, Ratelimited())
    subject_request = request_for_token(token)
    if subject_request is None:
        return link_not_valid(request)
    # Counted per request, whatever the address asking: codes go to one mailbox.
    if is_ratelimited(
        request,
        group="download-codes",
        key=lambda group, request: str(subject_request.pk),
        rate=_code_rate,
        increment=True,
    ):
        return ratelimited(
            request, Ratelimited(), contact=subject_request.organisation.privacy_email or None
        )
    try:
        download_code_send(request=subject_request)
    except DownloadsRefused:
        return _page(request, subject_request, token, status=409)
    return redirect(f"{_files_path(token)}?sent=1")


def _stream(subject_request: Request, file: RequestFile) -> Iterator[bytes]:
    yield from file_chunks(file)
    # Only a download that reached its end (its SHA-256 checked) is recorded.
    file_download_record(request=subject_request, file=file)


@never_cache
@require_GET
def file_download(request: HttpRequest, token: str, file_id: int) -> HttpResponseBase:
    subject_request = request_for_token(token)
    if subject_request is None:
        return link_not_valid(request)
    window = open_window(subject_request)
    if window is None:
        raise Http404("No downloads open.")
    if not _granted(request, window):
        return redirect(_files_path(token))
    file = response_files(subject_request).filter(pk=file_id).first()
    if file is None:
        raise Http404("No such file.")
    response = StreamingHttpResponse(_stream(subject_request, file), content_type=file.content_type)
    response["Content-Disposition"] = str(content_disposition_header(True, file.name))
    response["Content-Length"] = str(file.size)
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    return response
