"""What the status page's proof-of-identity upload shows: the form, and whether a proof
sent earlier is being checked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template

from routing.forms.identity_proofs import IdentityProofForm
from routing.models import Request
from routing.selectors.identity_proofs import identity_awaited, identity_proof_received

register = template.Library()


@dataclass(frozen=True)
class IdentityUpload:
    awaited: bool
    received: bool
    form: IdentityProofForm


@register.simple_tag
def identity_upload(request: Request, form: Any = None) -> IdentityUpload:
    """``form``: the form just posted, with its errors; a blank one otherwise."""
    awaited = identity_awaited(request)
    return IdentityUpload(
        awaited=awaited,
        received=awaited and identity_proof_received(request),
        form=form if isinstance(form, IdentityProofForm) else IdentityProofForm(),
    )
