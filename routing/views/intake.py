"""The public intake: choose an organisation, fill in its form, confirm the address."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.decorators import ratelimit
from django_ratelimit.exceptions import Ratelimited

from routing.domain.links import confirmation_max_age, status_path
from routing.forms.intake import IntakeForm
from routing.identifiers import email_rate_key
from routing.models import Organisation, Status
from routing.presenters.identifiers import identifier_rows
from routing.presenters.status import status_page
from routing.services.intake import (
    intake_confirm,
    intake_submit,
    read_confirmation_code,
    read_sent_code,
    sent_code,
)
from routing.views.errors import ratelimited

# The date this site's GPC support was declared (https://privacycg.github.io/gpc-spec/).
GPC_LAST_UPDATE = "2026-11-22"


def _expiry_days() -> int:
    return int(confirmation_max_age().days)


def gpc_signal(request: HttpRequest) -> bool:
    """Global Privacy Control: the browser's "do not sell or share" (Sec-GPC: 1)."""
    return request.headers.get("Sec-GPC", "").strip() == "1"


def _email_key(group: str, request: HttpRequest) -> str:
    # "+tag" variants, case, punycode and look-alike spellings share one allowance.
    return email_rate_key(request.POST.get("email", ""))


# Rates are read at each request from settings (environment variables, dsar/settings.py).
def _submit_rate(group: str, request: HttpRequest) -> str:
    return str(settings.DSAR_INTAKE_RATE_PER_IP)


def _email_rate(group: str, request: HttpRequest) -> str | None:
    # A post without an address is limited by the address limit only.
    return str(settings.DSAR_INTAKE_RATE_PER_EMAIL) if _email_key(group, request) else None


def _confirm_rate(group: str, request: HttpRequest) -> str:
    return str(settings.DSAR_CONFIRM_RATE_PER_IP)


@require_GET
def chooser(request: HttpRequest) -> HttpResponse:
    organisations = Organisation.objects.only("slug", "name", "website").order_by("name")
    return render(request, "intake/chooser.html", {"organisations": organisations})


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=_submit_rate, method="POST", block=False)
@ratelimit(key=_email_key, rate=_email_rate, method="POST", block=False)
def intake_form(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    if getattr(request, "limited", False):
        return ratelimited(request, Ratelimited(), contact=organisation.privacy_email)
    scopes = list(organisation.scopes.order_by("position", "key"))
    gpc = gpc_signal(request)
    form = IntakeForm(
        request.POST if request.method == "POST" else None,
        organisation=organisation,
        scopes=scopes,
        gpc=gpc,
    )
    if request.method == "POST":
        if form.is_spam:
            # Looks like success to the bot; nothing is stored or sent.
            return redirect("intake-sent", slug=organisation.slug)
        if form.is_valid():
            try:
                received = intake_submit(
                    organisation=organisation,
                    submission=form.submission(),
                    language=get_language() or settings.LANGUAGE_CODE,
                    gpc=gpc,
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                return redirect(
                    "intake-sent-reference",
                    slug=organisation.slug,
                    code=sent_code(received.request.reference),
                )
    return render(
        request,
        "intake/form.html",
        {"organisation": organisation, "form": form, "expiry_days": _expiry_days()},
        status=400 if form.errors else 200,
    )


@require_GET
def intake_sent(request: HttpRequest, slug: str, code: str = "") -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    reference = read_sent_code(code) if code else None
    return render(
        request,
        "intake/sent.html",
        {"organisation": organisation, "reference": reference, "expiry_days": _expiry_days()},
    )


def link_not_valid(request: HttpRequest) -> HttpResponse:
    """One page for every link that does not work: it never says whether a token existed."""
    return render(request, "status/invalid.html", {"expiry_days": _expiry_days()}, status=404)


@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=_confirm_rate, method="POST", block=False)
def confirm(request: HttpRequest, code: str) -> HttpResponse:
    if getattr(request, "limited", False):
        return ratelimited(request, Ratelimited())
    if request.method == "GET":
        # A button, not an automatic confirmation: mail scanners that open every link
        # must not confirm on the subject's behalf.
        found = read_confirmation_code(code)
        if found is None:
            return link_not_valid(request)
        subject_request, token = found
        return render(
            request,
            "intake/confirm.html",
            {
                "page": status_page(subject_request),
                "identifiers": identifier_rows(subject_request),
                "already": subject_request.status != Status.UNVERIFIED,
                "status_url": status_path(token),
                "expiry_days": _expiry_days(),
            },
        )
    outcome = intake_confirm(code=code)
    if outcome.outcome == "invalid":
        return link_not_valid(request)
    return redirect(
        f"{status_path(outcome.token)}?confirmed={'1' if outcome.outcome == 'confirmed' else '0'}"
    )


@require_GET
def gpc_json(request: HttpRequest) -> JsonResponse:
    """Declares that this site honours Global Privacy Control (GPC spec, section 3.4)."""
    return JsonResponse({"gpc": True, "lastUpdate": GPC_LAST_UPDATE})
