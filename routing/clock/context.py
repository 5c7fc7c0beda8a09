"""The opening steps of an explanation: the regime, the request's kind and the calendars."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from .calendars import WorkCalendar, work_calendar
from .explain import Explainer
from .inputs import ClockInput
from .regimes import REGIMES, Regime


def choose_calendars(
    regime: Regime, clock: ClockInput, out: Explainer
) -> tuple[WorkCalendar, WorkCalendar]:
    """(the calendar for the law's dates, the organisation's calendar for forwarding)."""
    default = regime.calendar
    if clock.country is not None:
        subdivision = clock.subdivision
        # "GB" under UK GDPR means England and Wales, "US" under the CCPA California.
        if subdivision is None and default is not None and default[0] == clock.country:
            subdivision = default[1]
        organisation = work_calendar(clock.country, subdivision)
        origin = "the organisation's calendar"
    elif default is not None:
        organisation = work_calendar(*default)
        origin = f"the organisation names none, so {out.name}'s default"
    else:
        organisation = work_calendar(None, None)
        origin = f"the organisation names none and {out.name} has no default"

    if regime.calendar_fixed and default is not None:
        law = work_calendar(*default)
        text = f"{out.name} business days are counted on the {law.label} calendar."
        if law != organisation:
            text += f" Forwarding uses {organisation.label} ({origin})."
    else:
        law = organisation
        if organisation.country is None:
            text = f"Working days are Monday to Friday, with no public holidays ({origin})."
        else:
            text = (
                f"Working days are Monday to Friday, except public holidays of "
                f"{organisation.label} ({origin})."
            )
    out.add("calendar", "calendar", text)
    return law, organisation


@lru_cache(maxsize=64)
def _regime_summary(key: str) -> str:
    regime = REGIMES[key]
    extension = (
        f", extendable once by a further {regime.extension.describe()}"
        if regime.extension
        else ", with no extension"
    )
    return (
        f"Regime: {regime.name} ({regime.short_name}, table version {regime.version}): "
        f"{regime.response.describe()} from receipt{extension}. "
        f"Sources: {'; '.join(regime.sources)}."
    )


def describe_regime(regime: Regime, clock: ClockInput, received_on: date, out: Explainer) -> None:
    text = _regime_summary(regime.key)
    if clock.regime_reason:
        text += f" Why it applies: {clock.regime_reason}"
    out.add("regime", "regime", text)
    if received_on < regime.effective:
        out.add(
            "regime",
            "before_effective",
            f"The request was received before {out.name} took effect "
            f"({regime.effective.isoformat()}); its rules are applied as they stand.",
        )


def describe_kind(regime: Regime, kind: str, calendar: WorkCalendar, out: Explainer) -> None:
    label = regime.label(kind)
    if label is None:
        out.add(
            "kind",
            "kind_not_named",
            f"{out.name} names no right for the kind '{kind}'; its general period applies.",
        )
    else:
        out.add("kind", "kind", f"Request kind: {kind}, which {out.name} calls: {label}.")
    if kind == "post_mortem" and calendar.country != "FR":
        out.add(
            "kind",
            "kind_note",
            "Post-mortem directives are a French right (Law 78-17 Art. 85); "
            "the organisation's calendar is not French.",
        )
    if kind == "marketing_objection":
        out.add(
            "kind",
            "suppress_at_once",
            "Marketing objection: contact stops at once (suppression takes effect when the "
            "request is accepted); the written answer follows the deadline below.",
        )
