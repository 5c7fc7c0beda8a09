"""The subject's status page, behind the unguessable link the acknowledgement email gives."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.decorators import ratelimit
from django_ratelimit.exceptions import Ratelimited

from routing.forms.intake import AnswerForm, WithdrawForm
from routing.models import Request
from routing.presenters.status import status_page
from routing.selectors.status import request_for_token
from routing.services.actors import Actor
from routing.services.requests import TransitionError, request_resume, request_withdraw
from routing.views.errors import ratelimited
from routing.views.intake import link_not_valid


def _action_rate(group: str, request: HttpRequest) -> str:
    # Read at each request from settings (an environment variable, dsar/settings.py).
    return str(settings.DSAR_STATUS_RATE_PER_IP)


def _render(
    request: HttpRequest,
    subject_request: Request,
    token: str,
    *,
    answer_form: Form | None = None,
    withdraw_form: Form | None = None,
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {
        "page": status_page(subject_request),
        "token": token,
        "answer_form": answer_form or AnswerForm(),
        "withdraw_form": withdraw_form or WithdrawForm(),
        "problem": problem,
        "confirmed": request.GET.get("confirmed"),
        "done": request.GET.get("done"),
    }
    response = render(request, "status/page.html", context, status=status)
    # The page names a person's request: no shared cache may keep it.
    response["Cache-Control"] = "no-store, private"
    return response


@never_cache
@require_GET
def status(request: HttpRequest, token: str) -> HttpResponse:
    subject_request = request_for_token(token)
    if subject_request is None:
        return link_not_valid(request)
    return _render(request, subject_request, token)


@never_cache
@require_POST
@ratelimit(key="ip", rate=_action_rate, method="POST", block=False)
def status_answer(request: HttpRequest, token: str) -> HttpResponse:
    if getattr(request, "limited", False):
        return ratelimited(request, Ratelimited())
    subject_request = request_for_token(token)
    if subject_request is None:
        return link_not_valid(request)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _render(request, subject_request, token, answer_form=form, status=400)
    try:
        request_resume(request=subject_request, by=Actor.subject(), note=form.cleaned_data["text"])
    except (TransitionError, ValidationError):
        return _render(request, subject_request, token, problem="answer", status=409)
    return redirect(f"{reverse('status', args=[token])}?done=answer")


@never_cache
@require_POST
@ratelimit(key="ip", rate=_action_rate, method="POST", block=False)
def status_withdraw(request: HttpRequest, token: str) -> HttpResponse:
    if getattr(request, "limited", False):
        return ratelimited(request, Ratelimited())
    subject_request = request_for_token(token)
    if subject_request is None:
        return link_not_valid(request)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return _render(request, subject_request, token, withdraw_form=form, status=400)
    try:
        request_withdraw(request=subject_request, by=Actor.subject())
    except TransitionError:
        return _render(request, subject_request, token, problem="withdraw", status=409)
    return redirect(f"{reverse('status', args=[token])}?done=withdraw")
