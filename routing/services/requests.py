"""The request lifecycle: one service per transition, used alike by admin, API and tasks.

Each transition checks the move is allowed (TransitionError, nothing changed), takes a
row lock, changes the row, recomputes the stored dates, and writes its event.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from routing.clock import REGIMES, applicable_regime
from routing.forms.vocabulary import authority_words
from routing.identifiers import InvalidIdentifier, normalise_phone
from routing.models import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    WORKING_STATUSES,
    Channel,
    Customer,
    Event,
    Membership,
    Organisation,
    ReferenceCounter,
    Request,
    Route,
    RouteStatus,
    Status,
    WaitingFor,
)
from routing.planning import Plan, PlanningError
from routing.selectors.deadlines import local_today, request_deadlines
from routing.selectors.planning import plan_for
from routing.selectors.registry import DatabaseRegistry
from routing.services.actors import Actor
from routing.services.forwarding import follow_up_time, forward_message, forwardable
from routing.services.notices import notify_event
from routing.services.outbox import messages_store_new
from routing.services.reminders import next_reminder_at
from routing.services.retention import erase_personal_data
from routing.services.webhooks import webhook_deliveries, webhooks_emit, webhooks_store

DUPLICATE_WINDOW = timedelta(days=30)


class TransitionError(Exception):
    """A move the request's state does not allow; nothing was changed."""

    def __init__(self, message: str, *, code: str = "not_allowed") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class DenialGround:
    code: str
    label: str
    # What the subject reads; {organisation}, {authority} and {authority_url} are filled in.
    subject_text: str


_REMEDY = (
    " You may lodge a complaint with {authority} ({authority_url}) and seek a judicial remedy."
)
DENIAL_GROUNDS: dict[str, DenialGround] = {
    ground.code: ground
    for ground in (
        DenialGround(
            "manifestly_unfounded",
            "manifestly unfounded",
            "{organisation} will not act on your request because it is manifestly unfounded "
            "(GDPR Art. 12(5))." + _REMEDY,
        ),
        DenialGround(
            "excessive",
            "excessive or repetitive",
            "{organisation} will not act on your request because it is excessive, in "
            "particular because it repeats earlier requests (GDPR Art. 12(5))." + _REMEDY,
        ),
        DenialGround(
            "identity_not_verified",
            "identity not verified",
            "{organisation} could not verify that you are the person the data is about, so "
            "it cannot act on your request (GDPR Art. 12(2) and 12(6))." + _REMEDY,
        ),
        DenialGround(
            "legal_retention",
            "legal retention",
            "{organisation} must keep this data by law (for example billing records, kept "
            "for 10 years), so it cannot be erased; it is kept only for that purpose "
            "(GDPR Art. 17(3)(b))." + _REMEDY,
        ),
        DenialGround(
            "third_party_data",
            "third parties' data",
            "{organisation} cannot give you this data because it would disclose other "
            "people's personal data (GDPR Art. 15(4))." + _REMEDY,
        ),
        DenialGround(
            "no_data_held",
            "no data held",
            "{organisation} holds no personal data about you in the scope of your request."
            + _REMEDY,
        ),
    )
}


@dataclass(frozen=True)
class Received:
    request: Request
    # The status-page token, returned once: only its hash is stored.
    token: str
    # The routes as stored, in position order.
    routes: tuple[Route, ...] = ()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- helpers ------------------------------------------------------------------------------


def _event_row(request: Request, by: Actor, type: str, at: datetime, **data: Any) -> Event:
    """An unsaved audit event."""
    return Event(
        request=request,
        created_at=at,
        actor_type=by.type,
        actor_user=by.user,
        actor_label=by.label,
        type=type,
        data=data,
    )


def _event(request: Request, by: Actor, type: str, **data: Any) -> Event:
    event = _event_row(request, by, type, timezone.now(), **data)
    event.save()
    # The emails this change owes anyone go into the outbox in the same transaction.
    notify_event(event)
    return event


@contextmanager
def _locked(request: Request, action: str, allowed: Sequence[str]) -> Iterator[Request]:
    """Lock the row, re-read it, and check ``action`` is allowed in its current status."""
    with transaction.atomic():
        # of=("self",): lock the request, not the organisation joined for its zone, which
        # would serialise every transition and intake of that organisation.
        locked = (
            Request.objects.select_for_update(of=("self",))
            .select_related("organisation")
            .get(pk=request.pk)
        )
        if locked.status not in allowed:
            raise TransitionError(
                f"Cannot {action} a request that is {locked.get_status_display()}; allowed "
                f"when {', '.join(Status(s).label for s in allowed)}."
            )
        before = locked.status
        yield locked
        _status_changed(locked, before)
    # The caller's object reflects what was stored.
    request.refresh_from_db()


def _status_changed(request: Request, before: str) -> None:
    if request.status != before:
        webhooks_emit(
            request=request,
            event_type="request.status_changed",
            data={"status": request.status, "previous": before},
        )


def _set_dates(request: Request) -> None:
    deadlines = request_deadlines(request)
    request.received_on = deadlines.received_on
    request.acknowledge_by = deadlines.acknowledge_by
    request.due_on = deadlines.due_on
    request.extended_due_on = deadlines.extended_due_on
    request.opt_out_due_on = deadlines.opt_out_due_on
    request.forward_due_on = deadlines.forward_due_on
    request.effective_due_on = (
        deadlines.extended_due_on
        if request.extended_at and deadlines.extended_due_on
        else deadlines.due_on
    )
    # A moved date moves the reminders; a closed or unverified request has none.
    request.next_reminder_at = next_reminder_at(request)


def _sync_route_dates(request: Request) -> None:
    """Fulfilled parts are due with the request; forwards and redirects "without delay"."""
    request.routes.filter(action="fulfil").update(due_on=request.effective_due_on)
    request.routes.exclude(action="fulfil").update(due_on=request.forward_due_on)


def _dates(request: Request) -> dict[str, str | None]:
    return {
        "due_on": request.due_on.isoformat(),
        "effective_due_on": request.effective_due_on.isoformat(),
    }


def _start_work(request: Request) -> None:
    if request.status == Status.NEW:
        request.status = Status.IN_PROGRESS


def _whole_days_paused(request: Request, until: datetime) -> int:
    if request.paused_since is None:
        return 0
    started = local_today(request.organisation, request.paused_since)
    ended = local_today(request.organisation, until)
    return max((ended - started).days, 0)


def _close_pause(request: Request, now: datetime) -> int:
    days = _whole_days_paused(request, now)
    request.paused_days += days
    request.paused_since = None
    request.pause_reason = ""
    request.waiting_for = ""
    return days


def _next_reference(organisation: Organisation, year: int) -> str:
    """The next reference of the organisation's year. The counter row stays locked until
    the transaction ends, so callers take it as late as they can."""
    if not _can_update_returning():
        return _next_reference_locked(organisation, year)
    qn = connection.ops.quote_name
    # One statement instead of a locked read and a write; only quoted names are formatted
    # in, the values are parameters.
    sql = (
        f"UPDATE {qn(ReferenceCounter._meta.db_table)} SET {qn('last')} = {qn('last')} + 1 "  # noqa: S608
        f"WHERE {qn('organisation_id')} = %s AND {qn('year')} = %s RETURNING {qn('last')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [organisation.pk, year])
        row = cursor.fetchone()
    if row is None:  # the year's first request
        return _next_reference_locked(organisation, year)
    return f"{organisation.reference_prefix}-{year}-{int(row[0]):06d}"


def _next_reference_locked(organisation: Organisation, year: int) -> str:
    counter, _ = ReferenceCounter.objects.select_for_update().get_or_create(
        organisation=organisation, year=year
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{organisation.reference_prefix}-{year}-{counter.last:06d}"


def _can_update_returning() -> bool:
    # PostgreSQL always; SQLite from 3.35, where Django also returns ids from bulk inserts.
    return connection.vendor != "sqlite" or connection.features.can_return_rows_from_bulk_insert


def _validation_from_planning(error: PlanningError | InvalidIdentifier) -> ValidationError:
    field = {"kind": "kinds", "scope": "scopes"}.get(error.field, error.field)
    message = error.message
    if isinstance(error, PlanningError) and error.valid:
        message += f" (valid: {', '.join(error.valid)})"
    return ValidationError({field: message})


def _new_routes(request: Request, plan: Plan, registry: DatabaseRegistry) -> list[Route]:
    """The plan's routes as unsaved rows, scopes and customers from the registry."""
    snapshot = registry.snapshot
    routes = []
    for position, decision in enumerate(plan.routes):
        target = decision.target
        customer = (
            registry.customer_row(cast(int, target.ref)) if target.type == "customer" else None
        )
        route = Route(
            request=request,
            scope=snapshot.scope_rows[decision.scope],
            position=position,
            role=decision.role,
            action=decision.action,
            target_type=target.type,
            customer=customer,
            third_party_id=snapshot.third_party_ids.get(str(target.ref))
            if target.type == "third_party"
            else None,
            target_name=target.name or "",
            target_email=target.email or "",
            target_url=target.url or "",
            matched_by=decision.matched_by,
            tasks=[{"code": t.code, "text": t.text} for t in decision.tasks],
            explanation=decision.explanation,
            status=RouteStatus.NEEDS_CUSTOMER
            if target.type == "unresolved"
            else RouteStatus.PENDING,
            due_on=request.forward_due_on
            if decision.action != "fulfil"
            else request.effective_due_on,
        )
        routes.append(route)
    return routes


def _insert_routes(routes: list[Route]) -> None:
    """One insert where the database gives the new ids back (emails name the routes)."""
    if connection.features.can_return_rows_from_bulk_insert:
        Route.objects.bulk_create(routes)
    else:
        for route in routes:
            route.save()


# Candidates are read this many at a time, so a subject with a long history costs little.
_DUPLICATE_BATCH = 50


def _find_duplicate(
    *,
    organisation_id: int,
    email: str,
    phone: str,
    kinds: Sequence[str],
    received_at: datetime,
) -> Request | None:
    """The earliest request of the same organisation, subject and a shared kind in 30 days."""
    if not (email or phone):
        return None
    candidates = Request.objects.filter(
        organisation_id=organisation_id,
        received_at__gte=received_at - DUPLICATE_WINDOW,
        received_at__lte=received_at,
    ).exclude(status__in=[Status.DUPLICATE, Status.EXPIRED])
    # Addresses are compared ignoring case: people type Ada@Example.org one day and
    # ada@example.org the next.
    by_email = candidates.filter(subject_email__iexact=email) if email else candidates.none()
    by_phone = candidates.filter(subject_phone=phone) if phone else candidates.none()
    ordered = (by_email | by_phone).order_by("received_at", "id")
    wanted = set(kinds)
    after = Q()
    while True:
        # Keyset pages, so a row written meanwhile is neither skipped nor read twice.
        rows = ordered.filter(after).values_list("pk", "kinds", "received_at")
        batch = list(rows[:_DUPLICATE_BATCH])
        for pk, candidate_kinds, _ in batch:
            if wanted & set(candidate_kinds):
                return Request.objects.get(pk=pk)
        if len(batch) < _DUPLICATE_BATCH:
            return None
        last_pk, _, last_at = batch[-1]
        after = Q(received_at__gt=last_at) | Q(received_at=last_at, pk__gt=last_pk)


# --- receive ------------------------------------------------------------------------------


def request_receive(
    *,
    organisation: Organisation,
    kinds: Sequence[str],
    subject: Mapping[str, str | None],
    by: Actor,
    scopes: Sequence[str] | None = None,
    identifiers: Mapping[str, str | None] | None = None,
    channel: str = Channel.WEB,
    received_at: datetime | None = None,
    details: str = "",
    verified: bool = False,
    regime: str | None = None,
    regime_reason: str = "",
) -> Received:
    """Store a new request with its routes and dates.

    ``subject`` holds name, email, phone, country, region and language. Raises
    ValidationError keyed by field (``kinds``, ``scopes``, ``email``, ``phone``, ...) and
    stores nothing when any field is wrong. An unverified request's clock is paused
    until the subject confirms, where the regime allows it.
    """
    errors: dict[str, str] = {}
    email = (subject.get("email") or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = "Enter a valid email address."
    country = (subject.get("country") or "").strip().upper()
    if country and not (len(country) == 2 and country.isalpha()):
        errors["country"] = "Use an ISO 3166-1 alpha-2 code, e.g. FR."
    phone = ""
    if subject.get("phone"):
        try:
            phone = normalise_phone(
                str(subject["phone"]), default_region=country or organisation.country or None
            ).e164
        except InvalidIdentifier as error:
            errors["phone"] = error.message
    if not kinds:
        errors["kinds"] = "Give at least one kind of request."
    if regime is not None and regime not in REGIMES:
        errors["regime"] = f"Unknown regime {regime!r}; valid: {', '.join(sorted(REGIMES))}."
    if channel not in Channel.values:
        errors["channel"] = f"Use one of: {', '.join(Channel.values)}."
    plan: Plan | None = None
    registry = DatabaseRegistry([organisation.slug])
    if not errors.get("kinds"):
        raw = dict(identifiers or {})
        if phone and not raw.get("phone"):
            raw["phone"] = phone
        try:
            plan = plan_for(
                registry,
                organisation=organisation.slug,
                kinds=kinds,
                scopes=scopes or None,
                raw_identifiers=raw,
            )
        except (PlanningError, InvalidIdentifier) as error:
            errors.update(_validation_from_planning(error).message_dict)  # type: ignore[arg-type]
    if errors:
        raise ValidationError(errors)
    assert plan is not None

    now = timezone.now()
    received_at = received_at or now
    if regime is None:
        regime, regime_reason = applicable_regime(
            organisation_country=organisation.country or None,
            organisation_default_regime=organisation.default_regime,
            subject_country=country or None,
            subject_region=(subject.get("region") or None),
        )
    token = secrets.token_urlsafe(32)
    request = Request(
        organisation=organisation,
        status=Status.NEW if verified else Status.UNVERIFIED,
        channel=channel,
        kinds=list(plan.kinds),
        scope_keys=list(scopes or []),
        subject_name=(subject.get("name") or "").strip(),
        subject_email=email,
        subject_phone=phone,
        subject_country=country,
        subject_region=(subject.get("region") or "").strip().upper(),
        subject_language=(subject.get("language") or "en")[:8],
        identifiers={k: v for k, v in (identifiers or {}).items() if v},
        details=details,
        regime=regime,
        regime_reason=regime_reason,
        received_at=received_at,
        verified_at=now if verified else None,
        verification=by.type if verified else "",
        status_token_hash=token_hash(token),
    )
    if not verified:
        # GDPR: waiting for the subject to confirm counts as a pause (the clock decides
        # whether the regime lets it count; the CCPA's does not).
        request.paused_since = received_at
        request.pause_reason = "waiting for the subject to confirm their email address"
    _set_dates(request)
    routes = _new_routes(request, plan, registry)
    # A verified request's forwards go to their customers with it.
    forwards = [r for r in routes if forwardable(r)] if verified else []
    for route in forwards:
        route.status, route.sent_at = RouteStatus.SENT, now
        route.next_follow_up_at = follow_up_time(request, now)
    # Read before the transaction: the lock on the reference counter is held to its end.
    duplicate = _find_duplicate(
        organisation_id=organisation.pk,
        email=email,
        phone=phone,
        kinds=plan.kinds,
        received_at=received_at,
    )
    first_status = request.status
    with transaction.atomic():
        # The year the request was received where the organisation is, as its dates are.
        request.reference = _next_reference(
            organisation, local_today(organisation, received_at).year
        )
        if forwards:
            request.status = Status.IN_PROGRESS
        request.possible_duplicate_of = duplicate
        request.save()
        _insert_routes(routes)
        _store_receipt(request, by, plan, forwards, first_status, duplicate, registry)
        messages = [forward_message(route) for route in forwards]
        if verified and request.subject_email:
            # Vouched for by an integration or staff: the subject's first email is the
            # acknowledgement (CCPA: within 10 business days; sent at once), with the
            # status link only this moment knows.
            from routing.services.intake import status_path
            from routing.services.notifications import acknowledgement_message, public_url

            messages.append(
                acknowledgement_message(
                    request=request,
                    status_link=public_url(status_path(token)),
                    confirmed=False,
                    routes=routes,
                )
            )
        messages_store_new(messages)
    return Received(request=request, token=token, routes=tuple(routes))


def _store_receipt(
    request: Request,
    by: Actor,
    plan: Plan,
    forwards: list[Route],
    first_status: str,
    duplicate: Request | None,
    registry: DatabaseRegistry,
) -> None:
    """The events and webhooks of a new request, each kind in one insert and in the
    order the changes happened: received, forwarded, then a suspected duplicate."""
    now = timezone.now()
    forwarder = Actor.system("forwarding")
    events = [
        _event_row(
            request,
            by,
            "received",
            now,
            channel=request.channel,
            kinds=list(plan.kinds),
            regime=request.regime,
            routes=[{"scope": r.scope, "action": r.action} for r in plan.routes],
        )
    ]
    events += [
        _event_row(request, forwarder, "route_sent", now, scope=r.scope.key) for r in forwards
    ]
    if duplicate is not None:
        events.append(
            _event_row(request, Actor.system(), "duplicate_suspected", now, of=duplicate.reference)
        )
    Event.objects.bulk_create(events)
    # First, so receivers hear of the request before anything done with it.
    snapshot = registry.snapshot
    deliveries = webhook_deliveries(
        request=request,
        snapshot=snapshot,
        event_type="request.created",
        data={"status": first_status, "due_on": request.effective_due_on.isoformat()},
    )
    for route in forwards:
        deliveries += webhook_deliveries(
            request=request,
            snapshot=snapshot,
            event_type="route.forwarded",
            data={"scope": route.scope.key, "action": route.action},
        )
    if request.status != first_status:
        deliveries += webhook_deliveries(
            request=request,
            snapshot=snapshot,
            event_type="request.status_changed",
            data={"status": request.status, "previous": first_status},
        )
    webhooks_store(deliveries)


# --- transitions --------------------------------------------------------------------------


def request_verify(*, request: Request, by: Actor, method: str = "email") -> Request:
    with _locked(request, "verify", [Status.UNVERIFIED]) as req:
        now = timezone.now()
        paused = _close_pause(req, now)
        req.status = Status.NEW
        req.verified_at = now
        req.verification = method
        _set_dates(req)
        req.save()
        _sync_route_dates(req)
        _event(req, by, "verified", method=method, paused_days=paused, **_dates(req))
    return request


def request_assign(*, request: Request, assignee: Any, by: Actor) -> Request:
    if assignee is not None and not (
        assignee.is_active
        and assignee.is_staff
        and (
            assignee.is_superuser
            or Membership.objects.filter(
                user=assignee, organisation_id=request.organisation_id
            ).exists()
        )
    ):
        raise ValidationError(
            {"assignee": "Choose an active staff member of the request's organisation."}
        )
    with _locked(request, "assign", OPEN_STATUSES) as req:
        previous = req.assignee.get_username() if req.assignee else None
        req.assignee = assignee
        _start_work(req)
        req.save()
        _event(
            req,
            by,
            "assigned",
            assignee=assignee.get_username() if assignee else None,
            previous=previous,
        )
    return request


def request_pause(
    *, request: Request, by: Actor, reason: str, waiting_for: str = WaitingFor.CLARIFICATION
) -> Request:
    """Stop the clock while waiting for the subject (proof of identity, clarification)."""
    if not reason.strip():
        raise ValidationError({"reason": "Say what the subject was asked for."})
    if waiting_for not in WaitingFor.values:
        raise ValidationError({"waiting_for": f"Use one of: {', '.join(WaitingFor.values)}."})
    with _locked(request, "pause the clock of", [Status.NEW, Status.IN_PROGRESS]) as req:
        req.status = Status.AWAITING_SUBJECT
        req.paused_since = timezone.now()
        req.pause_reason = reason.strip()[:300]
        req.waiting_for = waiting_for
        req.save()
        _event(req, by, "paused", reason=req.pause_reason, waiting_for=waiting_for)
    return request


def request_resume(*, request: Request, by: Actor, note: str = "") -> Request:
    """Restart the clock. Under a regime with a "relevant time" (UK GDPR), a proof of
    identity that was asked for starts the clock afresh from the day it arrives."""
    with _locked(request, "resume", [Status.AWAITING_SUBJECT]) as req:
        now = timezone.now()
        identity = req.waiting_for == WaitingFor.IDENTITY
        days = _close_pause(req, now)
        restarted_on = None
        if identity and REGIMES[req.regime].restarts_on_proof:
            restarted_on = req.restarted_on = local_today(req.organisation, now)
            # The clock runs from the restart: days paused before it count no more.
            req.paused_days = 0
        req.status = Status.IN_PROGRESS
        _set_dates(req)
        req.save()
        _sync_route_dates(req)
        extra = {"restarted_on": restarted_on.isoformat()} if restarted_on else {}
        _event(req, by, "resumed", paused_days=days, note=note, **extra, **_dates(req))
    return request


def request_extend(*, request: Request, by: Actor, reason: str) -> Request:
    """Extend once, with reasons, before the first due date passes."""
    if not reason.strip():
        raise ValidationError({"reason": "Give the reasons the subject will be told."})
    with _locked(request, "extend", WORKING_STATUSES) as req:
        if req.extended_at is not None:
            raise TransitionError("This request was already extended; the law allows it once.")
        if req.extended_due_on is None:
            raise TransitionError(f"{req.regime} has no extension.", code="no_extension")
        today = local_today(req.organisation)
        if today > req.due_on:
            raise TransitionError(
                f"The first due date, {req.due_on.isoformat()}, has passed; an extension "
                "must be notified before it.",
                code="too_late",
            )
        req.extended_at = timezone.now()
        req.extension_reason = reason.strip()
        _set_dates(req)
        req.save()
        _sync_route_dates(req)
        _event(req, by, "extended", reason=req.extension_reason, **_dates(req))
    return request


def request_override_regime(*, request: Request, by: Actor, regime: str, reason: str) -> Request:
    if regime not in REGIMES:
        raise ValidationError(
            {"regime": f"Unknown regime {regime!r}; valid: {', '.join(sorted(REGIMES))}."}
        )
    if not reason.strip():
        raise ValidationError({"reason": "Say why the regime is overridden."})
    with _locked(request, "change the regime of", OPEN_STATUSES) as req:
        previous = req.regime
        req.regime = regime
        req.regime_reason = f"Set by staff: {reason.strip()}"
        _set_dates(req)
        req.save()
        _sync_route_dates(req)
        _event(
            req, by, "regime_overridden", regime=regime, previous=previous, reason=reason.strip()
        )
    return request


def request_complete(*, request: Request, by: Actor, note: str = "") -> Request:
    with _locked(request, "complete", [Status.NEW, Status.IN_PROGRESS]) as req:
        waiting = [
            route.scope.key
            for route in req.routes.select_related("scope")
            if route.status in (RouteStatus.PENDING, RouteStatus.NEEDS_CUSTOMER)
        ]
        if waiting:
            raise TransitionError(
                f"Routes still to act on: {', '.join(waiting)}. Mark them sent, done or not "
                "applicable first.",
                code="routes_open",
            )
        req.status = Status.COMPLETED
        req.closed_at = timezone.now()
        req.outcome_note = note
        req.save()
        _event(req, by, "completed", note=note)
    return request


def request_deny(*, request: Request, by: Actor, ground: str, note: str = "") -> Request:
    if ground not in DENIAL_GROUNDS:
        raise ValidationError(
            {"ground": f"Unknown ground {ground!r}; valid: {', '.join(DENIAL_GROUNDS)}."}
        )
    with _locked(request, "deny", OPEN_STATUSES) as req:
        req.status = Status.DENIED
        req.closed_at = timezone.now()
        req.denial_ground = ground
        req.outcome_note = note
        req.paused_since = None
        req.save()
        _event(req, by, "denied", ground=ground, note=note)
    return request


def denial_text(request: Request) -> str:
    """The words the subject reads for the request's ground of refusal, in the active
    language (the caller sets the subject's)."""
    ground = DENIAL_GROUNDS[request.denial_ground]
    organisation = request.organisation
    return gettext(ground.subject_text).format(
        organisation=organisation.name,
        authority=authority_words(organisation.authority_name),
        authority_url=organisation.authority_url or "",
    )


def request_withdraw(*, request: Request, by: Actor, note: str = "") -> Request:
    with _locked(request, "withdraw", OPEN_STATUSES) as req:
        req.status = Status.WITHDRAWN
        req.closed_at = timezone.now()
        req.outcome_note = note
        req.paused_since = None
        req.save()
        _event(req, by, "withdrawn", note=note)
    return request


def request_mark_duplicate(*, request: Request, by: Actor, of: Request | None = None) -> Request:
    """Close as a duplicate of ``of`` (default: the request it was flagged against)."""
    with _locked(request, "close as duplicate", OPEN_STATUSES) as req:
        original = of or req.possible_duplicate_of
        if original is None:
            raise TransitionError("Name the request this one duplicates.", code="no_original")
        # Point at the first request of a chain, never at another duplicate.
        seen = {req.pk}
        while original.status == Status.DUPLICATE and original.duplicate_of_id is not None:
            if original.pk in seen:
                break
            seen.add(original.pk)
            original = Request.objects.get(pk=original.duplicate_of_id)
        if original.pk == req.pk or original.organisation_id != req.organisation_id:
            raise TransitionError("A request duplicates another request of its organisation.")
        req.status = Status.DUPLICATE
        req.duplicate_of = original
        req.closed_at = timezone.now()
        req.paused_since = None
        req.save()
        _event(req, by, "marked_duplicate", of=original.reference)
    return request


def request_expire_unverified(*, request: Request, by: Actor | None = None) -> Request:
    """Close a request never confirmed, deleting the subject's personal data."""
    with _locked(request, "expire", [Status.UNVERIFIED]) as req:
        req.status = Status.EXPIRED
        req.closed_at = timezone.now()
        req.paused_since = None
        erase_personal_data(req)
        req.save()
        _event(req, by or Actor.system(), "expired")
    return request


def request_note(*, request: Request, by: Actor, text: str) -> Event:
    if not text.strip():
        raise ValidationError({"text": "Write the note."})
    with transaction.atomic():
        locked = Request.objects.select_for_update().get(pk=request.pk)
        return _event(locked, by, "note", text=text.strip())


def request_replan(*, request: Request, by: Actor) -> Request:
    """Plan again (a customer was added since): routes not yet acted on are replaced."""
    with _locked(request, "plan the routes of", OPEN_STATUSES) as req:
        acted = req.routes.exclude(status__in=[RouteStatus.PENDING, RouteStatus.NEEDS_CUSTOMER])
        if acted.exists():
            raise TransitionError("Some routes were already acted on; set their customer instead.")
        registry = DatabaseRegistry([req.organisation.slug])
        try:
            plan = plan_for(
                registry,
                organisation=req.organisation.slug,
                kinds=req.kinds,
                scopes=req.scope_keys or None,
                raw_identifiers=req.identifiers
                | ({"phone": req.subject_phone} if req.subject_phone else {}),
            )
        except (PlanningError, InvalidIdentifier) as error:
            raise _validation_from_planning(error) from None
        req.routes.all().delete()
        _insert_routes(_new_routes(req, plan, registry))
        _event(req, by, "routes_planned", routes=[r.scope for r in plan.routes])
    return request


# --- routes -------------------------------------------------------------------------------


@contextmanager
def _locked_route(route: Route, action: str, allowed: Sequence[str]) -> Iterator[Route]:
    with transaction.atomic():
        request = Request.objects.select_for_update().get(pk=route.request_id)
        if request.status not in WORKING_STATUSES:
            raise TransitionError(
                f"Cannot {action}: the request is {request.get_status_display()}."
            )
        locked = Route.objects.select_related("scope").get(pk=route.pk)
        if locked.status not in allowed:
            raise TransitionError(
                f"Cannot {action} a route that is {locked.get_status_display()}; allowed when "
                f"{', '.join(RouteStatus(s).label for s in allowed)}."
            )
        locked.request = request
        yield locked
        if request.status == Status.NEW:
            request.status = Status.IN_PROGRESS
            request.save(update_fields=["status", "updated_at"])
            _status_changed(request, Status.NEW)
    route.refresh_from_db()


def _route_step(
    route: Route, by: Actor, action: str, allowed: Sequence[str], apply: Callable[[Route], None]
) -> Route:
    with _locked_route(route, action, allowed) as locked:
        apply(locked)
        locked.save()
        _event(locked.request, by, f"route_{locked.status}", scope=locked.scope.key)
        if locked.status in (RouteStatus.SENT, RouteStatus.ACKNOWLEDGED):
            forwarded = locked.status == RouteStatus.SENT
            webhooks_emit(
                request=locked.request,
                event_type="route.forwarded" if forwarded else "route.acknowledged",
                data={"scope": locked.scope.key, "action": locked.action},
            )
    return route


def route_mark_sent(*, route: Route, by: Actor) -> Route:
    def apply(r: Route) -> None:
        r.status, r.sent_at = RouteStatus.SENT, timezone.now()

    return _route_step(route, by, "mark sent", [RouteStatus.PENDING], apply)


def route_mark_acknowledged(*, route: Route, by: Actor) -> Route:
    def apply(r: Route) -> None:
        r.status, r.acknowledged_at = RouteStatus.ACKNOWLEDGED, timezone.now()

    return _route_step(route, by, "mark acknowledged", [RouteStatus.SENT], apply)


def route_mark_done(*, route: Route, by: Actor) -> Route:
    def apply(r: Route) -> None:
        r.status, r.done_at = RouteStatus.DONE, timezone.now()

    allowed = [RouteStatus.PENDING, RouteStatus.SENT, RouteStatus.ACKNOWLEDGED]
    return _route_step(route, by, "mark done", allowed, apply)


def route_mark_not_applicable(*, route: Route, by: Actor) -> Route:
    def apply(r: Route) -> None:
        r.status = RouteStatus.NOT_APPLICABLE

    allowed = [RouteStatus.PENDING, RouteStatus.NEEDS_CUSTOMER]
    return _route_step(route, by, "mark not applicable", allowed, apply)


def route_set_customer(*, route: Route, customer: Customer, by: Actor) -> Route:
    """Resolve a route's target to a customer staff identified."""
    allowed = [RouteStatus.NEEDS_CUSTOMER, RouteStatus.PENDING]
    with _locked_route(route, "set the customer of", allowed) as locked:
        if locked.role != "processor":
            raise TransitionError("Only a processor scope's route goes to a customer.")
        if customer.organisation_id != locked.request.organisation_id:
            raise ValidationError({"customer": "Choose a customer of the request's organisation."})
        locked.customer = customer
        locked.target_type = "customer"
        locked.target_name = customer.name
        locked.target_email = customer.email
        locked.matched_by = "set by staff"
        locked.tasks = [t for t in locked.tasks if t.get("code") != "identify_customer"]
        locked.status = RouteStatus.PENDING
        locked.save()
        _event(
            locked.request, by, "route_customer_set", scope=locked.scope.key, customer=customer.name
        )
    return route


__all__ = [
    "CLOSED_STATUSES",
    "DENIAL_GROUNDS",
    "Received",
    "TransitionError",
    "denial_text",
    "request_assign",
    "request_complete",
    "request_deny",
    "request_expire_unverified",
    "request_extend",
    "request_mark_duplicate",
    "request_note",
    "request_override_regime",
    "request_pause",
    "request_receive",
    "request_replan",
    "request_resume",
    "request_verify",
    "request_withdraw",
    "route_mark_acknowledged",
    "route_mark_done",
    "route_mark_not_applicable",
    "route_mark_sent",
    "route_set_customer",
    "token_hash",
]
