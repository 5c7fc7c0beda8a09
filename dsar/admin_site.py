"""The admin site: under DSAR_REQUIRE_SECOND_FACTOR, no page before the second factor.

Its login page hands over to the two-factor sign-in (password, then a code), or, for a
member of staff who passed the password but has no factor yet, to enrolment.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from two_factor.utils import default_device


def second_factor_passed(request: HttpRequest) -> bool:
    if not settings.DSAR_REQUIRE_SECOND_FACTOR:
        return True
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


class DsarAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and second_factor_passed(request)

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        if not settings.DSAR_REQUIRE_SECOND_FACTOR:
            return super().login(request, extra_context)
        if self.has_permission(request):
            return redirect("admin:index")
        next_url = request.POST.get(REDIRECT_FIELD_NAME, request.GET.get(REDIRECT_FIELD_NAME))
        if not next_url or not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = reverse("admin:index")
        request.user  # noqa: B018  (evaluated: SecondFactorMiddleware notes a pending sign-in)
        pending = getattr(request, "second_factor_pending", None)
        if pending is not None and pending.is_staff and default_device(pending) is None:
            # Enrolment ends on the page that offers recovery codes, then links here.
            return redirect("two_factor:setup")
        return redirect_to_login(next_url, reverse("two_factor:login"))
