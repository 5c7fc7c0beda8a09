"""The events feed: every audit-trail entry of visible requests, in order, once."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from routing.api.selectors import EVENTS_SAFETY_LAG, EventCursor, events_after
from routing.api.serializers.events import EventPageSerializer
from routing.api.views.base import ApiViewMixin, client_of


class EventsQuerySerializer(serializers.Serializer[Any]):
    after = serializers.CharField(
        required=False,
        max_length=64,
        help_text="The cursor of the last event you have; omitted = from the oldest.",
    )
    limit = serializers.IntegerField(required=False, min_value=1, max_value=500, default=100)

    def validate_after(self, value: str) -> EventCursor:
        try:
            return EventCursor.decode(value)
        except ValueError:
            raise serializers.ValidationError(
                "Not a cursor this API gave out; use an event's cursor.", code="invalid_cursor"
            ) from None


class EventsView(ApiViewMixin):
    @extend_schema(
        summary="Catch up on changes",
        description=(
            "Events of every request the integration may see, oldest first. Keep the "
            "`cursor` of the answer and ask `?after=<cursor>` next time: nothing is missed "
            "or repeated. Events appear once they are "
            f"{int(EVENTS_SAFETY_LAG.total_seconds())} seconds old, so that one committed "
            "late can never land behind a cursor already given out."
        ),
        parameters=[EventsQuerySerializer],
        responses={200: EventPageSerializer},
        tags=["events"],
    )
    def get(self, request: Request) -> Response:
        query = EventsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        page = events_after(
            organisation_ids=client_of(request).organisation_ids,
            after=query.validated_data.get("after"),
            limit=query.validated_data["limit"],
        )
        body = {
            "results": page.events,
            "cursor": page.cursor.encode() if page.cursor else None,
            "has_more": page.has_more,
        }
        return Response(EventPageSerializer(body).data)
