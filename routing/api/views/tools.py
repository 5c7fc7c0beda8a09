"""The planner and the clock, with the plan_route and deadline commands' inputs and JSON."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response

from routing.api.errors import service_errors
from routing.api.selectors import deadlines_preview, plan_preview, visible_organisations
from routing.api.serializers.tools import (
    DeadlinesQuerySerializer,
    DeadlinesSerializer,
    PlanSerializer,
    PreviewSerializer,
)
from routing.api.views.base import ApiViewMixin, client_of


class RoutingPreviewView(ApiViewMixin):
    # A read: a read-only integration may preview.
    stores_nothing = True

    @extend_schema(
        summary="Preview the routing plan (nothing is stored)",
        description="The plan_route command over HTTP: the same inputs and the same JSON.",
        request=PreviewSerializer,
        responses={200: PlanSerializer},
        examples=[
            OpenApiExample(
                "A call to object to",
                request_only=True,
                value={
                    "organisation": "callkom",
                    "kinds": ["objection"],
                    "scopes": ["callkom:ai-calls"],
                    "phone": "+33 1 99 00 12 34",
                },
            )
        ],
        tags=["tools"],
    )
    def post(self, request: Request) -> Response:
        serializer = PreviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        slugs = list(
            visible_organisations(client_of(request).organisation_ids).values_list(
                "slug", flat=True
            )
        )
        with service_errors():
            plan = plan_preview(
                organisation_slugs=slugs,
                organisation=data["organisation"],
                kinds=data["kinds"],
                scopes=data.get("scopes"),
                identifiers={k: data.get(k) for k in ("phone", "website", "whatsapp")},
            )
        return Response(plan.as_json())


class DeadlinesView(ApiViewMixin):
    @extend_schema(
        summary="Compute the deadlines of a request received at an instant",
        description="The deadline command over HTTP: its options as query parameters, its JSON.",
        parameters=[DeadlinesQuerySerializer],
        responses={200: DeadlinesSerializer},
        tags=["tools"],
    )
    def get(self, request: Request) -> Response:
        query = DeadlinesQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        organisation = None
        if data.get("organisation"):
            visible = visible_organisations(client_of(request).organisation_ids)
            organisation = visible.filter(slug=data["organisation"]).first()
            if organisation is None:
                valid = ", ".join(visible.values_list("slug", flat=True))
                raise exceptions.ValidationError(
                    {
                        "organisation": [
                            f"unknown organisation {data['organisation']!r} (valid: {valid})"
                        ]
                    }
                )
        with service_errors():
            deadlines = deadlines_preview(
                organisation=organisation,
                received_at=data["received"],
                regime=data.get("regime"),
                timezone_name=data.get("timezone"),
                country=data.get("country"),
                subdivision=data.get("subdivision"),
                kind=data.get("kind"),
                paused_days=data["paused_days"],
            )
        return Response(deadlines.as_json())
