"""The subject's status page: their request, where each part went, and what happened, in
their words. Staff notes, assignees and internal checks are never part of it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from routing.clock import REGIMES
from routing.domain.vocabulary import kind_label, translated
from routing.domain.wording import (
    RouteLine,
    denial_sentence,
    kind_labels,
    local_date,
    route_line,
    split_details,
    status_text,
    when,
)
from routing.models import (
    OPEN_STATUSES,
    ActorType,
    Event,
    EventType,
    Organisation,
    PartStatus,
    Request,
    RequestPart,
    Route,
    RouteAction,
    RouteStatus,
    Status,
    TargetType,
)
from routing.presenters.identifiers import identifier_rows
from routing.selectors.recipients import request_recipient_notices
from routing.selectors.status import request_for_token


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    on: date  # in the organisation's zone, where the deadlines are counted
    text: str
    # Words someone wrote (the subject's answer, the organisation's reason), shown quoted.
    quote: str = ""


@dataclass(frozen=True)
class PartLine:
    """One kind of the request: its outcome, or the date it is due by."""

    label: str
    status: str
    outcome: str
    on: date | None = None
    extended: bool = False


@dataclass(frozen=True)
class RecipientLine:
    """A recipient of the subject's data told of a change to it (GDPR Art. 19)."""

    name: str
    parts: list[str]
    on: date
    confirmed: bool


@dataclass(frozen=True)
class StatusPage:
    request: Request
    organisation: Organisation
    status_text: str
    kinds: list[str]
    routes: list[RouteLine]
    timeline: list[TimelineEntry]
    question: str = ""  # what the organisation asked, while it waits for the subject
    denial: str = ""
    gpc_honoured: bool = False
    pause_moves_due_date: bool = False
    dates: list[tuple[str, date]] = field(default_factory=list)
    # What the subject wrote, as they wrote it (emptied by the retention purge).
    message: str = ""
    call_time: str = ""
    parts: list[PartLine] = field(default_factory=list)
    identifiers: list[tuple[str, str]] = field(default_factory=list)
    # Closed as a duplicate: the reference of the request it was handled with.
    merged_into: str = ""
    recipients: list[RecipientLine] = field(default_factory=list)

    @property
    def can_answer(self) -> bool:
        return self.request.status == Status.AWAITING_SUBJECT

    @property
    def can_withdraw(self) -> bool:
        return self.request.status in OPEN_STATUSES and self.request.status != Status.UNVERIFIED


def _route_for(routes: dict[str, Route], event: Event) -> Route | None:
    scope = event.data.get("scope") if isinstance(event.data, dict) else None
    return routes.get(scope) if isinstance(scope, str) else None


def _entry(request: Request, event: Event, routes: dict[str, Route]) -> TimelineEntry | None:
    organisation = request.organisation
    by_subject = event.actor_type == ActorType.SUBJECT
    data = event.data if isinstance(event.data, dict) else {}
    words = {"organisation": organisation.name}
    text, quote = "", ""
    kind = event.type
    if kind == EventType.RECEIVED:
        if by_subject:
            text = _("You sent your request to %(organisation)s.") % words
        else:
            text = _("%(organisation)s received your request.") % words
    elif kind == EventType.GPC_SIGNAL:
        text = _("Your browser sent a Global Privacy Control signal with your request.")
    elif kind == EventType.VERIFIED:
        if by_subject:
            text = _("You confirmed your email address.")
        else:
            text = _("%(organisation)s confirmed your identity.") % words
    elif kind == EventType.PAUSED:
        text = _("%(organisation)s asked you for more information.") % words
        quote = str(data.get("reason", ""))
    elif kind == EventType.RESUMED:
        if by_subject:
            text = _("You answered.")
            quote = str(data.get("note", ""))
        else:
            text = _("%(organisation)s resumed work on your request.") % words
    elif kind == EventType.EXTENDED and data.get("kinds"):
        words["parts"] = _part_names(request, data["kinds"])
        text = _("%(organisation)s extended the deadline for: %(parts)s.") % words
        quote = str(data.get("reason", ""))
    elif kind == EventType.EXTENDED:
        due = data.get("effective_due_on")
        words["date"] = when(date.fromisoformat(due)) if isinstance(due, str) else ""
        text = _("%(organisation)s extended the deadline to %(date)s.") % words
        quote = str(data.get("reason", ""))
    elif kind == EventType.REGIME_OVERRIDDEN:
        text = _("%(organisation)s recalculated the deadline of your request.") % words
    elif kind.startswith("route_"):
        route = _route_for(routes, event)
        if route is None:
            return None
        words |= {"data": translated(route.scope.name), "target": route.target_name}
        if kind == EventType.ROUTE_SENT and route.action == RouteAction.FORWARD:
            text = _("Your request about your %(data)s was forwarded to %(target)s.") % words
        elif kind == EventType.ROUTE_SENT:
            text = _("%(organisation)s told you whom to contact about your %(data)s.") % words
        elif kind == EventType.ROUTE_ACKNOWLEDGED:
            text = _("%(target)s acknowledged your request about your %(data)s.") % words
        elif kind == EventType.ROUTE_DONE and route.action == RouteAction.FULFIL:
            text = _("%(organisation)s answered for your %(data)s.") % words
        elif kind == EventType.ROUTE_DONE:
            text = _("The part about your %(data)s is done.") % words
        elif kind == EventType.ROUTE_NOT_APPLICABLE:
            text = _("The part about your %(data)s does not apply.") % words
        elif kind == EventType.ROUTE_CUSTOMER_SET and route.target_name:
            text = _("%(organisation)s found the company concerned: %(target)s.") % words
        else:
            return None
    elif kind == EventType.COMPLETED and data.get("kinds"):
        words["parts"] = _part_names(request, data["kinds"])
        text = _("%(organisation)s answered: %(parts)s.") % words
    elif kind == EventType.COMPLETED:
        text = _("%(organisation)s completed your request.") % words
    elif kind == EventType.DENIED:
        text = _("%(organisation)s refused your request.") % words
        quote = denial_sentence(request)
    elif kind == EventType.WITHDRAWN:
        text = _("You withdrew your request.") if by_subject else _("Your request was withdrawn.")
    elif kind == EventType.MARKED_DUPLICATE:
        words["reference"] = str(data.get("of", ""))
        text = (
            _(
                "%(organisation)s found that this request repeats your earlier request "
                "%(reference)s, and answers you there."
            )
            % words
        )
    elif kind == EventType.EXPIRED:
        text = _("Your request expired because your email address was not confirmed in time.")
    else:
        # Staff notes, assignment, duplicate checks, email failures: not the subject's.
        return None
    return TimelineEntry(
        at=event.created_at,
        on=local_date(organisation, event.created_at),
        text=text,
        quote=quote,
    )


def _timeline(request: Request, routes: list[Route]) -> list[TimelineEntry]:
    by_scope = {route.scope.key: route for route in routes}
    entries = (
        _entry(request, event, by_scope) for event in request.events.order_by("created_at", "id")
    )
    return [entry for entry in entries if entry is not None]


def _part_names(request: Request, kinds: object) -> str:
    names = kinds if isinstance(kinds, list) else []
    return ", ".join(kind_label(request.regime, str(kind)) for kind in names)


def _part_line(request: Request, part: RequestPart) -> PartLine:
    organisation = request.organisation
    label = kind_label(request.regime, part.kind)
    closed_on = local_date(organisation, part.closed_at) if part.closed_at else None
    if part.status == PartStatus.DONE:
        return PartLine(label, part.status, _("Answered on"), closed_on)
    if part.status == PartStatus.REFUSED:
        return PartLine(label, part.status, _("Refused on"), closed_on)
    if part.status == PartStatus.CLOSED:
        return PartLine(label, part.status, _("Closed without an answer on"), closed_on)
    if request.status == Status.UNVERIFIED:
        # No promise before the subject confirms: the clock has not started.
        return PartLine(label, part.status, _("Starts once you confirm your address"))
    return PartLine(
        label,
        part.status,
        _("Answer due by"),
        part.effective_due_on,
        extended=part.extended_at is not None,
    )


def _closed_route_line(route: Route, line: RouteLine) -> RouteLine:
    """On a closed request a route still to act on promises nothing any more."""
    acted = route.status in (RouteStatus.SENT, RouteStatus.ACKNOWLEDGED, RouteStatus.DONE)
    if (
        acted
        or route.status == RouteStatus.NOT_APPLICABLE
        or route.target_type == (TargetType.THIRD_PARTY)
    ):
        return line
    words = {"data": translated(route.scope.name)}
    return RouteLine(_("Nothing more is done about your %(data)s: the request is closed.") % words)


def status_page(request: Request) -> StatusPage:
    routes = list(request.routes.select_related("scope").order_by("position"))
    parts = list(request.parts.order_by("position"))
    regime = REGIMES.get(request.regime)
    is_open = request.status in OPEN_STATUSES
    dates: list[tuple[str, date]] = [(pgettext("date", "Received"), request.received_on)]
    # Several parts show their own dates below; one part keeps the single date line.
    if is_open and request.status != Status.UNVERIFIED and len(parts) <= 1:
        dates.append((_("Answer due by"), request.effective_due_on))
        if (
            request.opt_out_due_on
            and "opt_out_sale" in request.kinds
            and request.opt_out_due_on != request.effective_due_on
        ):
            dates.append((_("Opt-out due by"), request.opt_out_due_on))
    gpc = (
        "opt_out_sale" in request.kinds
        and request.verified_at is not None
        and request.status not in (Status.WITHDRAWN, Status.EXPIRED, Status.DUPLICATE)
        and request.events.filter(type=EventType.GPC_SIGNAL).exists()
    )
    message, call_time = split_details(request.details)
    lines = [route_line(request, route) for route in routes]
    if not is_open:
        lines = [_closed_route_line(r, line) for r, line in zip(routes, lines, strict=True)]
    merged_into = ""
    if request.status == Status.DUPLICATE and request.duplicate_of_id is not None:
        merged_into = (
            Request.objects.filter(pk=request.duplicate_of_id)
            .values_list("reference", flat=True)
            .first()
            or ""
        )
    return StatusPage(
        request=request,
        organisation=request.organisation,
        status_text=status_text(request.status),
        kinds=kind_labels(request),
        routes=lines,
        timeline=_timeline(request, routes),
        question=request.pause_reason if request.status == Status.AWAITING_SUBJECT else "",
        denial=denial_sentence(request) if request.status == Status.DENIED else "",
        gpc_honoured=gpc,
        pause_moves_due_date=bool(
            request.status == Status.AWAITING_SUBJECT
            and regime
            and regime.pause_stops_all(request.kinds)
        ),
        dates=dates,
        message=message,
        call_time=call_time,
        parts=[_part_line(request, part) for part in parts]
        if len(parts) > 1 or not is_open
        else [],
        identifiers=identifier_rows(request),
        merged_into=merged_into,
        recipients=[
            RecipientLine(
                name=notice.recipient_name,
                parts=[kind_label(request.regime, kind) for kind in notice.kinds],
                on=local_date(request.organisation, notice.created_at),
                confirmed=notice.acknowledged_at is not None,
            )
            for notice in request_recipient_notices(request)
        ],
    )


def status_for_token(token: str) -> StatusPage | None:
    request = request_for_token(token)
    return None if request is None else status_page(request)
