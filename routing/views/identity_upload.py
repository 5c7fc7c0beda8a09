"""The subject sends a proof of identity from their status page, while the request waits
for one. Staff check it, then resume or verify the request."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit
from django_ratelimit.exceptions import Ratelimited

from routing.domain.transitions import TransitionError
from routing.forms.identity_proofs import IdentityProofForm
from routing.forms.intake import AnswerForm, WithdrawForm
from routing.models import Request
from routing.presenters.status import status_page
from routing.selectors.status import request_for_token
from routing.services.actors import Actor
from routing.services.identity_proofs import identity_proof_store
from routing.views.errors import ratelimited
from routing.views.intake import link_not_valid

ANCHOR = "identity-title"


def _action_rate(group: str, request: HttpRequest) -> str:
    # The status page's limit: one budget for every form of the page.
    return str(settings.DSAR_STATUS_RATE_PER_IP)


def _page(
    request: HttpRequest,
    subject_request: Request,
    token: str,
    *,
    form: IdentityProofForm,
    problem: str = "",
    status: int,
) -> HttpResponse:
    context: dict[str, Any] = {
        "page": status_page(subject_request),
        "token": token,
        "answer_form": AnswerForm(),
        "withdraw_form": WithdrawForm(),
        "identity_form": form,
        "problem": problem,
    }
    response = render(request, "status/page.html", context, status=status)
    response["Cache-Control"] = "no-store, private"
    return response


@never_cache
@require_POST
@ratelimit(key="ip", rate=_action_rate, method="POST", block=False)
def identity_upload(request: HttpRequest, token: str) -> HttpResponse:
    if getattr(request, "limited", False):
        return ratelimited(request, Ratelimited())
    subject_request = request_for_token(token)
    if subject_request is None:
        return link_not_valid(request)
    form = IdentityProofForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, subject_request, token, form=form, status=400)
    upload = form.cleaned_data["file"]
    try:
        identity_proof_store(
            request=subject_request, content=upload, name=upload.name or "", by=Actor.subject()
        )
    except TransitionError:
        return _page(request, subject_request, token, form=form, problem="identity", status=409)
    except ValidationError as error:
        form.refuse(error)
        return _page(request, subject_request, token, form=form, status=400)
    return redirect(f"{reverse('status', args=[token])}#{ANCHOR}")
