"""The registry: organisations and scopes to read; customers and identifiers to keep."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from routing.api.filters import CustomerFilter, ScopeFilter
from routing.api.pagination import RegistryCursorPagination
from routing.api.selectors import visible_customers, visible_organisations, visible_scopes
from routing.api.serializers.registry import (
    CustomerSerializer,
    IdentifierSerializer,
    OrganisationSerializer,
    ScopeSerializer,
)
from routing.api.views.base import ApiViewMixin, client_of
from routing.models import Customer, CustomerIdentifier, Organisation, Scope
from routing.services.registry import customer_identifier_remove


@extend_schema_view(
    list=extend_schema(summary="Organisations this integration may see", tags=["registry"]),
    retrieve=extend_schema(summary="An organisation", tags=["registry"]),
)
class OrganisationViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet[Organisation]):
    queryset = Organisation.objects.none()  # the model, for the schema; see get_queryset
    serializer_class = OrganisationSerializer
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        return visible_organisations(client_of(self.request).organisation_ids)


@extend_schema_view(
    list=extend_schema(summary="Scopes of the visible organisations", tags=["registry"]),
    retrieve=extend_schema(summary="A scope", tags=["registry"]),
)
class ScopeViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet[Scope]):
    queryset = Scope.objects.none()  # the model, for the schema; see get_queryset
    serializer_class = ScopeSerializer
    filterset_class = ScopeFilter
    lookup_field = "key"
    lookup_value_regex = r"[^/]+"

    def get_queryset(self) -> Any:
        return visible_scopes(client_of(self.request).organisation_ids)


IDENTIFIER_ID = OpenApiParameter("identifier_id", OpenApiTypes.INT, OpenApiParameter.PATH)


@extend_schema_view(
    list=extend_schema(summary="Customers", tags=["registry"]),
    retrieve=extend_schema(summary="A customer with its identifiers", tags=["registry"]),
    create=extend_schema(summary="Add a customer (and its identifiers)", tags=["registry"]),
    update=extend_schema(summary="Change a customer's name, email or notes", tags=["registry"]),
    partial_update=extend_schema(summary="Change some of them", tags=["registry"]),
    destroy=extend_schema(summary="Delete a customer no stored route points to", tags=["registry"]),
)
class CustomerViewSet(ApiViewMixin, viewsets.ModelViewSet[Customer]):
    queryset = Customer.objects.none()  # the model, for the schema; see get_queryset
    serializer_class = CustomerSerializer
    filterset_class = CustomerFilter
    pagination_class = RegistryCursorPagination
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> Any:
        return visible_customers(client_of(self.request).organisation_ids)

    def _customer(self, pk: str) -> Customer:
        return get_object_or_404(self.get_queryset(), pk=pk)

    @extend_schema(
        methods=["GET"],
        summary="A customer's identifiers",
        responses={200: IdentifierSerializer(many=True)},
        tags=["registry"],
    )
    @extend_schema(
        methods=["POST"],
        summary="Add an identifier (stored normalised)",
        request=IdentifierSerializer,
        responses={201: IdentifierSerializer},
        tags=["registry"],
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def identifiers(self, request: Request, pk: str) -> Response:
        customer = self._customer(pk)
        if request.method == "GET":
            rows = customer.identifiers.all()
            return Response(IdentifierSerializer(rows, many=True).data)
        serializer = IdentifierSerializer(data=request.data, context={"customer": customer})
        serializer.is_valid(raise_exception=True)
        serializer.save()
        return Response(serializer.data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Remove an identifier",
        request=None,
        responses={204: None},
        parameters=[IDENTIFIER_ID],
        tags=["registry"],
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"identifiers/(?P<identifier_id>\d+)",
        pagination_class=None,
        filter_backends=[],
    )
    def remove_identifier(self, request: Request, pk: str, identifier_id: str) -> Response:
        customer = self._customer(pk)
        customer_identifier_remove(
            identifier=get_object_or_404(CustomerIdentifier, customer=customer, pk=identifier_id)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
