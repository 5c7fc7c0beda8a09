"""Reads of the proofs of identity kept on a request."""

from __future__ import annotations

from django.db.models import QuerySet

from routing.models import ActorType, FilePurpose, Request, RequestFile, Status, WaitingFor


def identity_proofs_live(request: Request) -> QuerySet[RequestFile]:
    """The proofs of identity still stored (not yet deleted)."""
    return RequestFile.objects.filter(
        request=request, purpose=FilePurpose.IDENTITY, deleted_at=None
    ).order_by("created_at", "id")


def identity_proof(request: Request, file_id: int) -> RequestFile | None:
    return identity_proofs_live(request).select_related("request").filter(pk=file_id).first()


def identity_awaited(request: Request) -> bool:
    """Whether the request is paused for the subject to prove who they are."""
    return request.status == Status.AWAITING_SUBJECT and request.waiting_for == WaitingFor.IDENTITY


def identity_proof_received(request: Request) -> bool:
    """Whether the subject sent a proof that staff have yet to settle."""
    return identity_proofs_live(request).filter(created_by_type=ActorType.SUBJECT).exists()
