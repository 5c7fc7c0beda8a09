"""The planner and the clock over HTTP: the plan_route and deadline commands' inputs."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from routing.api.serializers.requests import KIND_CHOICES, REGIME_CHOICES

# A "+" in a query string arrives as a space: "...T10:00:00 01:00" meant "+01:00".
_SPACE_FOR_PLUS = re.compile(r" (\d{2}:?\d{2})$")


class PreviewSerializer(serializers.Serializer[Any]):
    organisation = serializers.CharField(max_length=64, help_text="--organisation")
    kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=KIND_CHOICES),
        min_length=1,
        max_length=20,
        help_text="--kind, one or more",
    )
    scopes = serializers.ListField(
        child=serializers.CharField(max_length=128),
        required=False,
        max_length=50,
        help_text="--scope, zero or more",
    )
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    website = serializers.CharField(max_length=255, required=False, allow_blank=True)
    whatsapp = serializers.CharField(max_length=40, required=False, allow_blank=True)


class PlanTargetSerializer(serializers.Serializer[Any]):
    type = serializers.CharField(help_text="organisation, customer, third_party or unresolved")
    name = serializers.CharField(allow_null=True)
    email = serializers.CharField(allow_null=True)
    url = serializers.CharField(allow_null=True)


class PlanTaskSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    text = serializers.CharField()


class PlanRouteSerializer(serializers.Serializer[Any]):
    scope = serializers.CharField()
    role = serializers.CharField()
    action = serializers.CharField(help_text="fulfil, forward or redirect")
    target = PlanTargetSerializer()
    tasks = PlanTaskSerializer(many=True)
    explanation = serializers.CharField()


class PlanSerializer(serializers.Serializer[Any]):
    """plan_route --json."""

    organisation = serializers.CharField()
    kinds = serializers.ListField(child=serializers.CharField())
    routes = PlanRouteSerializer(many=True)


@extend_schema_field(OpenApiTypes.STR)
class ReceivedField(serializers.Field):
    """An ISO 8601 instant with its offset, worded as the deadline command words it."""

    def to_internal_value(self, data: Any) -> datetime:
        text = data.strip() if isinstance(data, str) else ""
        text = _SPACE_FOR_PLUS.sub(r"+\1", text)
        try:
            value = datetime.fromisoformat(text) if 0 < len(text) <= 64 else None
        except ValueError:
            value = None
        if value is None:
            raise serializers.ValidationError(
                "not an ISO 8601 instant, e.g. 2026-01-31T10:00:00+00:00", code="invalid"
            )
        if value.tzinfo is None:
            raise serializers.ValidationError(
                "give the offset, e.g. 2026-01-31T10:00:00+00:00", code="naive"
            )
        return value

    def to_representation(self, value: Any) -> str:
        return str(value)


class DeadlinesQuerySerializer(serializers.Serializer[Any]):
    organisation = serializers.CharField(
        max_length=64, required=False, help_text="zone, calendar, promises"
    )
    regime = serializers.ChoiceField(choices=REGIME_CHOICES, required=False)
    timezone = serializers.CharField(
        max_length=64, required=False, help_text="IANA zone, e.g. Europe/Paris"
    )
    country = serializers.CharField(
        max_length=2, required=False, help_text="holiday calendar, ISO 3166-1 alpha-2"
    )
    subdivision = serializers.CharField(
        max_length=8, required=False, help_text="holiday subdivision, e.g. ENG or CA"
    )
    received = ReceivedField(help_text="ISO 8601 instant with offset, e.g. 2026-03-02T10:00:00Z")
    paused_days = serializers.IntegerField(min_value=0, max_value=3650, required=False, default=0)
    kind = serializers.ChoiceField(choices=KIND_CHOICES, required=False)


class DeadlinesSerializer(serializers.Serializer[Any]):
    """The deadline command's JSON."""

    regime = serializers.CharField()
    received_on = serializers.DateField()
    acknowledge_by = serializers.DateField(allow_null=True)
    due_on = serializers.DateField()
    extended_due_on = serializers.DateField(allow_null=True)
    opt_out_due_on = serializers.DateField(allow_null=True)
    forward_due_on = serializers.DateField()
    explanation = serializers.ListField(child=serializers.CharField())
