"""Clock inputs built from the registry: an organisation's zone, calendar and promises."""

from __future__ import annotations

from datetime import datetime

from routing.clock import ClockInput, Commitment
from routing.models import Organisation


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
