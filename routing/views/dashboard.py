"""The staff dashboard: risk and pace per organisation, inside the admin's frame."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.template.response import TemplateResponse

from routing.presenters.dashboard import dashboard_page


def _dashboard(request: HttpRequest) -> TemplateResponse:
    context = {
        **admin.site.each_context(request),
        "title": "Dashboard",
        "page": dashboard_page(request.user),
    }
    return TemplateResponse(request, "admin/dashboard.html", context)


# The admin's own wrapper: staff login, never cached, CSRF, and the admin's look.
dashboard = admin.site.admin_view(_dashboard)
