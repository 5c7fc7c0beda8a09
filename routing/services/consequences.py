"""Every consequence of an event, in one table.

A service changes the request, then records what happened with ``event_record`` (or
``events_record`` for several events of one change). That writes the audit trail and
derives, from ``CONSEQUENCES`` keyed by the event's type, every email (into the outbox)
and every webhook (one delivery per integration listening), in the service's own
transaction. Nothing else stores an email or a webhook, so this table is the whole list
of what the service tells anyone, and when.

A follow-on change (forwarding once a request is verified or its customer is set) is not
a consequence: the service that causes it calls it, before recording its events, so the
emails describe the request as it ends up.

Rows marked ``audited=False`` are occasions found by a sweep (a reminder, a deadline
nearing, a digest): they send, but add nothing to the request's trail.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import connection
from django.utils import timezone

from routing.domain.registry_snapshot import registry_snapshot
from routing.models import (
    CLOSED_STATUSES,
    Event,
    EventType,
    NoticeStatus,
    OutboundMessage,
    RecipientNotice,
    Request,
    Route,
    RouteStatus,
    Status,
    TargetType,
)
from routing.services import messages
from routing.services.actors import Actor
from routing.services.outbox import message_store, messages_store_new
from routing.services.webhooks import webhook_deliveries, webhooks_store


@dataclass(frozen=True)
class Occasion:
    """What a rule reads: the event (saved, or not for an unaudited occasion), its request,
    the route it is about, and what only the moment knows (a status token, a reminder)."""

    event: Event
    request: Request | None
    route: Route | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """The de-duplication key of an email this event sends once."""
        request_id = self.request.pk if self.request else None
        return f"{self.event.type}:{request_id}:{self.event.pk}"

    @property
    def data(self) -> Mapping[str, Any]:
        return self.event.data if isinstance(self.event.data, dict) else {}


# An email, or one each for several recipients (the customers of a request), or none.
EmailRule = Callable[[Occasion], OutboundMessage | Sequence[OutboundMessage] | None]
# The webhook's type and data, or None when it is not sent this time.
WebhookRule = Callable[[Occasion], tuple[str, dict[str, Any]] | None]


@dataclass(frozen=True)
class Row:
    emails: tuple[EmailRule, ...] = ()
    # Emails that describe the whole request as the change leaves it (where each part
    # went): stored after every other email of the change, the forwards included.
    summaries: tuple[EmailRule, ...] = ()
    webhooks: tuple[WebhookRule, ...] = ()
    audited: bool = True

    @property
    def all_emails(self) -> tuple[EmailRule, ...]:
        return self.emails + self.summaries


# --- emails -------------------------------------------------------------------------------


def _req(occasion: Occasion) -> Request:
    assert occasion.request is not None
    return occasion.request


def _route(occasion: Occasion) -> Route:
    assert occasion.route is not None
    return occasion.route


def confirm_address(o: Occasion) -> OutboundMessage | None:
    """Web intake: the subject confirms their address through a signed link."""
    if not o.extra.get("confirm") or _req(o).status != Status.UNVERIFIED:
        return None
    return messages.confirm_address(_req(o), o.extra["token"])


def acknowledgement_unconfirmed(o: Occasion) -> OutboundMessage | None:
    """Vouched for by an integration or staff: the first email is the acknowledgement
    (CCPA: within 10 business days; sent at once), with the status link only this moment
    knows."""
    if _req(o).status == Status.UNVERIFIED or "token" not in o.extra:
        return None
    return messages.acknowledgement(
        _req(o), o.extra["token"], confirmed=False, routes=o.extra.get("routes")
    )


def acknowledgement_confirmed(o: Occasion) -> OutboundMessage | None:
    """The subject confirmed their address through the link that carries their token."""
    if "token" not in o.extra:
        return None
    return messages.acknowledgement(_req(o), o.extra["token"], confirmed=True)


def forward_to_customer(o: Occasion) -> OutboundMessage | None:
    """Sent by the service, not marked sent by staff who forwarded it themselves."""
    if not o.data.get("forwarded"):
        return None
    return messages.forward_to_customer(_route(o))


def forward_follow_up(o: Occasion) -> OutboundMessage | None:
    """Not once the request is closed: the customer was told it ended."""
    if _req(o).status in CLOSED_STATUSES:
        return None
    return messages.forward_follow_up(_route(o))


def clarification_requested(o: Occasion) -> OutboundMessage | None:
    return messages.clarification_requested(_req(o), o.key, str(o.data.get("reason", "")))


def _kinds(o: Occasion) -> list[str] | None:
    """The parts an event acted on; None when it covers the whole request."""
    kinds = o.data.get("kinds")
    return [str(k) for k in kinds] if isinstance(kinds, list) and kinds else None


def _day(o: Occasion, name: str) -> date | None:
    value = o.data.get(name)
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def extension_notice(o: Occasion) -> OutboundMessage | None:
    return messages.extension_notice(
        _req(o),
        o.key,
        kinds=_kinds(o),
        due_on=_day(o, "due_on"),
        new_due_on=_day(o, "effective_due_on"),
    )


def request_completed(o: Occasion) -> OutboundMessage | None:
    return messages.request_completed(_req(o), o.key, kinds=_kinds(o))


def request_denied(o: Occasion) -> OutboundMessage | None:
    return messages.request_denied(
        _req(o), o.key, kinds=_kinds(o), ground=str(o.data.get("ground") or "")
    )


def request_duplicate(o: Occasion) -> OutboundMessage | None:
    original = _req(o).duplicate_of
    reference = original.reference if original is not None else str(o.data.get("of", ""))
    return messages.request_duplicate(_req(o), o.key, reference)


_OUTCOMES: dict[str, messages.Outcome] = {
    EventType.COMPLETED: "completed",
    EventType.DENIED: "denied",
    EventType.WITHDRAWN: "withdrawn",
    EventType.MARKED_DUPLICATE: "duplicate",
}


def answer_ready(o: Occasion) -> OutboundMessage | None:
    """The answer package can be downloaded: the subject is told where, and until when."""
    return messages.answer_ready(
        _req(o), o.key, open_until=o.data.get("open_until"), reopened=False
    )


def answer_ready_again(o: Occasion) -> OutboundMessage | None:
    return messages.answer_ready(_req(o), o.key, open_until=o.data.get("open_until"), reopened=True)


def download_code(o: Occasion) -> OutboundMessage | None:
    """The one-time code only this moment knows."""
    if "code" not in o.extra:
        return None
    return messages.download_code(_req(o), o.key, str(o.extra["code"]), int(o.extra["minutes"]))


def customers_told_of_outcome(o: Occasion) -> list[OutboundMessage]:
    """Each customer the request was forwarded to, and who has not answered it yet, hears
    how it ended: they must not act on a refused or withdrawn request for nothing."""
    routes = (
        _req(o)
        .routes.filter(
            target_type=TargetType.CUSTOMER,
            status__in=[RouteStatus.SENT, RouteStatus.ACKNOWLEDGED],
        )
        .select_related("scope", "customer")
        .order_by("position")
    )
    original = _req(o).duplicate_of
    built = (
        messages.customer_outcome(
            route,
            f"customer_outcome:{route.pk}:{o.event.pk}",
            _OUTCOMES[o.event.type],
            kinds=_kinds(o),
            original=original.reference if original is not None else "",
        )
        for route in routes
    )
    return [message for message in built if message is not None]


def recipients_told(o: Occasion) -> list[OutboundMessage]:
    """Each recipient with an address hears of the change (GDPR Art. 19)."""
    notices = RecipientNotice.objects.filter(pk__in=o.data.get("notices", []))
    built = (
        messages.recipient_notice(n, f"recipient_notice:{n.pk}")
        for n in notices.filter(status=NoticeStatus.SENT).select_related("request__organisation")
    )
    return [message for message in built if message is not None]


def recipient_follow_up(o: Occasion) -> OutboundMessage | None:
    notice = o.extra["notice"]
    if notice.status != NoticeStatus.SENT:
        return None
    return messages.recipient_follow_up(notice, f"recipient_follow_up:{notice.pk}:1")


def routes_summary(o: Occasion) -> OutboundMessage | None:
    """A customer found for an open request: the subject hears where that part went."""
    if _req(o).status not in (Status.NEW, Status.IN_PROGRESS, Status.AWAITING_SUBJECT):
        return None
    return messages.routes_summary(_req(o), str(o.event.pk))


def staff_task(o: Occasion) -> OutboundMessage | None:
    key = o.extra.get("key")
    if not key:
        return None
    return messages.staff_task(_req(o), str(o.data.get("task", "")), key)


def staff_reminder(o: Occasion) -> OutboundMessage | None:
    return messages.staff_reminder(_req(o), o.extra["reminder"])


def staff_digest(o: Occasion) -> OutboundMessage | None:
    return messages.staff_digest(
        o.extra["user_id"], o.extra["email"], o.extra["rows"], o.extra["today"]
    )


# --- webhooks -----------------------------------------------------------------------------


def request_created(o: Occasion) -> tuple[str, dict[str, Any]]:
    return "request.created", {
        "status": o.data.get("status", _req(o).status),
        "due_on": _req(o).effective_due_on.isoformat(),
    }


def status_changed(o: Occasion) -> tuple[str, dict[str, Any]] | None:
    before = o.extra.get("status_before")
    if before is None or before == _req(o).status:
        return None
    return "request.status_changed", {"status": _req(o).status, "previous": before}


def route_forwarded(o: Occasion) -> tuple[str, dict[str, Any]]:
    return "route.forwarded", {"scope": _route(o).scope.key, "action": _route(o).action}


def route_acknowledged(o: Occasion) -> tuple[str, dict[str, Any]]:
    return "route.acknowledged", {"scope": _route(o).scope.key, "action": _route(o).action}


def due_soon(o: Occasion) -> tuple[str, dict[str, Any]]:
    return "request.due_soon", dict(o.data)


def overdue(o: Occasion) -> tuple[str, dict[str, Any]]:
    return "request.overdue", dict(o.data)


# --- the table ----------------------------------------------------------------------------

_STATUS = (status_changed,)

CONSEQUENCES: dict[EventType, Row] = {
    EventType.RECEIVED: Row(
        emails=(confirm_address,),
        summaries=(acknowledgement_unconfirmed,),
        webhooks=(request_created, status_changed),
    ),
    EventType.GPC_SIGNAL: Row(),
    EventType.DUPLICATE_SUSPECTED: Row(),
    EventType.VERIFIED: Row(summaries=(acknowledgement_confirmed,), webhooks=_STATUS),
    EventType.ASSIGNED: Row(webhooks=_STATUS),
    EventType.PAUSED: Row(emails=(clarification_requested,), webhooks=_STATUS),
    EventType.RESUMED: Row(webhooks=_STATUS),
    EventType.EXTENDED: Row(emails=(extension_notice,), webhooks=_STATUS),
    EventType.REGIME_OVERRIDDEN: Row(webhooks=_STATUS),
    EventType.COMPLETED: Row(
        emails=(request_completed, customers_told_of_outcome), webhooks=_STATUS
    ),
    EventType.DENIED: Row(emails=(request_denied, customers_told_of_outcome), webhooks=_STATUS),
    EventType.WITHDRAWN: Row(emails=(customers_told_of_outcome,), webhooks=_STATUS),
    EventType.MARKED_DUPLICATE: Row(
        emails=(request_duplicate, customers_told_of_outcome), webhooks=_STATUS
    ),
    EventType.EXPIRED: Row(webhooks=_STATUS),
    EventType.PURGED: Row(),
    EventType.NOTE: Row(),
    EventType.ROUTES_PLANNED: Row(webhooks=_STATUS),
    EventType.ROUTE_SENT: Row(emails=(forward_to_customer,), webhooks=(route_forwarded, *_STATUS)),
    EventType.ROUTE_ACKNOWLEDGED: Row(webhooks=(route_acknowledged, *_STATUS)),
    EventType.ROUTE_DONE: Row(webhooks=_STATUS),
    EventType.ROUTE_NOT_APPLICABLE: Row(webhooks=_STATUS),
    EventType.ROUTE_CUSTOMER_SET: Row(summaries=(routes_summary,), webhooks=_STATUS),
    EventType.ROUTE_FOLLOWED_UP: Row(emails=(forward_follow_up,), audited=False),
    EventType.STAFF_TASK: Row(emails=(staff_task,)),
    EventType.EMAIL_FAILED: Row(),
    EventType.FILE_ADDED: Row(),
    EventType.FILE_DELETED: Row(),
    EventType.FILE_VIEWED: Row(),
    EventType.ANSWER_READY: Row(emails=(answer_ready,)),
    EventType.DOWNLOAD_CODE_SENT: Row(emails=(download_code,)),
    EventType.FILE_DOWNLOADED: Row(),
    EventType.DOWNLOADS_EXPIRED: Row(),
    EventType.DOWNLOADS_REOPENED: Row(emails=(answer_ready_again,)),
    EventType.RECIPIENTS_NOTIFIED: Row(emails=(recipients_told,)),
    EventType.RECIPIENT_ACKNOWLEDGED: Row(),
    EventType.RECIPIENT_TOLD_BY_STAFF: Row(),
    EventType.RECIPIENT_FOLLOWED_UP: Row(emails=(recipient_follow_up,), audited=False),
    EventType.REMINDER_DUE: Row(emails=(staff_reminder,), audited=False),
    EventType.DIGEST_DUE: Row(emails=(staff_digest,), audited=False),
    EventType.DUE_SOON: Row(webhooks=(due_soon,), audited=False),
    EventType.OVERDUE: Row(webhooks=(overdue,), audited=False),
}


# --- recording ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One event of a change: who, what, its data, and the route it is about."""

    by: Actor
    type: EventType
    data: Mapping[str, Any] = field(default_factory=dict)
    route: Route | None = None


def _built(rule: EmailRule, occasion: Occasion) -> list[OutboundMessage]:
    found = rule(occasion)
    if found is None:
        return []
    return [found] if isinstance(found, OutboundMessage) else list(found)


def _event(request: Request | None, entry: Entry, at: datetime) -> Event:
    return Event(
        request=request,
        created_at=at,
        actor_type=entry.by.type,
        actor_user=entry.by.user,
        actor_label=entry.by.label,
        type=entry.type,
        data=dict(entry.data),
    )


def events_record(
    request: Request,
    entries: Sequence[Entry],
    *,
    status_before: str | None = None,
    extra: Mapping[str, Any] | None = None,
    new: bool = False,
) -> list[Event]:
    """Write the events of one change, in order, and store every email and webhook they
    cause. ``status_before``: the request's status before the change, so a change of it
    is announced once, after the change's own events. ``new``: the request was created in
    this transaction, so nothing it causes can exist yet (one insert each)."""
    now = timezone.now()
    events = [_event(request, entry, now) for entry in entries]
    audited = [
        e for e, entry in zip(events, entries, strict=True) if CONSEQUENCES[entry.type].audited
    ]
    # One insert where the database gives the ids back (the emails' keys name them).
    if len(audited) > 1 and connection.features.can_return_rows_from_bulk_insert:
        Event.objects.bulk_create(audited)
    else:
        for event in audited:
            event.save()
    found: list[OutboundMessage] = []
    summaries: list[OutboundMessage] = []
    hooks: list[tuple[str, dict[str, Any]]] = []
    # A change of status is announced once, by the last event whose row announces it.
    announcing = max(
        (i for i, e in enumerate(entries) if status_changed in CONSEQUENCES[e.type].webhooks),
        default=None,
    )
    for position, (event, entry) in enumerate(zip(events, entries, strict=True)):
        context = dict(extra or {})
        if position == announcing:
            context["status_before"] = status_before
        occasion = Occasion(event=event, request=request, route=entry.route, extra=context)
        row = CONSEQUENCES[entry.type]
        found += [m for rule in row.emails for m in _built(rule, occasion)]
        summaries += [m for rule in row.summaries for m in _built(rule, occasion)]
        hooks += [h for rule in row.webhooks if (h := rule(occasion)) is not None]
    found += summaries
    if new:
        messages_store_new(found)
    else:
        for message in found:
            message_store(message)
    if hooks:
        snapshot = registry_snapshot()
        webhooks_store(
            [
                delivery
                for event_type, data in hooks
                for delivery in webhook_deliveries(
                    request=request, event_type=event_type, data=data, snapshot=snapshot
                )
            ]
        )
    return events


def event_record(
    request: Request,
    by: Actor,
    type: EventType,
    *,
    route: Route | None = None,
    status_before: str | None = None,
    extra: Mapping[str, Any] | None = None,
    **data: Any,
) -> Event:
    """Write one event and store what it causes (see ``events_record``)."""
    entry = Entry(by=by, type=type, data=data, route=route)
    return events_record(request, [entry], status_before=status_before, extra=extra)[0]


def occasion_record(
    type: EventType,
    *,
    request: Request | None = None,
    route: Route | None = None,
    extra: Mapping[str, Any] | None = None,
    **data: Any,
) -> int:
    """Send what an unaudited occasion causes (a sweep's find); returns how many emails
    and webhooks were stored."""
    row = CONSEQUENCES[type]
    assert not row.audited, f"{type} is written to the trail: use event_record"
    event = _event(request, Entry(by=Actor.system(), type=type, data=data), timezone.now())
    occasion = Occasion(event=event, request=request, route=route, extra=dict(extra or {}))
    stored = 0
    for email_rule in row.all_emails:
        for built in _built(email_rule, occasion):
            if message_store(built) is not None:
                stored += 1
    for webhook_rule in row.webhooks:
        hook = webhook_rule(occasion)
        if hook is not None and request is not None:
            stored += webhooks_store(
                webhook_deliveries(request=request, event_type=hook[0], data=hook[1])
            )
    return stored
