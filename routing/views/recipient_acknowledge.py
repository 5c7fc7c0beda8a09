"""A recipient's one-click acknowledgement of a notice (GDPR Art. 19).

As with a forward: GET shows what the notice stands for now and, while it is open, a
button; only the POST acts, so a mail scanner following links acknowledges nothing. In the
language the organisation chose for the businesses it writes to.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from routing.domain.wording import local_date
from routing.models import NoticeStatus
from routing.services.actors import Actor
from routing.services.forwarding import InvalidLink
from routing.services.recipients import NoticeClosed, notice_from_token, recipient_acknowledge


@never_cache
@require_http_methods(["GET", "POST"])
def recipient_acknowledge_view(request: HttpRequest, token: str) -> HttpResponse:
    try:
        notice = notice_from_token(token)
    except InvalidLink:
        return render(request, "links/invalid.html", status=404)
    just_confirmed = False
    if request.method == "POST" and notice.status == NoticeStatus.SENT:
        try:
            notice = recipient_acknowledge(
                notice=notice, by=Actor.system(f"recipient link: {notice.recipient_name}")
            )
            just_confirmed = True
        except NoticeClosed:
            notice = notice_from_token(token)
    organisation = notice.request.organisation
    settled_on = (
        local_date(organisation, notice.acknowledged_at) if notice.acknowledged_at else None
    )
    with translation.override(organisation.language_for_customers):
        return render(
            request,
            "links/recipient_acknowledge.html",
            {
                "notice": notice,
                "reference": notice.request.reference,
                "organisation": organisation,
                "open": notice.status == NoticeStatus.SENT,
                "sent_on": local_date(organisation, notice.created_at),
                "settled_on": settled_on,
                "just_confirmed": just_confirmed,
            },
        )
