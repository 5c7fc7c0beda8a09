"""Entering a request received by post, phone or email: a form, a preview of the routes
and dates it would get, then the same receive service as every other request."""

from __future__ import annotations

import zoneinfo
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from routing.admin.requests.forms import ReceiveForm
from routing.identifiers import InvalidIdentifier
from routing.planning import PlanningError
from routing.presenters.formats import format_datetime
from routing.selectors.receipt_preview import ReceiptPreview, receipt_preview
from routing.selectors.tenancy import visible_organisations
from routing.services.actors import Actor
from routing.services.requests import request_receive
from routing.services.requests.routes import validation_from_planning

ADD_TEMPLATE = "admin/routing/request/add_form.html"


class RequestAddMixin(admin.ModelAdmin):
    """The add page: "Preview" shows the planned routes and dates, "Save" stores them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(f"{self.opts.app_label}.add_{self.opts.model_name}")

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        organisations = visible_organisations(request.user)
        preview: ReceiptPreview | None = None
        fingerprint = ""
        if request.method != "POST":
            form = ReceiveForm(organisations=organisations, initial=_initial(organisations))
        else:
            form = ReceiveForm(request.POST, organisations=organisations)
            if form.is_valid():
                saving = "_save" in request.POST
                if saving and request.POST.get("previewed") == form.fingerprint():
                    saved = self._receive(request, form)
                    if saved is not None:
                        return saved
                else:
                    if saving:
                        messages.warning(
                            request,
                            "The form changed after its preview: check the routes and dates "
                            "below, then save.",
                        )
                    preview = _preview(form)
                    fingerprint = form.fingerprint() if preview is not None else ""
        context = {
            **self.admin_site.each_context(request),
            "title": "Enter a request received by post, phone or email",
            "opts": self.opts,
            "form": form,
            "preview": preview,
            "received_at": (
                format_datetime(preview.received_at, preview.organisation.timezone)
                if preview
                else ""
            ),
            "fingerprint": fingerprint,
            "media": self.media + form.media,
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, ADD_TEMPLATE, context)

    def _receive(self, request: HttpRequest, form: ReceiveForm) -> HttpResponse | None:
        data = form.cleaned_data
        verified = bool(data.get("verified"))
        try:
            received = request_receive(
                organisation=data["organisation"],
                kinds=data["kinds"],
                scopes=data.get("scopes") or None,
                subject=form.subject(),
                by=Actor.staff(request.user),
                identifiers=form.identifiers or None,
                channel=data["channel"],
                received_at=data["received_at"],
                details=data.get("details", ""),
                verified=verified,
                # Unconfirmed: the subject gets the link to confirm their address.
                confirm_address=not verified,
            )
        except ValidationError as error:
            form.add_service_errors(error)
            return None
        req = received.request
        messages.success(
            request,
            f"{req.reference} received by {req.get_channel_display()}: its routes and dates "
            "are below.",
        )
        url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
            args=[req.pk],
            current_app=self.admin_site.name,
        )
        return HttpResponseRedirect(url)


def _preview(form: ReceiveForm) -> ReceiptPreview | None:
    data = form.cleaned_data
    try:
        return receipt_preview(
            organisation=data["organisation"],
            kinds=data["kinds"],
            scopes=data.get("scopes") or None,
            identifiers=form.identifiers,
            subject_phone=data.get("phone", ""),
            subject_country=data.get("subject_country", ""),
            subject_region=data.get("subject_region", ""),
            received_at=data["received_at"],
        )
    except (PlanningError, InvalidIdentifier) as error:
        form.add_service_errors(validation_from_planning(error))
        return None


def _initial(organisations: Any) -> dict[str, Any]:
    """Now, where the organisation is, when the user has only one."""
    only = list(organisations[:2])
    if len(only) != 1:
        return {"channel": "post", "language": "en", "verified": True}
    local = timezone.localtime(timezone.now(), zoneinfo.ZoneInfo(only[0].timezone))
    return {
        "channel": "post",
        "organisation": only[0],
        "received_on": local.date(),
        "received_time": local.time().replace(second=0, microsecond=0),
        "language": "en",
        "verified": True,
    }
