"""The request's moves, one service each: lock, check the transition table, change the
row, recompute its dates, then record the event, which sends what it causes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from routing.clock import REGIMES
from routing.domain.denials import DENIAL_GROUNDS, IDENTITY_GROUND
from routing.domain.transitions import TRANSITIONS, TransitionError
from routing.identifiers import InvalidIdentifier
from routing.models import (
    Event,
    EventType,
    PartStatus,
    Request,
    RouteStatus,
    Status,
    WaitingFor,
)
from routing.planning import PlanningError
from routing.selectors.deadlines import local_today
from routing.selectors.identity import identity_asked
from routing.selectors.planning import plan_for
from routing.selectors.registry import DatabaseRegistry
from routing.selectors.staff import is_assignable
from routing.services.actors import Actor
from routing.services.consequences import Entry, event_record, events_record
from routing.services.downloads import downloads_answer_ready
from routing.services.identity_proofs import CLOSED, SETTLED, identity_proofs_discard
from routing.services.recipients import recipients_notify
from routing.services.requests.dates import (
    close_pause,
    dates_data,
    request_parts,
    save_parts,
    set_dates,
    sync_route_dates,
)
from routing.services.requests.locking import locked
from routing.services.requests.parts import (
    chosen_parts,
    close_parts,
    extend_parts,
    kinds_data,
    open_parts,
)
from routing.services.requests.routes import (
    forward,
    forward_entries,
    insert_routes,
    new_routes,
    save_forwarded,
    validation_from_planning,
)
from routing.services.retention import erase_personal_data


def _start_work(request: Request) -> None:
    if request.status == Status.NEW:
        request.status = Status.IN_PROGRESS


def _close(request: Request, action: str, part_status: str = PartStatus.CLOSED) -> None:
    """Close the request and its open parts (their dates stay as they were)."""
    request.status = str(TRANSITIONS[action].to)
    request.closed_at = timezone.now()
    request.paused_since = None
    close_parts(open_parts(request), part_status, request.closed_at)


def request_verify(
    *, request: Request, by: Actor, method: str = "email", token: str | None = None
) -> Request:
    """Verify, and forward what can go to customers now. ``token``: the status-page token
    the subject's confirmation link carried, for the acknowledgement's status link."""
    with locked(request, "verify") as found:
        req, now = found.request, timezone.now()
        paused = close_pause(req, now)
        req.status = Status.NEW
        req.verified_at = now
        req.verification = method
        set_dates(req)
        req.save()
        save_parts(req)
        sync_route_dates(req)
        # Forwarded before the events are written, so the acknowledgement says where each
        # part went.
        routes = list(req.routes.select_related("scope", "customer").order_by("position"))
        forwarded = forward(routes, req, now)
        if forwarded:
            save_forwarded(forwarded)
            req.status = Status.IN_PROGRESS
            req.save(update_fields=["status", "updated_at"])
        verified = Entry(
            by, EventType.VERIFIED, {"method": method, "paused_days": paused, **dates_data(req)}
        )
        events_record(
            req,
            [verified, *forward_entries(forwarded)],
            status_before=found.status_before,
            extra={"token": token} if token else None,
        )
        identity_proofs_discard(req, by, SETTLED)
    return request


def request_assign(*, request: Request, assignee: Any, by: Actor) -> Request:
    if assignee is not None and not is_assignable(assignee, request.organisation_id):
        raise ValidationError(
            {"assignee": "Choose an active staff member of the request's organisation."}
        )
    with locked(request, "assign") as found:
        req = found.request
        previous = req.assignee.get_username() if req.assignee else None
        req.assignee = assignee
        _start_work(req)
        req.save()
        event_record(
            req,
            by,
            EventType.ASSIGNED,
            status_before=found.status_before,
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
    with locked(request, "pause") as found:
        req = found.request
        req.status = Status.AWAITING_SUBJECT
        req.paused_since = timezone.now()
        req.pause_reason = reason.strip()[:300]
        req.waiting_for = waiting_for
        req.save()
        event_record(
            req,
            by,
            EventType.PAUSED,
            status_before=found.status_before,
            reason=req.pause_reason,
            waiting_for=waiting_for,
        )
    return request


def request_resume(*, request: Request, by: Actor, note: str = "") -> Request:
    """Restart the clock. Under a regime with a "relevant time" (UK GDPR), a proof of
    identity that was asked for starts the clock afresh from the day it arrives."""
    with locked(request, "resume") as found:
        req, now = found.request, timezone.now()
        identity = req.waiting_for == WaitingFor.IDENTITY
        days = close_pause(req, now)
        restarted_on = None
        if identity and REGIMES[req.regime].restarts_on_proof:
            restarted_on = req.restarted_on = local_today(req.organisation, now)
            # The clock runs from the restart: days paused before it count no more.
            req.paused_days = 0
        req.status = Status.IN_PROGRESS
        set_dates(req)
        req.save()
        save_parts(req)
        sync_route_dates(req)
        restart: dict[str, Any] = {"restarted_on": restarted_on.isoformat()} if restarted_on else {}
        event_record(
            req,
            by,
            EventType.RESUMED,
            status_before=found.status_before,
            paused_days=days,
            note=note,
            **restart,
            **dates_data(req),
        )
        if identity and by != Actor.subject():  # the subject's answer settles nothing
            identity_proofs_discard(req, by, SETTLED)
    return request


def request_extend(
    *, request: Request, by: Actor, reason: str, kinds: Sequence[str] | None = None
) -> Request:
    """Extend once, with reasons, before the first due date passes: the named parts, or
    every open part that can still be extended."""
    if not reason.strip():
        raise ValidationError({"reason": "Give the reasons the subject will be told."})
    with locked(request, "extend") as found:
        req = found.request
        parts = extend_parts(req, kinds, reason.strip(), timezone.now())
        set_dates(req)
        req.save()
        save_parts(req)
        sync_route_dates(req)
        event_record(
            req,
            by,
            EventType.EXTENDED,
            reason=reason.strip(),
            **kinds_data(req, parts),
            **dates_data(req),
        )
    return request


def request_override_regime(*, request: Request, by: Actor, regime: str, reason: str) -> Request:
    if regime not in REGIMES:
        raise ValidationError(
            {"regime": f"Unknown regime {regime!r}; valid: {', '.join(sorted(REGIMES))}."}
        )
    if not reason.strip():
        raise ValidationError({"reason": "Say why the regime is overridden."})
    with locked(request, "regime") as found:
        req = found.request
        previous = req.regime
        req.regime = regime
        req.regime_reason = f"Set by staff: {reason.strip()}"
        set_dates(req)
        req.save()
        save_parts(req)
        sync_route_dates(req)
        event_record(
            req,
            by,
            EventType.REGIME_OVERRIDDEN,
            regime=regime,
            previous=previous,
            reason=reason.strip(),
        )
    return request


def request_complete(
    *, request: Request, by: Actor, note: str = "", kinds: Sequence[str] | None = None
) -> Request:
    """Complete the named parts (every open part when ``kinds`` is absent); the request is
    completed with its last open part, and until then is due with its earliest open one."""
    with locked(request, "complete") as found:
        req, now = found.request, timezone.now()
        parts = chosen_parts(req, kinds)
        last = len(parts) == len(open_parts(req))
        waiting = [
            route.scope.key
            for route in req.routes.select_related("scope")
            if route.status in (RouteStatus.PENDING, RouteStatus.NEEDS_CUSTOMER)
        ]
        if waiting and last:
            raise TransitionError(
                f"Routes still to act on: {', '.join(waiting)}. Mark them sent, done or not "
                "applicable first.",
                code="routes_open",
            )
        close_parts(parts, PartStatus.DONE, now)
        if last:
            req.status = Status.COMPLETED
            req.closed_at = now
            req.outcome_note = note
            identity_proofs_discard(req, by, CLOSED)
        else:
            _start_work(req)
        set_dates(req)
        req.save()
        save_parts(req)
        sync_route_dates(req)
        event_record(
            req,
            by,
            EventType.COMPLETED,
            status_before=found.status_before,
            note=note,
            **kinds_data(req, parts),
        )
        downloads_answer_ready(request=req, by=by, kinds=[part.kind for part in parts])
        recipients_notify(request=req, by=by, kinds=[part.kind for part in parts])
    return request


def request_deny(*, request: Request, by: Actor, ground: str, note: str = "") -> Request:
    if ground not in DENIAL_GROUNDS:
        raise ValidationError(
            {"ground": f"Unknown ground {ground!r}; valid: {', '.join(DENIAL_GROUNDS)}."}
        )
    with locked(request, "deny") as found:
        req = found.request
        if ground == IDENTITY_GROUND and not identity_asked(req):
            raise ValidationError(
                {
                    "ground": "The subject was never asked for proof of identity: pause the "
                    "request for identity first, or choose another ground."
                }
            )
        _close(req, "deny", PartStatus.REFUSED)
        for part in request_parts(req):
            if part.status == PartStatus.REFUSED and not part.denial_ground:
                part.denial_ground = ground
        req.denial_ground = ground
        req.outcome_note = note
        req.save()
        save_parts(req)
        event_record(
            req, by, EventType.DENIED, status_before=found.status_before, ground=ground, note=note
        )
        identity_proofs_discard(req, by, CLOSED)
    return request


def request_withdraw(*, request: Request, by: Actor, note: str = "") -> Request:
    with locked(request, "withdraw") as found:
        req = found.request
        _close(req, "withdraw")
        req.outcome_note = note
        req.save()
        save_parts(req)
        event_record(req, by, EventType.WITHDRAWN, status_before=found.status_before, note=note)
        identity_proofs_discard(req, by, CLOSED)
    return request


def request_mark_duplicate(*, request: Request, by: Actor, of: Request | None = None) -> Request:
    """Close as a duplicate of ``of`` (default: the request it was flagged against)."""
    with locked(request, "duplicate") as found:
        req = found.request
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
        if original.pk == req.pk:
            raise TransitionError(
                f"{req.reference} cannot be a duplicate of itself: name the earlier request.",
                code="self_duplicate",
            )
        if original.organisation_id != req.organisation_id:
            raise TransitionError("A request duplicates another request of its organisation.")
        _close(req, "duplicate")
        req.duplicate_of = original
        req.save()
        save_parts(req)
        event_record(
            req,
            by,
            EventType.MARKED_DUPLICATE,
            status_before=found.status_before,
            of=original.reference,
        )
        identity_proofs_discard(req, by, CLOSED)
    return request


def request_expire_unverified(*, request: Request, by: Actor | None = None) -> Request:
    """Close a request never confirmed, deleting the subject's personal data."""
    with locked(request, "expire") as found:
        req = found.request
        _close(req, "expire")
        erase_personal_data(req)
        req.save()
        save_parts(req)
        event_record(
            req, by or Actor.system(), EventType.EXPIRED, status_before=found.status_before
        )
        identity_proofs_discard(req, by or Actor.system(), CLOSED)
    return request


def request_note(*, request: Request, by: Actor, text: str) -> Event:
    if not text.strip():
        raise ValidationError({"text": "Write the note."})
    with transaction.atomic():
        row = Request.objects.select_for_update().get(pk=request.pk)
        return event_record(row, by, EventType.NOTE, text=text.strip())


def request_replan(*, request: Request, by: Actor) -> Request:
    """Plan again (a customer was added since): routes not yet acted on are replaced."""
    with locked(request, "replan") as found:
        req = found.request
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
            raise validation_from_planning(error) from None
        req.routes.all().delete()
        insert_routes(new_routes(req, plan, registry))
        event_record(req, by, EventType.ROUTES_PLANNED, routes=[r.scope for r in plan.routes])
    return request
