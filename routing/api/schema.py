"""OpenAPI: every operation documents the error shape for each 4xx it can answer, and the
503 of a database out of reach."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers


class FieldErrorSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    message = serializers.CharField()


class ErrorSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(
        help_text="invalid, not_found, not_allowed, throttled, unavailable, ..."
    )
    message = serializers.CharField()
    errors = serializers.DictField(  # type: ignore[assignment]
        child=FieldErrorSerializer(many=True),
        help_text="Per field (dotted path for nested fields); empty when no field is to blame.",
    )


class ApiAutoSchema(AutoSchema):
    # Any call: bad query or body, missing or bad token, read-only integration, unknown or
    # foreign id (also a bad cursor), unacceptable Accept header, rate limit, and the
    # database out of reach (503, with Retry-After).
    common_errors = ("400", "401", "403", "404", "406", "429", "503")

    def _error_codes(self) -> list[str]:
        codes = list(self.common_errors)
        if self.method in ("POST", "PUT", "PATCH"):
            codes.append("415")
        if self.method != "GET":
            # A lifecycle action refused in the current state; a delete of a row in use.
            codes.append("409")
        extra = getattr(self.view, "extra_error_codes", {})
        codes.extend(extra.get(getattr(self.view, "action", None), ()))
        return codes

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    ErrorSerializer, code, direction=direction
                )
        return responses
