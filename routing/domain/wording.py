"""How a request is told to its subject: the status of it, its kinds in the regime's words,
and one sentence per route. Shared by the status page and the emails, in the active
language (callers set the subject's)."""

from __future__ import annotations

import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from routing.domain.denials import DENIAL_GROUNDS, denial_text
from routing.domain.vocabulary import authority_words, day_format, kind_label, translated
from routing.models import (
    Organisation,
    Request,
    Route,
    RouteAction,
    RouteStatus,
    Status,
    TargetType,
)
from routing.planning.specs import RetainedSpec, retained_from_data

# How routing.services.intake adds the call's time to the details staff read.
CALL_TIME_LINE = "When the call came (as the subject wrote it): "


@dataclass(frozen=True)
class RouteLine:
    """One part of the request: a sentence, and whom to contact when the subject must."""

    text: str
    contact: str = ""
    email: str = ""
    url: str = ""


def when(value: date) -> str:
    return date_format(value, day_format())


def local_date(organisation: Organisation, moment: datetime) -> date:
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


def route_line(request: Request, route: Route) -> RouteLine:
    organisation = request.organisation
    words = {
        "organisation": organisation.name,
        "data": translated(route.scope.name),
        "target": route.target_name,
    }
    if route.status == RouteStatus.NOT_APPLICABLE:
        return RouteLine(_("The part about your %(data)s does not apply.") % words)
    unresolved = (
        route.target_type == TargetType.UNRESOLVED or route.status == RouteStatus.NEEDS_CUSTOMER
    )

    if route.action == RouteAction.FULFIL:
        if route.status == RouteStatus.DONE and route.done_at:
            words["date"] = when(local_date(organisation, route.done_at))
            return RouteLine(_("%(organisation)s answered for your %(data)s on %(date)s.") % words)
        due = route.due_on or request.effective_due_on
        words["date"] = when(due)
        return RouteLine(
            _("%(organisation)s answers for your %(data)s itself, by %(date)s.") % words
        )

    if route.action == RouteAction.FORWARD:
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
            words["date"] = when(local_date(organisation, route.sent_at))
            return RouteLine(
                _(
                    "Your request about your %(data)s was forwarded to %(target)s, %(who)s, "
                    "on %(date)s; %(target)s answers this part."
                )
                % words
            )
        words["date"] = when(route.due_on or request.effective_due_on)
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
    if route.target_type == TargetType.THIRD_PARTY:
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
    return [route_line(request, route) for route in routes]


def denial_sentence(request: Request) -> str:
    if request.denial_ground not in DENIAL_GROUNDS:
        return ""
    return denial_text(request)


def kinds_text(request: Request) -> str:
    """The kinds in the regime's own words, as the subject's pages name them."""
    return ", ".join(kind_labels(request))


def part_labels(request: Request, kinds: Sequence[str] | None) -> list[str]:
    """The parts an event acted on, in the regime's words; empty when it covers the whole
    request (the event names no kinds)."""
    return [kind_label(request.regime, kind) for kind in kinds or () if kind]


def refusal_text(request: Request, ground: str = "") -> str:
    """The words the subject reads for a ground of refusal (the request's, unless the
    event refused some parts on its own ground)."""
    found = DENIAL_GROUNDS.get(ground or request.denial_ground)
    if found is None:
        return ""
    organisation = request.organisation
    return _(found.subject_text).format(
        organisation=organisation.name,
        authority=authority_words(organisation.authority_name),
        authority_url=organisation.authority_url or "",
    )


# What the organisation does alongside a forward, as its customer reads it. Tasks only
# staff act on (finding the customer or a contact address) are not the customer's concern.
_CUSTOMER_TASKS = {
    "suppress_contact": gettext_noop(
        "%(organisation)s puts the person's contact details on its opt-out list at once, so "
        "they are not contacted again."
    ),
    "ask_customer_to_block_number": gettext_noop(
        "%(organisation)s asks you to block the person's number so it is not called again, "
        "and can help you block it on the platform."
    ),
}
_STAFF_TASKS = ("identify_customer", "restore_contact_address", "identify_third_party")


def customer_tasks(route: Route) -> list[str]:
    words = {"organisation": route.request.organisation.name}
    lines = []
    for task in route.tasks:
        code = task.get("code", "")
        if code in _CUSTOMER_TASKS:
            lines.append(_(_CUSTOMER_TASKS[code]) % words)
        elif code not in _STAFF_TASKS and task.get("text"):
            lines.append(str(task["text"]))
    return lines


_IDENTIFIER_NAMES = {
    "phone": gettext_noop("phone number"),
    "whatsapp": gettext_noop("WhatsApp number"),
    "website": gettext_noop("website"),
    "email": gettext_noop("email address"),
}


def identifiers_text(identifiers: dict[str, str]) -> str:
    """What the subject gave to find their data, named in the active language."""
    return ", ".join(
        f"{_(_IDENTIFIER_NAMES[key]) if key in _IDENTIFIER_NAMES else key}: {value}"
        for key, value in identifiers.items()
        if value
    )


# Retained entries of the shipped registry (routing/registry_data/*.toml), listed so
# makemessages collects them; the completion email shows them in the subject's language.
RETAINED_STRINGS = (
    # Callkom
    gettext_noop("invoices and billing records"),
    gettext_noop("retention required by law"),
    gettext_noop("10 years"),
    # Click & Call
    gettext_noop("billing records (amounts, dates, subscription status)"),
    gettext_noop("accounting and dispute purposes"),
    gettext_noop('paragraph "Payments are processed by Stripe"'),
    gettext_noop("IP addresses logged for security"),
    gettext_noop("security purposes, including rate limiting and abuse prevention"),
    gettext_noop("up to 12 months, or longer for an address flagged for abuse"),
    gettext_noop('paragraph "IP addresses collected for security purposes"'),
)


@dataclass(frozen=True)
class ErasureLine:
    """One scope the organisation erased itself, and what it kept of it."""

    erased: str
    kept: tuple[str, ...] = ()


def _kept_line(entry: RetainedSpec) -> str:
    words = {
        "what": translated(entry.what),
        "ground": translated(entry.ground),
        "source": translated(entry.source),
    }
    if entry.period:
        words["period"] = translated(entry.period)
        return _("Kept: %(what)s — %(ground)s, for %(period)s (%(source)s)") % words
    return _("Kept: %(what)s — %(ground)s (%(source)s)") % words


def erasure_lines(
    request: Request, kinds: Sequence[str] | None = None, routes: Sequence[Route] | None = None
) -> list[ErasureLine]:
    """What an erasure erased and kept, per scope the organisation answers itself; empty
    unless ``kinds`` (the parts completed; the whole request when None) include erasure."""
    if "erasure" not in (kinds or request.kinds):
        return []
    if routes is None:
        routes = list(request.routes.select_related("scope").order_by("position"))
    lines = []
    for route in routes:
        # A forwarded or redirected scope is erased by its controller, not here.
        if route.action != RouteAction.FULFIL or route.status == RouteStatus.NOT_APPLICABLE:
            continue
        scope = route.scope
        lines.append(
            ErasureLine(
                erased=_("Erased: %(data)s") % {"data": translated(scope.name)},
                kept=tuple(_kept_line(entry) for entry in retained_from_data(scope.retained)),
            )
        )
    return lines
