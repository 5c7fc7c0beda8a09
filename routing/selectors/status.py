"""The subject's status page: their request, where each part went, and what happened, in
their words. Staff notes, assignees and internal checks are never part of it."""

from __future__ import annotations

import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from routing.clock import REGIMES
from routing.forms.vocabulary import day_format, kind_label, translated
from routing.models import (
    OPEN_STATUSES,
    ActorType,
    Event,
    Organisation,
    Request,
    Route,
    RouteStatus,
    Status,
)
from routing.services.requests import DENIAL_GROUNDS, denial_text, token_hash

GPC_EVENT = "gpc_signal"  # written by routing.services.intake
# How routing.services.intake adds the call's time to the details staff read.
CALL_TIME_LINE = "When the call came (as the subject wrote it): "
# A status-page token is secrets.token_urlsafe(32): 43 characters. Anything much longer is
# not one, and is refused before it reaches the database.
_MAX_TOKEN_LENGTH = 100


@dataclass(frozen=True)
class RouteLine:
    """One part of the request: a sentence, and whom to contact when the subject must."""

    text: str
    contact: str = ""
    email: str = ""
    url: str = ""


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    on: date  # in the organisation's zone, where the deadlines are counted
    text: str
    # Words someone wrote (the subject's answer, the organisation's reason), shown quoted.
    quote: str = ""


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

    @property
    def can_answer(self) -> bool:
        return self.request.status == Status.AWAITING_SUBJECT

    @property
    def can_withdraw(self) -> bool:
        return self.request.status in OPEN_STATUSES and self.request.status != Status.UNVERIFIED


def _when(value: date) -> str:
    return date_format(value, day_format())


def _local_date(organisation: Organisation, moment: datetime) -> date:
    return moment.astimezone(zoneinfo.ZoneInfo(organisation.timezone)).date()


def split_details(details: str) -> tuple[str, str]:
    """(the subject's message, the call time they gave) from a request's stored details."""
    message, found, call_time = details.rpartition(CALL_TIME_LINE)
    if not found or "\n" in call_time:
        return details, ""
    return message.strip(), call_time.strip()


def status_text(status: str) -> str:
    texts: dict[str, str] = {
        Status.UNVERIFIED: _("Waiting for you to confirm your email address"),
        Status.NEW: _("Received, waiting to be handled"),
        Status.IN_PROGRESS: _("Being handled"),
        Status.AWAITING_SUBJECT: _("Waiting for your answer"),
        Status.COMPLETED: _("Completed"),
        Status.DENIED: _("Refused"),
        Status.WITHDRAWN: _("Withdrawn"),
        Status.DUPLICATE: _("Handled with an earlier request of yours"),
        Status.EXPIRED: _("Expired: the email address was never confirmed"),
    }
    return texts.get(status, status)


def kind_labels(request: Request) -> list[str]:
    return [kind_label(request.regime, kind) for kind in request.kinds]


def _who(route: Route) -> str:
    """How the subject knows the customer, from what finds it: "who called you"."""
    kinds = route.scope.identifier_types or []
    first = kinds[0] if kinds else ""
    if first == "phone":
        return _("who called you")
    if first == "whatsapp":
        return _("who wrote to you on WhatsApp")
    if first == "website":
        return _("whose website you used")
    return _("the company concerned")


def _which_customer(route: Route) -> str:
    kinds = route.scope.identifier_types or []
    first = kinds[0] if kinds else ""
    if first == "phone":
        return _("which of its customers called you")
    if first == "whatsapp":
        return _("which of its customers wrote to you on WhatsApp")
    if first == "website":
        return _("which of its customers runs the website you used")
    return _("which of its customers is concerned")


def _route_line(request: Request, route: Route) -> RouteLine:
    organisation = request.organisation
    words = {
        "organisation": organisation.name,
        "data": translated(route.scope.name),
        "target": route.target_name,
    }
    if route.status == RouteStatus.NOT_APPLICABLE:
        return RouteLine(_("The part about your %(data)s does not apply.") % words)
    unresolved = route.target_type == "unresolved" or route.status == RouteStatus.NEEDS_CUSTOMER

    if route.action == "fulfil":
        if route.status == RouteStatus.DONE and route.done_at:
            words["date"] = _when(_local_date(organisation, route.done_at))
            return RouteLine(_("%(organisation)s answered for your %(data)s on %(date)s.") % words)
        due = route.due_on or request.effective_due_on
        words["date"] = _when(due)
        return RouteLine(
            _("%(organisation)s answers for your %(data)s itself, by %(date)s.") % words
        )

    if route.action == "forward":
        if unresolved:
            words["which"] = _which_customer(route)
            return RouteLine(
                _(
                    "%(organisation)s is finding out %(which)s, and will forward your request "
                    "about your %(data)s to it."
                )
                % words
            )
        words["who"] = _who(route)
        if route.sent_at is not None:
            words["date"] = _when(_local_date(organisation, route.sent_at))
            return RouteLine(
                _(
                    "Your request about your %(data)s was forwarded to %(target)s, %(who)s, "
                    "on %(date)s; %(target)s answers this part."
                )
                % words
            )
        words["date"] = _when(route.due_on or request.effective_due_on)
        return RouteLine(
            _(
                "%(organisation)s will forward your request about your %(data)s to "
                "%(target)s, %(who)s, by %(date)s."
            )
            % words
        )

    # redirect
    if unresolved:
        words["which"] = _which_customer(route)
        return RouteLine(
            _(
                "%(organisation)s is finding out %(which)s, and will tell you whom to contact "
                "about your %(data)s."
            )
            % words
        )
    if route.target_type == "third_party":
        text = (
            _(
                "For your %(data)s, contact %(target)s, who controls this data; "
                "%(organisation)s does not hold it."
            )
            % words
        )
    else:
        words["who"] = _who(route)
        text = (
            _(
                "For your %(data)s, contact %(target)s, %(who)s; %(organisation)s only "
                "processes this data on its behalf."
            )
            % words
        )
    return RouteLine(
        text, contact=route.target_name, email=route.target_email, url=route.target_url
    )


def route_lines(request: Request, routes: Sequence[Route] | None = None) -> list[RouteLine]:
    """One sentence per route; ``routes`` (in position order, scopes loaded) saves reading
    them again when the caller has them."""
    if routes is None:
        routes = list(request.routes.select_related("scope").order_by("position"))
    return [_route_line(request, route) for route in routes]


def denial_sentence(request: Request) -> str:
    if request.denial_ground not in DENIAL_GROUNDS:
        return ""
    return denial_text(request)


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
    if kind == "received":
        if by_subject:
            text = _("You sent your request to %(organisation)s.") % words
        else:
            text = _("%(organisation)s received your request.") % words
    elif kind == GPC_EVENT:
        text = _("Your browser sent a Global Privacy Control signal with your request.")
    elif kind == "verified":
        if by_subject:
            text = _("You confirmed your email address.")
        else:
            text = _("%(organisation)s confirmed your identity.") % words
    elif kind == "paused":
        text = _("%(organisation)s asked you for more information.") % words
        quote = str(data.get("reason", ""))
    elif kind == "resumed":
        if by_subject:
            text = _("You answered.")
            quote = str(data.get("note", ""))
        else:
            text = _("%(organisation)s resumed work on your request.") % words
    elif kind == "extended":
        due = data.get("effective_due_on")
        words["date"] = _when(date.fromisoformat(due)) if isinstance(due, str) else ""
        text = _("%(organisation)s extended the deadline to %(date)s.") % words
        quote = str(data.get("reason", ""))
    elif kind == "regime_overridden":
        text = _("%(organisation)s recalculated the deadline of your request.") % words
    elif kind.startswith("route_"):
        route = _route_for(routes, event)
        if route is None:
            return None
        words |= {"data": translated(route.scope.name), "target": route.target_name}
        if kind == "route_sent" and route.action == "forward":
            text = _("Your request about your %(data)s was forwarded to %(target)s.") % words
        elif kind == "route_sent":
            text = _("%(organisation)s told you whom to contact about your %(data)s.") % words
        elif kind == "route_acknowledged":
            text = _("%(target)s acknowledged your request about your %(data)s.") % words
        elif kind == "route_done" and route.action == "fulfil":
            text = _("%(organisation)s answered for your %(data)s.") % words
        elif kind == "route_done":
            text = _("The part about your %(data)s is done.") % words
        elif kind == "route_not_applicable":
            text = _("The part about your %(data)s does not apply.") % words
        elif kind == "route_customer_set" and route.target_name:
            text = _("%(organisation)s found the company concerned: %(target)s.") % words
        else:
            return None
    elif kind == "completed":
        text = _("%(organisation)s completed your request.") % words
    elif kind == "denied":
        text = _("%(organisation)s refused your request.") % words
        quote = denial_sentence(request)
    elif kind == "withdrawn":
        text = _("You withdrew your request.") if by_subject else _("Your request was withdrawn.")
    elif kind == "marked_duplicate":
        text = (
            _("%(organisation)s found that this request repeats an earlier one of yours.") % words
        )
    elif kind == "expired":
        text = _("Your request expired because your email address was not confirmed in time.")
    else:
        # Staff notes, assignment, duplicate checks, email failures: not the subject's.
        return None
    return TimelineEntry(
        at=event.created_at,
        on=_local_date(organisation, event.created_at),
        text=text,
        quote=quote,
    )


def _timeline(request: Request, routes: list[Route]) -> list[TimelineEntry]:
    by_scope = {route.scope.key: route for route in routes}
    entries = (
        _entry(request, event, by_scope) for event in request.events.order_by("created_at", "id")
    )
    return [entry for entry in entries if entry is not None]


def status_page(request: Request) -> StatusPage:
    routes = list(request.routes.select_related("scope").order_by("position"))
    regime = REGIMES.get(request.regime)
    dates: list[tuple[str, date]] = [(pgettext("date", "Received"), request.received_on)]
    if request.status not in (Status.WITHDRAWN, Status.EXPIRED, Status.DUPLICATE):
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
        and request.events.filter(type=GPC_EVENT).exists()
    )
    message, call_time = split_details(request.details)
    return StatusPage(
        request=request,
        organisation=request.organisation,
        status_text=status_text(request.status),
        kinds=kind_labels(request),
        routes=[_route_line(request, route) for route in routes],
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
    )


def request_for_token(token: str) -> Request | None:
    """The request a status link names; None for anything else, alike: an unknown token,
    or the link of a request that expired unconfirmed or was purged of personal data."""
    if not token or len(token) > _MAX_TOKEN_LENGTH:
        return None
    return (
        Request.objects.select_related("organisation")
        .filter(status_token_hash=token_hash(token), purged_at__isnull=True)
        .exclude(status=Status.EXPIRED)
        .first()
    )


def status_for_token(token: str) -> StatusPage | None:
    request = request_for_token(token)
    return None if request is None else status_page(request)
