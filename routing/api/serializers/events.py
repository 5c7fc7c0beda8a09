from __future__ import annotations

from typing import Any

from rest_framework import serializers

from routing.api.selectors import EventCursor
from routing.models import Event


class ActorSerializer(serializers.Serializer[Any]):
    type = serializers.CharField(source="actor_type", help_text="staff, integration, ...")
    label = serializers.CharField(source="actor_label")  # type: ignore[assignment]


class EventRequestSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    organisation = serializers.CharField(source="organisation.slug")


class EventSerializer(serializers.Serializer[Any]):
    cursor = serializers.SerializerMethodField(help_text="Pass as ?after= to read past it.")
    id = serializers.IntegerField()
    type = serializers.CharField(help_text="received, verified, assigned, note, ...")
    created_at = serializers.DateTimeField()
    actor = ActorSerializer(source="*")
    request = EventRequestSerializer()
    data = serializers.DictField()  # type: ignore[assignment]

    def get_cursor(self, obj: Event) -> str:
        return EventCursor.of(obj).encode()


class EventPageSerializer(serializers.Serializer[Any]):
    results = EventSerializer(many=True)
    cursor = serializers.CharField(
        allow_null=True,
        help_text="Where to go on from: the last event's cursor, or the one you sent.",
    )
    has_more = serializers.BooleanField(help_text="More events are ready: ask again at once.")
