"""Clock inputs built from the registry: an organisation's zone, calendar and promises."""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime

from django.utils import timezone

from routing.clock import ClockInput, Commitment, Deadlines, compute_deadlines
from routing.models import Organisation, Request


def organisation_commitments(organisation: Organisation) -> tuple[Commitment, ...]:
    return tuple(Commitment.from_dict(item) for item in organisation.commitments)


def clock_input_for(
    organisation: Organisation,
    *,
    received_at: datetime,
    regime: str | None = None,
    kind: str | None = None,
    paused_days: int = 0,
    regime_reason: str = "",
) -> ClockInput:
    return ClockInput(
        regime=regime or organisation.default_regime,
        timezone=organisation.timezone,
        received_at=received_at,
        country=organisation.holiday_country or None,
        subdivision=organisation.holiday_subdivision or None,
        kind=kind,
        paused_days=paused_days,
        commitments=organisation_commitments(organisation),
        forward_working_days=organisation.forward_within_working_days,
        regime_reason=regime_reason
        or f"{organisation.name}'s default regime is {regime or organisation.default_regime}.",
    )


def kind_deadlines(request: Request, *, paused_days: int | None = None) -> dict[str, Deadlines]:
    """The clock for each kind of a stored request (a part each); "" for a request with
    no kind, which the clock reads as any kind."""
    organisation = request.organisation
    commitments = organisation_commitments(organisation)
    return {
        kind or "": compute_deadlines(
            ClockInput(
                regime=request.regime,
                timezone=organisation.timezone,
                received_at=request.received_at,
                country=organisation.holiday_country or None,
                subdivision=organisation.holiday_subdivision or None,
                kind=kind,
                paused_days=request.paused_days if paused_days is None else paused_days,
                restarted_on=request.restarted_on,
                commitments=commitments,
                forward_working_days=organisation.forward_within_working_days,
                regime_reason=request.regime_reason,
            )
        )
        for kind in (request.kinds or [None])
    }


def request_deadlines(request: Request, *, paused_days: int | None = None) -> Deadlines:
    """The clock for a stored request: of its kinds, the one due first binds."""
    results = kind_deadlines(request, paused_days=paused_days).values()
    return min(results, key=lambda d: (d.due_on, d.extended_due_on or d.due_on))


def local_today(organisation: Organisation, now: datetime | None = None) -> date:
    """Today's date where the organisation is: deadlines end at midnight there."""
    moment = now or timezone.now()
    return moment.astimezone(zoneinfo.ZoneInfo(organisation.timezone)).date()
