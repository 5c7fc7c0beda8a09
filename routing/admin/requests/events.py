"""The audit trail in the admin."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from routing.admin.tenancy import OrganisationListFilter, TenantAdmin
from routing.models import Event


@admin.register(Event)
class EventAdmin(TenantAdmin):
    """The audit trail, read-only: events are written by services and never changed."""

    tenant_path = "request__organisation"
    list_display = ["created_at", "request", "type", "actor_type", "actor_label"]
    list_filter = [("request__organisation", OrganisationListFilter), "type", "actor_type"]
    search_fields = ["request__reference", "type", "actor_label"]
    list_select_related = ["request"]
    fields = ["request", "created_at", "type", "actor_type", "actor_user", "actor_label", "data"]
    ordering = ["-created_at", "-id"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
