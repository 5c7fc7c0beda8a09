"""The emails, one builder each: who receives it, its context, its de-duplication key.

Builders only render (``message_build``); which event sends which email is the
consequences table's to say (routing.services.consequences), and the outbox stores and
sends. Texts built in Python are translated here, in the recipient's language.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, Literal

from django.utils import translation

from routing.clock.reminders import Reminder
from routing.domain.authorities import authority_for
from routing.domain.links import (
    acknowledge_url,
    admin_url,
    confirmation_max_age,
    confirmation_url,
    public_url,
    recipient_acknowledge_url,
    status_path,
)
from routing.domain.status_links import later_status_url
from routing.domain.vocabulary import authority_words, kind_label, translated
from routing.domain.wording import (
    customer_tasks,
    erasure_lines,
    identifiers_text,
    kind_labels,
    kinds_text,
    part_labels,
    refusal_text,
    route_lines,
)
from routing.models import OutboundMessage, RecipientNotice, Request, Route, RouteStatus, Scope
from routing.selectors.parts import request_parts_list
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
    """An email after the acknowledgement: it carries the status link (the signed one, as
    the plain token is gone by now)."""
    if not request.subject_email:
        return None
    return message_build(
        template=template,
        recipient=request.subject_email,
        context={
            "request": request,
            "organisation": request.organisation,
            "name": request.subject_name,
            "status_link": later_status_url(request.pk, request.status_token_hash),
            **context,
        },
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
    parts = request_parts_list(request)
    with translation.override(request.subject_language):
        lines = route_lines(request, routes)
        kinds = kind_labels(request)
        # Several parts run on their own clocks: each is listed with its date.
        part_dates = (
            [(kind_label(request.regime, p.kind), p.effective_due_on) for p in parts]
            if len(parts) > 1
            else []
        )
    return message_build(
        template="acknowledgement",
        recipient=request.subject_email,
        context={
            "name": request.subject_name,
            "reference": request.reference,
            "organisation": request.organisation.name,
            "kinds": kinds,
            "part_dates": part_dates,
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


def extension_notice(
    request: Request,
    key: str,
    *,
    kinds: Sequence[str] | None = None,
    due_on: date | None = None,
    new_due_on: date | None = None,
) -> OutboundMessage | None:
    """``kinds``: the parts extended, when not the whole request; the dates are the
    event's (the parts'), else the request's."""
    with translation.override(request.subject_language or "en"):
        parts = part_labels(request, kinds)
    return _to_subject(
        request,
        "extension_notice",
        key,
        parts=parts,
        due_on=due_on or request.due_on,
        new_due_on=new_due_on or request.effective_due_on,
    )


def request_completed(
    request: Request, key: str, *, kinds: Sequence[str] | None = None
) -> OutboundMessage | None:
    """``kinds``: the parts completed, when not the whole request. An erasure among them
    says, per scope the organisation answers itself, what was erased and what was kept."""
    with translation.override(request.subject_language or "en"):
        authority = authority_words(authority_for(request).name)
        parts = part_labels(request, kinds)
        erasure = erasure_lines(request, kinds)
    return _to_subject(
        request, "request_completed", key, authority=authority, parts=parts, erasure=erasure
    )


def request_denied(
    request: Request, key: str, *, kinds: Sequence[str] | None = None, ground: str = ""
) -> OutboundMessage | None:
    # Built in Python, so translated here, in the subject's language.
    with translation.override(request.subject_language or "en"):
        text = refusal_text(request, ground)
        parts = part_labels(request, kinds)
    return _to_subject(request, "request_denied", key, denial_text=text, parts=parts)


def request_duplicate(request: Request, key: str, original: str) -> OutboundMessage | None:
    """Closed as a duplicate: the subject learns the earlier request's reference only (its
    status link belongs to whoever made it)."""
    return _to_subject(request, "request_duplicate", key, original=original)


def routes_summary(request: Request, key: str) -> OutboundMessage | None:
    """Where each part of the request went, after a change of route."""
    with translation.override(request.subject_language or "en"):
        lines = route_lines(request)
    return _to_subject(request, "routes_summary", f"routes_summary:{request.pk}:{key}", lines=lines)


def _customer_context(route: Route, language: str) -> dict[str, object]:
    """What every email to a customer names, its Python-built words in ``language``."""
    request = route.request
    with translation.override(language):
        kinds = kinds_text(request)
        scope_name = translated(route.scope.name)
        tasks = customer_tasks(route)
        identifiers = identifiers_text({**request.identifiers})
    return {
        "request": request,
        "organisation": request.organisation,
        "route": route,
        "scope": route.scope,
        "scope_name": scope_name,
        "customer": route.customer,
        "name": route.customer.name if route.customer else "",
        "kinds_text": kinds,
        "identifiers_text": identifiers,
        "tasks": tasks,
        "timezone": request.organisation.timezone,
    }


def _to_customer(route: Route, template: str, key: str, **context: Any) -> OutboundMessage | None:
    """In the language the organisation chose for its customers, whatever the subject's."""
    if route.customer is None or not route.customer.email:
        return None
    language = route.request.organisation.language_for_customers
    return message_build(
        template=template,
        recipient=route.customer.email,
        context={**_customer_context(route, language), **context},
        dedup_key=key,
        language=language,
        request=route.request,
        route=route,
    )


def forward_to_customer(route: Route) -> OutboundMessage | None:
    return _to_customer(
        route,
        "forward_to_customer",
        f"forward:{route.pk}",
        acknowledge_url=acknowledge_url(route.pk),
    )


def forward_follow_up(route: Route) -> OutboundMessage | None:
    return _to_customer(
        route,
        "forward_follow_up",
        f"forward_follow_up:{route.pk}:1",
        acknowledge_url=acknowledge_url(route.pk),
    )


def recipient_notice(notice: RecipientNotice, key: str) -> OutboundMessage | None:
    """A recipient of the data hears that the subject's data was erased, rectified or
    restricted, with what finds it and a link to confirm receipt (GDPR Art. 19)."""
    return _to_recipient(notice, key, template="recipient_notice")


def recipient_follow_up(notice: RecipientNotice, key: str) -> OutboundMessage | None:
    return _to_recipient(notice, key, template="recipient_follow_up")


def _to_recipient(notice: RecipientNotice, key: str, *, template: str) -> OutboundMessage | None:
    if not notice.email:
        return None
    request = notice.request
    language = request.organisation.language_for_customers
    scopes = Scope.objects.filter(key__in=notice.scope_keys).order_by("position")
    with translation.override(language):
        context = {
            "request": request,
            "organisation": request.organisation,
            "notice": notice,
            "name": notice.recipient_name,
            "parts": part_labels(request, notice.kinds),
            "scope_names": [translated(scope.name) for scope in scopes],
            "identifiers_text": identifiers_text({**request.identifiers}),
            "acknowledge_url": recipient_acknowledge_url(notice.pk),
            "timezone": request.organisation.timezone,
        }
    return message_build(
        template=template,
        recipient=notice.email,
        context=context,
        dedup_key=key,
        language=language,
        request=request,
    )


Outcome = Literal["completed", "denied", "withdrawn", "duplicate"]


def customer_outcome(
    route: Route,
    key: str,
    outcome: Outcome,
    *,
    kinds: Sequence[str] | None = None,
    original: str = "",
) -> OutboundMessage | None:
    """A customer who was forwarded the request hears how it ended (or how some of its
    parts did, ``kinds``) and what is still theirs to do."""
    language = route.request.organisation.language_for_customers
    with translation.override(language):
        parts = part_labels(route.request, kinds)
    return _to_customer(
        route, "customer_outcome", key, outcome=outcome, parts=parts, original=original
    )


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


def answer_ready(
    request: Request, key: str, *, open_until: object, reopened: bool
) -> OutboundMessage | None:
    """The answer can be downloaded from the status page. The email names no one and
    nothing of the answer: the files are behind the link and a code sent apart."""
    until = None
    if isinstance(open_until, str):
        with contextlib.suppress(ValueError):
            until = datetime.fromisoformat(open_until)
    return _to_subject(
        request,
        "answer_ready",
        key,
        open_until=until,
        reopened=reopened,
        timezone=request.organisation.timezone,
    )


def download_code(request: Request, key: str, code: str, minutes: int) -> OutboundMessage | None:
    return _to_subject(request, "download_code", key, code=code, minutes=minutes)
