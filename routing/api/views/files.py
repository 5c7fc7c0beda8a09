"""A request's files: upload (multipart), list, and the manifest of its answer package."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request as HttpRequest
from rest_framework.response import Response

from routing.api.errors import service_errors
from routing.api.selectors import visible_requests
from routing.api.serializers.files import (
    FileUploadSerializer,
    ManifestSerializer,
    RequestFileSerializer,
)
from routing.api.views.base import ApiViewMixin, actor_of, client_of
from routing.files.sniffing import allowed_descriptions
from routing.models import FilePurpose, Request, Scope
from routing.selectors.files import request_files, response_manifest
from routing.services.files import file_store

REQUEST_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)


class _OnRequest(ApiViewMixin):
    def visible_request(self, pk: int) -> Request:
        # The same answer as the other request endpoints, for a foreign id as for a missing one.
        return get_object_or_404(visible_requests(client_of(self.request).organisation_ids), pk=pk)


class RequestFilesView(_OnRequest):
    # A file comes as multipart form data; the content streams to the storage.
    parser_classes = [MultiPartParser]

    @extend_schema(
        summary="The request's files (deleted ones too, with deleted_at)",
        parameters=[REQUEST_ID],
        responses={200: RequestFileSerializer(many=True)},
        tags=["files"],
    )
    def get(self, request: HttpRequest, id: int) -> Response:
        target = self.visible_request(id)
        return Response(RequestFileSerializer(request_files(target), many=True).data)

    @extend_schema(
        summary="Add a file: an answer package, a proof of identity or correspondence",
        description=(
            "The type is judged from the content, not the name: "
            + "; ".join(f"{p}: {allowed_descriptions(p)}" for p in FilePurpose.values)
            + ". A proof of identity is 10 MB at most and its image metadata are stripped. "
            "The content is encrypted at rest and never shown by the API."
        ),
        parameters=[REQUEST_ID],
        request={"multipart/form-data": FileUploadSerializer},
        responses={201: RequestFileSerializer},
        tags=["files"],
    )
    def post(self, request: HttpRequest, id: int) -> Response:
        target = self.visible_request(id)
        body = FileUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        scope = None
        if data["scope"]:
            scope = Scope.objects.filter(
                organisation_id=target.organisation_id, key=data["scope"]
            ).first()
            if scope is None:
                raise exceptions.ValidationError(
                    {"scope": [f"{target.organisation.slug} has no scope {data['scope']!r}."]},
                    code="does_not_exist",
                )
        upload = data["file"]
        with service_errors():
            stored = file_store(
                request=target,
                purpose=data["purpose"],
                content=upload,
                name=upload.name or "",
                by=actor_of(request),
                kind=data["kind"],
                scope=scope,
            )
        return Response(RequestFileSerializer(stored).data, status=status.HTTP_201_CREATED)


class ResponseManifestView(_OnRequest):
    @extend_schema(
        summary="The manifest of the answer package: each live file with its SHA-256",
        parameters=[REQUEST_ID],
        responses={200: ManifestSerializer},
        tags=["files"],
    )
    def get(self, request: HttpRequest, id: int) -> Response:
        return Response(response_manifest(self.visible_request(id)))
