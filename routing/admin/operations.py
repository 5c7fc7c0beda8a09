"""The service's own health in the admin: heartbeats and worker checks.

Both are about the deployment, not an organisation, so every staff user reads them; but
a worker check names who asked for it, and staff see that name only for themselves and
colleagues of their organisations.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Exists, OuterRef, Q, QuerySet, Value
from django.http import HttpRequest

from routing.admin.tenancy import visible_ids
from routing.models import Heartbeat, Membership, WorkerCheck

OUTSIDE_REQUESTER = "staff outside your organisations"


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ["source", "seen_at", "worker"]
    readonly_fields = ["source", "seen_at", "worker"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(WorkerCheck)
class WorkerCheckAdmin(admin.ModelAdmin):
    list_display = ["id", "requested_at", "requester", "completed_at", "worker"]
    fields = ["requested_at", "requester", "completed_at", "worker"]
    readonly_fields = ["requested_at", "requester", "completed_at", "worker"]
    list_select_related = ["requested_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[WorkerCheck]:
        queryset = super().get_queryset(request)
        ids = visible_ids(request)
        if ids is None:
            return queryset.annotate(requester_shown=Value(True))
        colleague = Membership.objects.filter(
            user=OuterRef("requested_by"), organisation_id__in=ids
        )
        return queryset.annotate(
            requester_shown=Q(requested_by=request.user.pk) | Exists(colleague)
        )

    @admin.display(description="requested by", ordering="requested_by__username")
    def requester(self, obj: Any) -> str:
        if obj.requested_by is None:
            return "-"
        if getattr(obj, "requester_shown", False):
            return str(obj.requested_by.get_username())
        return OUTSIDE_REQUESTER
