"""A database out of reach answers a clean 503 with Retry-After, never a 500.

The API's own views answer it through the API's exception handler; this covers every
other view, and any /api/ path outside the REST framework, with the API's error shape
there and a small page elsewhere. The connection that failed is dropped by Django at the
end of the request (CONN_HEALTH_CHECKS checks a kept one before reuse), so the service
resumes by itself when the database is back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

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


# Where a member of staff past the password but without a factor yet sets one up.
ENROLMENT_URLS = ("two_factor:setup", "two_factor:qr")


class SecondFactorMiddleware:
    """Under DSAR_REQUIRE_SECOND_FACTOR, a session past the password but not the second
    factor is anonymous everywhere except enrolment: no admin page, dashboard or staff view
    treats it as signed in, whatever check that view makes. The admin's login page reads
    ``request.second_factor_pending`` to send such a member of staff to enrolment."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.DSAR_REQUIRE_SECOND_FACTOR:
            user = request.user  # OTPMiddleware's lazy user, with is_verified()
            request.user = SimpleLazyObject(lambda: self._user(request, user))  # type: ignore[assignment]
        return self.get_response(request)

    @staticmethod
    def _user(request: HttpRequest, user: Any) -> Any:
        if not user.is_authenticated or user.is_verified():
            return user
        if request.path_info in {reverse(name) for name in ENROLMENT_URLS}:
            return user
        request.second_factor_pending = user  # type: ignore[attr-defined]
        anonymous = AnonymousUser()
        anonymous.is_verified = lambda: False  # type: ignore[attr-defined]
        return anonymous
