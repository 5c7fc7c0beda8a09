"""A database out of reach answers a clean 503 with Retry-After, never a 500.

The API's own views answer it through the API's exception handler; this covers every
other view, and any /api/ path outside the REST framework, with the API's error shape
there and a small page elsewhere. The connection that failed is dropped by Django at the
end of the request (CONN_HEALTH_CHECKS checks a kept one before reuse), so the service
resumes by itself when the database is back.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from routing.domain.unavailable import (
    database_unavailable,
    log_unavailable,
    unavailable_body,
    unavailable_headers,
)

API_PREFIX = "/api/"


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not database_unavailable(exception):
            return None
        response: HttpResponse
        if request.path_info.startswith(API_PREFIX):
            response = JsonResponse(unavailable_body(), status=503)
        else:
            # The page reads nothing from the database: no user, no messages.
            response = render(request, "errors/503.html", status=503)
        unavailable_headers(response)
        log_unavailable(request, response, exception)
        return response
