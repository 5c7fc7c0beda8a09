"""The audit trail in the admin."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from routing.admin.tenancy import OrganisationListFilter, TenantAdmin
from routing.models import Event
from routing.presenters.events import event_sentence
from routing.presenters.formats import format_datetime


@admin.register(Event)
class EventAdmin(TenantAdmin):
    """The audit trail, read-only: events are written by services and never changed.

    Times are the request's organisation's, as on the request page's timeline.
    """

    tenant_path = "request__organisation"
    list_display = ["when", "request", "type", "actor_type", "actor_label", "what_happened"]
    list_filter = [("request__organisation", OrganisationListFilter), "type", "actor_type"]
    search_fields = ["request__reference", "type", "actor_label"]
    list_select_related = ["request__organisation"]
    fields = [
        "request",
        "when",
        "type",
        "actor_type",
        "actor_user",
        "actor_label",
        "what_happened",
        "data",
    ]
    readonly_fields = ["when", "what_happened"]
    ordering = ["-created_at", "-id"]

    @admin.display(description="when", ordering="created_at")
    def when(self, obj: Event) -> str:
        return format_datetime(obj.created_at, obj.request.organisation.timezone)

    @admin.display(description="what happened")
    def what_happened(self, obj: Event) -> str:
        return event_sentence(obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
