from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def ratelimited(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A plain page that says to wait, with the status clients and proxies understand."""
    response = render(request, "errors/429.html", status=429)
    response["Retry-After"] = "3600"
    return response
