from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import format_html


def ratelimited(
    request: HttpRequest, exception: Exception, *, contact: str | None = None
) -> HttpResponse:
    """A plain page that says to wait and whom to write to, with the status clients and
    proxies understand. ``contact`` is the organisation's privacy address when known."""
    email = contact or settings.DSAR_CONTACT_EMAIL
    contact_link = format_html('<a href="mailto:{0}">{0}</a>', email)
    response = render(request, "errors/429.html", {"contact_link": contact_link}, status=429)
    response["Retry-After"] = "3600"
    return response
