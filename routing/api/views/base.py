from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rest_framework import exceptions
from rest_framework.parsers import BaseParser
from rest_framework.request import Request
from rest_framework.schemas.inspectors import ViewInspector
from rest_framework.views import APIView

from routing.api.authentication import ApiClient
from routing.api.parsers import DepthLimitedJSONParser
from routing.api.schema import ApiAutoSchema
from routing.services.actors import Actor


def client_of(request: Request) -> ApiClient:
    client = request.user
    if not isinstance(client, ApiClient):  # the permission class lets no one else in
        raise exceptions.NotAuthenticated()
    return client


def actor_of(request: Request) -> Actor:
    return Actor.integration(client_of(request).name)


# What every API view shares: JSON bodies only, the error-aware schema, and no NUL
# characters (PostgreSQL text cannot hold them) in the query or the path. (A comment, not
# a docstring: the schema would show a docstring as every operation's description.)
class ApiViewMixin(APIView):
    parser_classes: Sequence[type[BaseParser]] = [DepthLimitedJSONParser]
    schema: ViewInspector | None = ApiAutoSchema()

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        bad = [
            name for name, value in request.query_params.lists() if any("\x00" in v for v in value)
        ]
        bad += [name for name, value in kwargs.items() if "\x00" in str(value)]
        if bad:
            raise exceptions.ValidationError(
                {name: ["Null characters are not allowed."] for name in bad}, code="null_characters"
            )

    def get_serializer_context(self) -> dict[str, Any]:
        """DRF's context, with the organisations the integration may see."""
        client = self.request.user
        return {
            "request": self.request,
            "format": self.format_kwarg,
            "view": self,
            "organisation_ids": (
                client.organisation_ids if isinstance(client, ApiClient) else frozenset()
            ),
        }
