"""The emails, one builder each: who receives it, its context, its de-duplication key.

Builders only render (``message_build``); which event sends which email is the
consequences table's to say (routing.services.consequences), and the outbox stores and
sends. Texts built in Python are translated here, in the recipient's language.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.utils import translation

from routing.clock.reminders import Reminder
from routing.domain.denials import denial_text
from routing.domain.links import (
    acknowledge_url,
    admin_url,
    confirmation_max_age,
    confirmation_url,
    public_url,
    status_path,
)
from routing.domain.vocabulary import authority_words
from routing.domain.wording import kind_labels, kinds_text, route_lines
from routing.models import OutboundMessage, Request, Route, RouteStatus
from routing.services.outbox import message_build


def staff_recipient(request: Request) -> str | None:
    """The assignee, else the organisation's privacy team, else its privacy contact."""
    if request.assignee is not None and request.assignee.email:
        return str(request.assignee.email)
    organisation = request.organisation
    return organisation.team_email or organisation.privacy_email or None


def _to_subject(
    request: Request, template: str, key: str, **context: Any
) -> OutboundMessage | None:
    if not request.subject_email:
        return None
    return message_build(
        template=template,
        recipient=request.subject_email,
        context={"request": request, "organisation": request.organisation, **context},
        dedup_key=key,
        language=request.subject_language or "en",
        request=request,
    )


def confirm_address(request: Request, token: str) -> OutboundMessage | None:
    if not request.subject_email:
        return None
    return message_build(
        template="confirm_address",
        recipient=request.subject_email,
        context={
            "name": request.subject_name,
            "reference": request.reference,
            "organisation": request.organisation.name,
            "link": confirmation_url(request.pk, token),
            "expires_at": request.received_at + confirmation_max_age(),
            "timezone": request.organisation.timezone,
        },
        dedup_key=f"confirm_address:{request.pk}",
        language=request.subject_language,
        request=request,
    )


def acknowledgement(
    request: Request, token: str, *, confirmed: bool, routes: Sequence[Route] | None = None
) -> OutboundMessage | None:
    """``confirmed``: the subject confirmed their address (the web form); otherwise the
    request came verified (an integration, staff) and this is the first email they get."""
    if not request.subject_email:
        return None
    # The route sentences are built in Python, so they are translated here.
    with translation.override(request.subject_language):
        lines = route_lines(request, routes)
        kinds = kind_labels(request)
    return message_build(
        template="acknowledgement",
        recipient=request.subject_email,
        context={
            "name": request.subject_name,
            "reference": request.reference,
            "organisation": request.organisation.name,
            "kinds": kinds,
            "received_on": request.received_on,
            "due_on": request.effective_due_on,
            "routes": lines,
            "status_link": public_url(status_path(token)),
            "confirmed": confirmed,
        },
        dedup_key=f"acknowledgement:{request.pk}",
        language=request.subject_language,
        request=request,
    )


def clarification_requested(request: Request, key: str, reason: str) -> OutboundMessage | None:
    return _to_subject(request, "clarification_requested", key, reason=reason)


def extension_notice(request: Request, key: str) -> OutboundMessage | None:
    return _to_subject(request, "extension_notice", key)


def request_completed(request: Request, key: str) -> OutboundMessage | None:
    with translation.override(request.subject_language or "en"):
        authority = authority_words(request.organisation.authority_name)
    return _to_subject(request, "request_completed", key, authority=authority)


def request_denied(request: Request, key: str) -> OutboundMessage | None:
    # Built in Python, so translated here, in the subject's language.
    with translation.override(request.subject_language or "en"):
        text = denial_text(request)
    return _to_subject(request, "request_denied", key, denial_text=text)


def routes_summary(request: Request, key: str) -> OutboundMessage | None:
    """Where each part of the request went, after a change of route."""
    with translation.override(request.subject_language or "en"):
        lines = route_lines(request)
    return _to_subject(request, "routes_summary", f"routes_summary:{request.pk}:{key}", lines=lines)


def _forward_context(route: Route) -> dict[str, object]:
    request = route.request
    given = {**request.identifiers}
    identifiers_text = ", ".join(f"{k}: {v}" for k, v in given.items() if v)
    return {
        "request": request,
        "organisation": request.organisation,
        "route": route,
        "scope": route.scope,
        "customer": route.customer,
        "kinds_text": kinds_text(request),
        "identifiers_text": identifiers_text,
        "tasks": [task["text"] for task in route.tasks if task.get("code") != "identify_customer"],
        "acknowledge_url": acknowledge_url(route.pk),
    }


def _to_customer(route: Route, template: str, key: str) -> OutboundMessage | None:
    if route.customer is None or not route.customer.email:
        return None
    return message_build(
        template=template,
        recipient=route.customer.email,
        context=_forward_context(route),
        dedup_key=key,
        request=route.request,
        route=route,
    )


def forward_to_customer(route: Route) -> OutboundMessage | None:
    return _to_customer(route, "forward_to_customer", f"forward:{route.pk}")


def forward_follow_up(route: Route) -> OutboundMessage | None:
    return _to_customer(route, "forward_follow_up", f"forward_follow_up:{route.pk}:1")


def staff_task(request: Request, task: str, key: str) -> OutboundMessage | None:
    recipient = staff_recipient(request)
    if recipient is None:
        return None
    return message_build(
        template="staff_task",
        recipient=recipient,
        context={
            "request": request,
            "organisation": request.organisation,
            "task": task,
            "admin_url": admin_url(request.pk),
        },
        dedup_key=key,
        request=request,
    )


def staff_reminder(request: Request, reminder: Reminder) -> OutboundMessage | None:
    recipient = staff_recipient(request)
    if recipient is None:
        return None
    open_routes = ", ".join(
        request.routes.filter(
            status__in=[RouteStatus.PENDING, RouteStatus.NEEDS_CUSTOMER]
        ).values_list("scope__key", flat=True)
    )
    return message_build(
        template="staff_reminder",
        recipient=recipient,
        context={
            "request": request,
            "organisation": request.organisation,
            "reminder": reminder,
            "kinds_text": kinds_text(request),
            "open_routes": open_routes,
            "admin_url": admin_url(request.pk),
        },
        dedup_key=f"reminder:{request.pk}:{reminder.on}:{request.effective_due_on}",
        request=request,
    )


def staff_digest(
    user_id: int, email: str, rows: list[dict[str, Any]], today: date
) -> OutboundMessage:
    return message_build(
        template="staff_digest",
        recipient=email,
        context={"rows": rows, "today": today},
        dedup_key=f"digest:{user_id}:{today.isoformat()}",
    )
