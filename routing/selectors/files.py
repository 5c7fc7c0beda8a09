"""Reads of a request's files, and the manifest of its answer package."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from routing.models import FilePurpose, Request, RequestFile, Scope


def request_files(request: Request) -> QuerySet[RequestFile]:
    """Every file of the request, deleted ones included (they remain as evidence)."""
    return (
        RequestFile.objects.filter(request=request)
        .select_related("scope")
        .order_by("created_at", "id")
    )


def request_file(request: Request, file_id: int) -> RequestFile | None:
    return request_files(request).filter(pk=file_id).first()


def organisation_scopes(organisation_id: int) -> QuerySet[Scope]:
    """The scopes a file of the organisation's request may concern."""
    return Scope.objects.filter(organisation_id=organisation_id).order_by("position", "key")


def response_files(request: Request) -> QuerySet[RequestFile]:
    """The live files of the answer package."""
    return request_files(request).filter(purpose=FilePurpose.RESPONSE, deleted_at=None)


def manifest_build(
    *, reference: str, files: Iterable[RequestFile], generated_at: datetime
) -> dict[str, Any]:
    """The manifest of an answer package: what each file is and its SHA-256, so whoever
    receives it can check every file is there and unaltered. JSON-ready."""
    return {
        "reference": reference,
        "generated_at": generated_at.isoformat(),
        "files": [
            {
                "name": file.name,
                "sha256": file.sha256,
                "size": file.size,
                "content_type": file.content_type,
                "kind": file.kind,
                "scope": file.scope.key if file.scope is not None else "",
            }
            for file in files
        ],
    }


def response_manifest(request: Request, *, now: datetime | None = None) -> dict[str, Any]:
    return manifest_build(
        reference=request.reference,
        files=response_files(request),
        generated_at=now or timezone.now(),
    )
