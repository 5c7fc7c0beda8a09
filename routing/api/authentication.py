"""Bearer-token authentication of integrations (``Authorization: Bearer <token>``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from routing.models import Integration
from routing.services.integrations import (
    TokenRejected,
    integration_authenticate,
    integration_touch,
)


@dataclass(frozen=True)
class ApiClient:
    """``request.user`` of an API call: the integration and what it may see."""

    integration: Integration
    organisation_ids: frozenset[int]

    # What Django and DRF ask of a user.
    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False

    @property
    def pk(self) -> int:
        return self.integration.pk

    @property
    def can_write(self) -> bool:
        return self.integration.can_write

    @property
    def name(self) -> str:
        return self.integration.name

    def __str__(self) -> str:
        return self.integration.name


class IntegrationTokenAuthentication(BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[ApiClient, str] | None:
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "Send the token as: Authorization: Bearer <token>."
            )
        try:
            token = header[1].decode()
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("Invalid token.") from None
        try:
            integration, organisation_ids = integration_authenticate(token)
        except TokenRejected as error:
            raise exceptions.AuthenticationFailed(error.message) from None
        integration_touch(integration=integration)
        return ApiClient(integration=integration, organisation_ids=organisation_ids), token

    def authenticate_header(self, request: Request) -> str:
        # Present, so DRF answers a missing or bad token with 401 rather than 403.
        return 'Bearer realm="api"'


class IntegrationTokenScheme(OpenApiAuthenticationExtension):
    target_class = IntegrationTokenAuthentication
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "The integration's token, as printed once by create_integration.",
        }
