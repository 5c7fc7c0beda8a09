"""Which emails a change of a request sends, scheduled in the change's own transaction.

The lifecycle services write an event for every change; ``notify_event`` turns the
events that people must hear about into outbox messages with de-duplication keys, so a
replayed change never mails twice.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from routing.forms.vocabulary import authority_words
from routing.models import Event, Request, RouteStatus, Status
from routing.services.forwarding import forward_route, kinds_text
from routing.services.outbox import message_schedule


def admin_url(request: Request) -> str:
    return f"{settings.DSAR_PUBLIC_URL}/admin/routing/request/{request.pk}/change/"


def staff_recipient(request: Request) -> str | None:
    """The assignee, else the organisation's privacy team, else its privacy contact."""
    if request.assignee is not None and request.assignee.email:
        return str(request.assignee.email)
    organisation = request.organisation
    return organisation.team_email or organisation.privacy_email or None


def _subject_message(request: Request, template: str, key: str, **context: object) -> None:
    if not request.subject_email:
        return
    message_schedule(
        template=template,
        recipient=request.subject_email,
        context={"request": request, "organisation": request.organisation, **context},
        dedup_key=key,
        language=request.subject_language or "en",
        request=request,
    )


def staff_task(request: Request, task: str, *, dedup_key: str) -> None:
    recipient = staff_recipient(request)
    if recipient is None:
        return
    message_schedule(
        template="staff_task",
        recipient=recipient,
        context={
            "request": request,
            "organisation": request.organisation,
            "task": task,
            "admin_url": admin_url(request),
        },
        dedup_key=dedup_key,
        request=request,
    )


def forward_routes(request: Request) -> None:
    """Forward every route that can go to its customer now."""
    for route in request.routes.select_related("scope", "customer"):
        route.request = request
        forward_route(route)


def routes_summary(request: Request, *, key: str) -> None:
    """Tell the subject where each part of their request went (after a change of route)."""
    from routing.selectors.status import route_lines

    with translation.override(request.subject_language or "en"):
        lines = route_lines(request)
    _subject_message(request, "routes_summary", f"routes_summary:{request.pk}:{key}", lines=lines)


def notify_event(event: Event) -> None:
    request = event.request
    key = f"{event.type}:{request.pk}:{event.pk}"
    if event.type == "verified" or (
        event.type == "received" and request.status != Status.UNVERIFIED
    ):
        # The acknowledgement that follows tells the subject where each part went.
        forward_routes(request)
    elif event.type == "paused":
        _subject_message(
            request, "clarification_requested", key, reason=event.data.get("reason", "")
        )
    elif event.type == "extended":
        _subject_message(request, "extension_notice", key)
    elif event.type == "completed":
        with translation.override(request.subject_language or "en"):
            authority = authority_words(request.organisation.authority_name)
        _subject_message(request, "request_completed", key, authority=authority)
    elif event.type == "denied":
        from routing.services.requests import denial_text

        # Built in Python, so translated here, in the subject's language.
        with translation.override(request.subject_language or "en"):
            text = denial_text(request)
        _subject_message(request, "request_denied", key, denial_text=text)
    elif event.type == "route_customer_set" and request.status in (
        Status.NEW,
        Status.IN_PROGRESS,
        Status.AWAITING_SUBJECT,
    ):
        for route in request.routes.filter(
            scope__key=event.data.get("scope"), status=RouteStatus.PENDING
        ).select_related("scope", "customer"):
            route.request = request
            forward_route(route)
        routes_summary(request, key=str(event.pk))


__all__ = [
    "admin_url",
    "forward_routes",
    "kinds_text",
    "notify_event",
    "routes_summary",
    "staff_task",
]
