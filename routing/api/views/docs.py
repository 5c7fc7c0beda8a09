"""The schema and its interactive docs (public), and the API's own 404."""

from __future__ import annotations

from typing import Any, NoReturn

from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import exceptions
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.views import APIView


class SchemaView(SpectacularAPIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes: list[Any] = []


class DocsView(SpectacularSwaggerSplitView):
    # The split view serves its start-up script as a file: the CSP allows no inline script.
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes: list[Any] = []


@extend_schema(exclude=True)
class NotFoundView(APIView):
    """Any other path under /api/: a 404 in the API's error shape, not an HTML page."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes: list[Any] = []

    def http_method_not_allowed(self, request: Any, *args: Any, **kwargs: Any) -> NoReturn:
        raise exceptions.NotFound(
            "No such endpoint. Paths end with a slash, e.g. /api/v1/requests/; see /api/v1/schema/."
        )

    def get(self, request: Request, *args: Any, **kwargs: Any) -> NoReturn:
        self.http_method_not_allowed(request)

    def options(self, request: Any, *args: Any, **kwargs: Any) -> NoReturn:
        self.http_method_not_allowed(request)
