"""Who may call what: any active integration reads; writing needs write permission."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from routing.api.authentication import ApiClient


class IsIntegration(BasePermission):
    message = "This integration may only read (it was created read-only)."

    def has_permission(self, request: Request, view: Any) -> bool:
        client = request.user
        if not isinstance(client, ApiClient):
            return False
        # Views that take a body but store nothing (the routing preview) mark themselves.
        if request.method in SAFE_METHODS or getattr(view, "stores_nothing", False):
            return True
        return client.can_write
