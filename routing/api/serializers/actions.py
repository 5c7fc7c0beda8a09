"""Bodies of the lifecycle actions, one per service."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from routing.clock import KINDS
from routing.domain.denials import DENIAL_GROUNDS
from routing.models import WaitingFor


class EmptySerializer(serializers.Serializer[Any]):
    pass


class VerifySerializer(serializers.Serializer[Any]):
    method = serializers.CharField(
        max_length=64, default="api", help_text="How the subject's identity was checked."
    )


class AssignSerializer(serializers.Serializer[Any]):
    assignee = serializers.CharField(
        max_length=150,
        allow_null=True,
        help_text="Username of a staff member of the request's organisation, or of a "
        "superuser; null unassigns.",
    )


class ReasonSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=2000)


def _kinds_field() -> serializers.ListField:
    return serializers.ListField(
        child=serializers.ChoiceField(choices=list(KINDS)),
        required=False,
        max_length=len(KINDS),
        help_text="The parts (kinds) to act on; every open part when absent.",
    )


class ExtendSerializer(ReasonSerializer):
    kinds = _kinds_field()


class CompleteSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    kinds = _kinds_field()


class PauseSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(
        max_length=300, help_text="What the subject was asked for (proof of identity, ...)."
    )
    waiting_for = serializers.ChoiceField(
        choices=WaitingFor.choices,
        default=WaitingFor.CLARIFICATION,
        help_text="identity: under UK GDPR the clock starts afresh when the proof arrives "
        "(the request is resumed); clarification: the days waited are added.",
    )


class NoteFieldSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class DenySerializer(serializers.Serializer[Any]):
    ground = serializers.ChoiceField(choices=list(DENIAL_GROUNDS))
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class NoteSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(max_length=5000)


class DuplicateSerializer(serializers.Serializer[Any]):
    of = serializers.CharField(
        max_length=32,
        required=False,
        help_text="Reference of the original; default the request it was flagged against.",
    )


class RouteCustomerSerializer(serializers.Serializer[Any]):
    customer = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, help_text="Id of a customer of the organisation."
    )
