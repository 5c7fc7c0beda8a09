"""Requests: create (idempotent), list, retrieve, and one action per lifecycle service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request as HttpRequest
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from routing.api.errors import Unprocessable, service_errors
from routing.api.filters import RequestFilter
from routing.api.pagination import RequestCursorPagination
from routing.api.selectors import as_visible, visible_request_details, visible_requests
from routing.api.serializers.actions import (
    AssignSerializer,
    CompleteSerializer,
    DenySerializer,
    DuplicateSerializer,
    EmptySerializer,
    ExtendSerializer,
    NoteFieldSerializer,
    NoteSerializer,
    PauseSerializer,
    RouteCustomerSerializer,
    VerifySerializer,
)
from routing.api.serializers.events import EventSerializer
from routing.api.serializers.requests import (
    RECEIVE_ERROR_FIELDS,
    RequestCreateSerializer,
    RequestDetailSerializer,
    RequestListSerializer,
)
from routing.api.views.base import ApiViewMixin, actor_of, client_of
from routing.models import Customer, Event, Request, Route
from routing.selectors.staff import assignable_user
from routing.services import requests as lifecycle
from routing.services.idempotency import (
    IdempotencyKeyInvalid,
    IdempotencyKeyReused,
    check_key,
    fingerprint,
    idempotent_call,
)

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description=(
        "Any unique string (a UUID). The same key with the same body returns the first "
        "response (with Idempotent-Replayed: true); with another body it is refused (422). "
        "Keys are kept at least 24 hours."
    ),
)
ROUTE_ID = OpenApiParameter("route_id", OpenApiTypes.INT, OpenApiParameter.PATH)
CREATE_EXAMPLE = OpenApiExample(
    "Stop calling me",
    request_only=True,
    value={
        "organisation": "callkom",
        "kinds": ["objection"],
        "scopes": ["callkom:ai-calls"],
        "subject": {
            "name": "Ada Martin",
            "email": "ada@example.org",
            "phone": "+33 6 39 98 12 34",
            "country": "FR",
        },
        "identifiers": {"phone": "+33 1 99 00 12 34"},
        "details": "Stop calling me.",
        "received_at": "2026-03-02T10:00:00Z",
    },
)


def _action_schema(body: type[Serializer[Any]], summary: str) -> Callable[..., Any]:
    return extend_schema(
        request=body, responses={200: RequestDetailSerializer}, summary=summary, tags=["actions"]
    )


def _route_schema(body: type[Serializer[Any]], summary: str) -> Callable[..., Any]:
    return extend_schema(
        request=body,
        responses={200: RequestDetailSerializer},
        summary=summary,
        tags=["actions"],
        parameters=[ROUTE_ID],
    )


@extend_schema_view(
    list=extend_schema(summary="List requests", tags=["requests"]),
    retrieve=extend_schema(
        summary="A request with its routes, every date and how they were worked out",
        tags=["requests"],
    ),
)
class RequestViewSet(
    ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Request]
):
    queryset = Request.objects.none()  # the model, for the schema; see get_queryset
    pagination_class = RequestCursorPagination
    filterset_class = RequestFilter
    lookup_value_regex = r"\d+"
    # An Idempotency-Key reused with another body.
    extra_error_codes = {"create": ("422",)}

    def get_queryset(self) -> Any:
        ids = client_of(self.request).organisation_ids
        if self.action == "list":
            return visible_requests(ids)
        return visible_request_details(ids)

    def get_serializer_class(self) -> Any:
        if self.action == "list":
            return RequestListSerializer
        return RequestDetailSerializer

    # --- create --------------------------------------------------------------------------

    @extend_schema(
        summary="Create a request",
        tags=["requests"],
        request=RequestCreateSerializer,
        responses={201: RequestDetailSerializer},
        parameters=[IDEMPOTENCY_KEY],
        examples=[CREATE_EXAMPLE],
    )
    def create(self, request: HttpRequest) -> Response:
        key = request.headers.get("Idempotency-Key")
        if key is None:
            code, body = self._receive(request)
            return Response(body, status=code)
        try:
            check_key(key)
        except IdempotencyKeyInvalid as error:
            raise exceptions.ValidationError({"Idempotency-Key": [str(error)]}) from None
        try:
            stored = idempotent_call(
                integration=client_of(request).integration,
                key=key,
                fingerprint=fingerprint(request.method or "POST", request.path, request.data),
                call=lambda: self._receive(request),
            )
        except IdempotencyKeyReused:
            raise Unprocessable(
                "This Idempotency-Key was used with a different request body; use a new key "
                "for a new request.",
                code="idempotency_key_reused",
            ) from None
        headers = {"Idempotent-Replayed": "true"} if stored.replayed else {}
        return Response(stored.body, status=stored.status, headers=headers)

    def _receive(self, request: HttpRequest) -> tuple[int, Any]:
        serializer = RequestCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        client = client_of(request)
        regime = data.get("regime")
        with service_errors(RECEIVE_ERROR_FIELDS):
            received = lifecycle.request_receive(
                organisation=data["organisation"],
                kinds=data["kinds"],
                scopes=data.get("scopes") or None,
                subject=data["subject"],
                identifiers=data.get("identifiers") or None,
                channel=data["channel"],
                received_at=data.get("received_at"),
                details=data["details"],
                verified=data["verified"],
                regime=regime,
                regime_reason=f"Given by the integration {client.name}." if regime else "",
                by=actor_of(request),
            )
        return status.HTTP_201_CREATED, self._created(received)

    # --- helpers -------------------------------------------------------------------------

    def _visible(self, pk: str) -> Request:
        return get_object_or_404(visible_requests(client_of(self.request).organisation_ids), pk=pk)

    def _detail(self, pk: int) -> Any:
        request = visible_request_details(client_of(self.request).organisation_ids).get(pk=pk)
        return RequestDetailSerializer(request, context=self.get_serializer_context()).data

    def _created(self, received: lifecycle.Received) -> Any:
        """The detail of a request just stored, from what the service wrote: the same
        body a retrieve gives, without reading it back."""
        request = as_visible(received.request, received.routes, received.parts)
        return RequestDetailSerializer(request, context=self.get_serializer_context()).data

    def _body(self, serializer_class: type[Serializer[Any]]) -> dict[str, Any]:
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _act(self, pk: str, service: Callable[..., Any], **arguments: Any) -> Response:
        request = self._visible(pk)
        with service_errors():
            service(request=request, by=actor_of(self.request), **arguments)
        return Response(self._detail(request.pk))

    def _route(self, pk: str, route_id: str) -> Route:
        return get_object_or_404(Route.objects.filter(request=self._visible(pk)), pk=route_id)

    def _act_on_route(
        self, pk: str, route_id: str, service: Callable[..., Any], **arguments: Any
    ) -> Response:
        route = self._route(pk, route_id)
        with service_errors():
            service(route=route, by=actor_of(self.request), **arguments)
        return Response(self._detail(route.request_id))

    # --- lifecycle actions ---------------------------------------------------------------

    @_action_schema(VerifySerializer, "Mark the subject's identity verified")
    @action(detail=True, methods=["post"])
    def verify(self, request: HttpRequest, pk: str) -> Response:
        body = self._body(VerifySerializer)
        return self._act(pk, lifecycle.request_verify, method=body["method"])

    @_action_schema(AssignSerializer, "Assign to a staff member (null unassigns)")
    @action(detail=True, methods=["post"])
    def assign(self, request: HttpRequest, pk: str) -> Response:
        body = self._body(AssignSerializer)
        target = self._visible(pk)
        assignee = None
        if body["assignee"] is not None:
            assignee = assignable_user(target.organisation_id, body["assignee"])
            if assignee is None:
                raise exceptions.ValidationError(
                    {
                        "assignee": [
                            f"No staff member of {target.organisation.slug} is called that."
                        ]
                    },
                    code="does_not_exist",
                )
        return self._act(pk, lifecycle.request_assign, assignee=assignee)

    @_action_schema(PauseSerializer, "Stop the clock while waiting for the subject")
    @action(detail=True, methods=["post"])
    def pause(self, request: HttpRequest, pk: str) -> Response:
        body = self._body(PauseSerializer)
        return self._act(
            pk, lifecycle.request_pause, reason=body["reason"], waiting_for=body["waiting_for"]
        )

    @_action_schema(NoteFieldSerializer, "Restart the clock")
    @action(detail=True, methods=["post"])
    def resume(self, request: HttpRequest, pk: str) -> Response:
        body = self._body(NoteFieldSerializer)
        return self._act(pk, lifecycle.request_resume, note=body["note"])

    @_action_schema(ExtendSerializer, "Extend once, before the first due date")
    @action(detail=True, methods=["post"])
    def extend(self, request: HttpRequest, pk: str) -> Response:
        body = self._body(ExtendSerializer)
        return self._act(
            pk, lifecycle.request_extend, reason=body["reason"], kinds=body.get("kinds")
        )

    @_action_schema(CompleteSerializer, "Answer the named parts; the last closes it")
    @action(detail=True, methods=["post"])
    def complete(self, request: HttpRequest, pk: str) -> Response:
        body = self._body(CompleteSerializer)
        return self._act(pk, lifecycle.request_complete, note=body["note"], kinds=body.get("kinds"))

    @_action_schema(DenySerializer, "Refuse, on a ground the subject is told")
    @action(detail=True, methods=["post"])
    def deny(self, request: HttpRequest, pk: str) -> Response:
        body = self._body(DenySerializer)
        return self._act(pk, lifecycle.request_deny, ground=body["ground"], note=body["note"])

    @_action_schema(NoteFieldSerializer, "Close as withdrawn by the subject")
    @action(detail=True, methods=["post"])
    def withdraw(self, request: HttpRequest, pk: str) -> Response:
        body = self._body(NoteFieldSerializer)
        return self._act(pk, lifecycle.request_withdraw, note=body["note"])

    @_action_schema(DuplicateSerializer, "Close as a duplicate of another request")
    @action(detail=True, methods=["post"])
    def duplicate(self, request: HttpRequest, pk: str) -> Response:
        body = self._body(DuplicateSerializer)
        target = self._visible(pk)
        original = None
        if body.get("of"):
            original = Request.objects.filter(
                organisation_id=target.organisation_id, reference=body["of"]
            ).first()
            if original is None:
                raise exceptions.ValidationError(
                    {"of": [f"No request of {target.organisation.slug} has that reference."]},
                    code="does_not_exist",
                )
        return self._act(pk, lifecycle.request_mark_duplicate, of=original)

    @extend_schema(
        request=NoteSerializer,
        responses={201: EventSerializer},
        summary="Add a note to the audit trail",
        tags=["actions"],
    )
    @action(detail=True, methods=["post"])
    def note(self, request: HttpRequest, pk: str) -> Response:
        body = self._body(NoteSerializer)
        target = self._visible(pk)
        with service_errors():
            event = lifecycle.request_note(request=target, by=actor_of(request), text=body["text"])
        event = Event.objects.select_related("request__organisation").get(pk=event.pk)
        return Response(EventSerializer(event).data, status=status.HTTP_201_CREATED)

    # --- route actions -------------------------------------------------------------------

    @_route_schema(RouteCustomerSerializer, "Send a processor route to a customer")
    @action(detail=True, methods=["post"], url_path=r"routes/(?P<route_id>\d+)/customer")
    def route_customer(self, request: HttpRequest, pk: str, route_id: str) -> Response:
        body = self._body(RouteCustomerSerializer)
        route = self._route(pk, route_id)
        customer = Customer.objects.filter(
            pk=body["customer"], organisation_id=route.request.organisation_id
        ).first()
        if customer is None:
            raise exceptions.ValidationError(
                {"customer": ["No customer of the request's organisation has that id."]},
                code="does_not_exist",
            )
        return self._act_on_route(pk, route_id, lifecycle.route_set_customer, customer=customer)

    @_route_schema(EmptySerializer, "Mark a route sent (forwarded or redirected)")
    @action(detail=True, methods=["post"], url_path=r"routes/(?P<route_id>\d+)/sent")
    def route_sent(self, request: HttpRequest, pk: str, route_id: str) -> Response:
        return self._act_on_route(pk, route_id, lifecycle.route_mark_sent)

    @_route_schema(EmptySerializer, "Mark a route acknowledged by its recipient")
    @action(detail=True, methods=["post"], url_path=r"routes/(?P<route_id>\d+)/acknowledged")
    def route_acknowledged(self, request: HttpRequest, pk: str, route_id: str) -> Response:
        return self._act_on_route(pk, route_id, lifecycle.route_mark_acknowledged)

    @_route_schema(EmptySerializer, "Mark a route done")
    @action(detail=True, methods=["post"], url_path=r"routes/(?P<route_id>\d+)/done")
    def route_done(self, request: HttpRequest, pk: str, route_id: str) -> Response:
        return self._act_on_route(pk, route_id, lifecycle.route_mark_done)

    @_route_schema(EmptySerializer, "Mark a route not applicable")
    @action(detail=True, methods=["post"], url_path=r"routes/(?P<route_id>\d+)/not-applicable")
    def route_not_applicable(self, request: HttpRequest, pk: str, route_id: str) -> Response:
        return self._act_on_route(pk, route_id, lifecycle.route_mark_not_applicable)
