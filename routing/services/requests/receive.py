"""A new request: checked field by field, planned, dated, stored with its routes, and
recorded, in a few named steps."""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from routing.clock import REGIMES, applicable_regime
from routing.domain.tokens import token_hash
from routing.identifiers import InvalidIdentifier, normalise_phone
from routing.models import Channel, EventType, Organisation, Request, RequestPart, Route, Status
from routing.planning import Plan, PlanningError
from routing.selectors.deadlines import local_today
from routing.selectors.planning import plan_for
from routing.selectors.registry import DatabaseRegistry
from routing.services.actors import Actor
from routing.services.consequences import Entry, events_record
from routing.services.requests.dates import request_parts, save_parts, set_dates
from routing.services.requests.references import next_reference
from routing.services.requests.routes import (
    forward,
    forward_entries,
    insert_routes,
    new_routes,
    validation_from_planning,
)

DUPLICATE_WINDOW = timedelta(days=30)


@dataclass(frozen=True)
class Received:
    request: Request
    # The status-page token, returned once: only its hash is stored.
    token: str
    # The routes as stored, in position order.
    routes: tuple[Route, ...] = ()
    # Its parts as stored, one per kind.
    parts: tuple[RequestPart, ...] = ()


@dataclass(frozen=True)
class _Checked:
    email: str
    country: str
    phone: str
    plan: Plan
    registry: DatabaseRegistry


# Candidates are read this many at a time, so a subject with a long history costs little.
_DUPLICATE_BATCH = 50


def find_duplicate(
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


def _check(
    organisation: Organisation,
    kinds: Sequence[str],
    subject: Mapping[str, str | None],
    scopes: Sequence[str] | None,
    identifiers: Mapping[str, str | None] | None,
    channel: str,
    regime: str | None,
) -> _Checked:
    """Every field checked, each error under its name; the routing plan of what is valid."""
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
            errors.update(validation_from_planning(error).message_dict)  # type: ignore[arg-type]
    if errors:
        raise ValidationError(errors)
    assert plan is not None
    return _Checked(email=email, country=country, phone=phone, plan=plan, registry=registry)


def _new_request(
    organisation: Organisation,
    checked: _Checked,
    subject: Mapping[str, str | None],
    *,
    by: Actor,
    scopes: Sequence[str] | None,
    identifiers: Mapping[str, str | None] | None,
    channel: str,
    received_at: datetime,
    details: str,
    verified: bool,
    regime: str | None,
    regime_reason: str,
    token: str,
) -> Request:
    """The unsaved request, its regime chosen and its dates computed."""
    if regime is None:
        regime, regime_reason = applicable_regime(
            organisation_country=organisation.country or None,
            organisation_default_regime=organisation.default_regime,
            subject_country=checked.country or None,
            subject_region=(subject.get("region") or None),
        )
    now = timezone.now()
    request = Request(
        organisation=organisation,
        status=Status.NEW if verified else Status.UNVERIFIED,
        channel=channel,
        kinds=list(checked.plan.kinds),
        scope_keys=list(scopes or []),
        subject_name=(subject.get("name") or "").strip(),
        subject_email=checked.email,
        subject_phone=checked.phone,
        subject_country=checked.country,
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
    set_dates(request)
    return request


def _receipt_entries(
    request: Request,
    by: Actor,
    plan: Plan,
    first_status: str,
    forwarded: list[Route],
    duplicate: Request | None,
    gpc: bool,
) -> list[Entry]:
    """The receipt's events, in the order the changes happened: received, forwarded, a
    suspected duplicate, the browser's privacy signal."""
    received = Entry(
        by,
        EventType.RECEIVED,
        {
            "channel": request.channel,
            "kinds": list(plan.kinds),
            "regime": request.regime,
            "routes": [{"scope": r.scope, "action": r.action} for r in plan.routes],
            "status": first_status,
        },
    )
    entries = [received, *forward_entries(forwarded)]
    if duplicate is not None:
        entries.append(
            Entry(Actor.system(), EventType.DUPLICATE_SUSPECTED, {"of": duplicate.reference})
        )
    if gpc:
        # A Global Privacy Control signal is itself a valid opt-out under the CCPA; the
        # audit trail keeps the fact that the browser sent it.
        entries.append(Entry(by, EventType.GPC_SIGNAL, {"header": "Sec-GPC: 1"}))
    return entries


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
    confirm_address: bool = False,
    gpc: bool = False,
) -> Received:
    """Store a new request with its routes and dates.

    ``subject`` holds name, email, phone, country, region and language. Raises
    ValidationError keyed by field (``kinds``, ``scopes``, ``email``, ``phone``, ...) and
    stores nothing when any field is wrong. An unverified request's clock is paused
    until the subject confirms, where the regime allows it; ``confirm_address`` sends
    the subject the link to confirm it (the web form). A verified request's forwards go
    to their customers with it, and the subject gets the acknowledgement.
    """
    checked = _check(organisation, kinds, subject, scopes, identifiers, channel, regime)
    received_at = received_at or timezone.now()
    token = secrets.token_urlsafe(32)
    request = _new_request(
        organisation, checked, subject, by=by, scopes=scopes, identifiers=identifiers,
        channel=channel, received_at=received_at, details=details, verified=verified,
        regime=regime, regime_reason=regime_reason, token=token,
    )  # fmt: skip
    routes = new_routes(request, checked.plan, checked.registry)
    forwarded = forward(routes, request, timezone.now()) if verified else []
    # Read before the transaction: the lock on the reference counter is held to its end.
    duplicate = find_duplicate(
        organisation_id=organisation.pk, email=checked.email, phone=checked.phone,
        kinds=checked.plan.kinds, received_at=received_at,
    )  # fmt: skip
    first_status = request.status
    with transaction.atomic():
        # The year the request was received where the organisation is, as its dates are.
        request.reference = next_reference(
            organisation, local_today(organisation, received_at).year
        )
        if forwarded:
            request.status = Status.IN_PROGRESS
        request.possible_duplicate_of = duplicate
        request.save()
        save_parts(request)
        insert_routes(routes)
        entries = _receipt_entries(
            request, by, checked.plan, first_status, forwarded, duplicate, gpc
        )
        extra = {"token": token, "routes": routes, "confirm": confirm_address}
        events_record(request, entries, status_before=first_status, extra=extra, new=True)
    return Received(
        request=request, token=token, routes=tuple(routes), parts=tuple(request_parts(request))
    )
