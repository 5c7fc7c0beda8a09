"""The request page's notices to recipients of the data (GDPR Art. 19): who was told, how
far each got, and a button for staff who told a recipient another way."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import (
    Http404,
    HttpRequest,
    HttpResponseBase,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.urls import URLPattern, path, reverse

from routing.admin.requests.actions import RequestActionsMixin
from routing.admin.tenancy import NotFoundAdmin
from routing.models import NoticeStatus, Request
from routing.presenters.formats import format_datetime
from routing.selectors.recipients import request_recipient_notices
from routing.services.actors import Actor
from routing.services.recipients import NoticeClosed, recipient_mark_told

ANCHOR = "recipients"


class RequestRecipientsMixin(RequestActionsMixin, NotFoundAdmin):
    def recipient_urls(self) -> list[URLPattern]:
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/recipients/<int:notice_id>/told/",
                self.admin_site.admin_view(self.recipient_told_view),
                name="{}_{}_recipient_told".format(*info),
            )
        ]

    def recipient_told_view(
        self, request: HttpRequest, object_id: str, notice_id: int
    ) -> HttpResponseBase:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        # Another organisation's request is a 404 (NotFoundAdmin).
        obj: Request = self.get_object(request, unquote(object_id))
        if not self.has_act_permission(request):
            raise PermissionDenied
        notice = request_recipient_notices(obj).filter(pk=notice_id).first()
        if notice is None:
            raise Http404("No such notice on this request.")
        try:
            recipient_mark_told(notice=notice, by=Actor.staff(request.user))
        except NoticeClosed:
            messages.error(request, f"{notice.recipient_name}: the notice was settled already.")
        else:
            messages.success(request, f"{obj.reference}: {notice.recipient_name} marked told.")
        url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
            args=[obj.pk],
            current_app=self.admin_site.name,
        )
        return HttpResponseRedirect(f"{url}#{ANCHOR}")

    def recipients_context(self, obj: Request, can_act: bool) -> dict[str, Any]:
        zone = obj.organisation.timezone
        return {
            "recipient_notices": [
                {
                    "notice": notice,
                    "sent_at": format_datetime(notice.created_at, zone),
                    "settled_at": format_datetime(notice.acknowledged_at, zone),
                    "can_mark": can_act
                    and notice.status in (NoticeStatus.SENT, NoticeStatus.NO_CONTACT),
                }
                for notice in request_recipient_notices(obj)
            ]
        }
