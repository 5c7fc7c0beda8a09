"""Proofs of identity sent by the subject: kept only until identity is settled.

A proof is personal data held for one check (GDPR Art. 5(1)(c) and (e)): once staff
verified, resumed or refused the request, or it closed, the stored content is deleted;
its row, SHA-256 and the events of who added, viewed and deleted it stay as evidence.
"""

from __future__ import annotations

from typing import IO, Any

from django.db import transaction

from routing.domain.transitions import TransitionError
from routing.models import Event, EventType, FilePurpose, Request, RequestFile
from routing.selectors.identity_proofs import identity_awaited, identity_proofs_live
from routing.services.actors import Actor
from routing.services.consequences import event_record
from routing.services.files import file_delete, file_store
from routing.services.files.store import file_facts

SETTLED = "proof of identity seen; deleted once identity was settled"
CLOSED = "proof of identity; deleted once the request was closed"


def identity_proof_store(
    *, request: Request, content: IO[bytes] | Any, name: str, by: Actor
) -> RequestFile:
    """Store a proof of identity on a request that waits for one. It does not resume the
    request: staff check the proof first.

    Raises TransitionError when the request no longer waits for proof of identity, and
    ValidationError (naming ``file``) for a file a proof of identity cannot be.
    """
    with transaction.atomic():
        # Locked, so a change that settles identity meanwhile finds this file to delete.
        row = Request.objects.select_for_update().get(pk=request.pk)
        if not identity_awaited(row):
            raise TransitionError(
                "The request is not waiting for proof of identity.", code="identity_not_awaited"
            )
        return file_store(
            request=row, purpose=FilePurpose.IDENTITY, content=content, name=name, by=by
        )


def identity_proof_viewed(*, file: RequestFile, by: Actor) -> Event:
    """Record that ``by`` opened the proof: who saw it stays known after it is deleted."""
    return event_record(file.request, by, EventType.FILE_VIEWED, **file_facts(file))


def identity_proofs_discard(request: Request, by: Actor, reason: str) -> int:
    """Delete every stored proof of identity of the request; returns how many."""
    proofs = list(identity_proofs_live(request))
    for proof in proofs:
        file_delete(file=proof, by=by, reason=reason)
    return len(proofs)
