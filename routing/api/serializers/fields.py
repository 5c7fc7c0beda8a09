from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


class BlankAsNullCharField(serializers.CharField):
    """Text stored as "" for "none", shown as null (as the planner's JSON shows it)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> Any:
        return str(value) if value else None


class OptionalEmailField(serializers.EmailField):
    """An address that may be missing: stored as "", read and written as null (an empty
    string is not an email address to a client that checks formats)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("max_length", 254)
        super().__init__(**kwargs)

    def run_validation(self, data: Any = serializers.empty) -> Any:
        if data is None or data == "":
            return ""
        return super().run_validation(data)

    def to_representation(self, value: Any) -> Any:
        return str(value) if value else None


@extend_schema_field({"type": "string", "format": "uri", "nullable": True})
class BlankAsNullURLField(BlankAsNullCharField):
    pass


@extend_schema_field({"type": "string", "format": "email", "nullable": True})
class BlankAsNullEmailField(BlankAsNullCharField):
    pass
