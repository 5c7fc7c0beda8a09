from django.contrib import admin
from django.http import HttpRequest

from routing.models import Heartbeat, WorkerCheck


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ["source", "seen_at", "worker"]
    readonly_fields = ["source", "seen_at", "worker"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(WorkerCheck)
class WorkerCheckAdmin(admin.ModelAdmin):
    list_display = ["id", "requested_at", "requested_by", "completed_at", "worker"]
    readonly_fields = ["requested_at", "requested_by", "completed_at", "worker"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
