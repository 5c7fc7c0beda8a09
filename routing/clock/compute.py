"""The deadline computation: ``compute_deadlines(ClockInput) -> Deadlines``.

Pure: the same input always gives the same dates and the same explanation, with no
clock, database or network. Every date is a calendar date in the organisation's zone;
the request is due by the end of that day there (deadlines.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, NamedTuple

from .calendars import (
    WEEKDAY_NAMES,
    Skipped,
    WorkCalendar,
    add_working_days,
    roll_forward,
    work_calendar,
    zone,
)
from .inputs import ClockInput, Commitment
from .regimes import REGIMES, Period, Regime

_ONE_DAY = timedelta(days=1)
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_ORDINALS = ("zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh")


class Step(NamedTuple):
    """One sentence of the explanation: which date it concerns, a stable code, the text.

    A named tuple rather than a dataclass: a computation makes a dozen or more, and
    tuples are immutable and cheap to build.

    Codes: received_date, regime, before_effective, kind, kind_not_named, kind_note,
    suppress_at_once, calendar, acknowledge, no_acknowledgement, opt_out, opt_out_is_due,
    restarted, restart_ignored, pause_ignored, month_added, day_clamped, days_added,
    paused_days_added, weekend_skipped, holiday_skipped, not_moved, commitment,
    commitment_not_applicable, commitment_applied, law_kept, due, refusal_by, extension,
    no_extension, extended_due, forward.
    """

    field: str
    code: str
    text: str


@dataclass(frozen=True)
class Deadlines:
    """The dates of one request, and the steps that produced them."""

    regime: str
    received_on: date
    acknowledge_by: date | None
    due_on: date
    extended_due_on: date | None
    opt_out_due_on: date | None
    forward_due_on: date
    steps: tuple[Step, ...]

    def explanation(self) -> list[str]:
        """Plain sentences, in the order the dates were worked out."""
        return [step.text for step in self.steps]

    def as_json(self) -> dict[str, Any]:
        """What integrations receive: dates as YYYY-MM-DD (or None) and the explanation."""

        def iso(day: date | None) -> str | None:
            return None if day is None else day.isoformat()

        return {
            "regime": self.regime,
            "received_on": iso(self.received_on),
            "acknowledge_by": iso(self.acknowledge_by),
            "due_on": iso(self.due_on),
            "extended_due_on": iso(self.extended_due_on),
            "opt_out_due_on": iso(self.opt_out_due_on),
            "forward_due_on": iso(self.forward_due_on),
            "explanation": self.explanation(),
        }


def _day(day: date) -> str:
    return f"{day.isoformat()} ({WEEKDAY_NAMES[day.weekday()]})"


def _month(day: date) -> str:
    # Not strftime("%B"): that follows the process locale.
    return f"{_MONTHS[day.month - 1]} {day.year}"


def _ordinal(n: int) -> str:
    if n < len(_ORDINALS):
        return _ORDINALS[n]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def _quoted(commitment: Commitment) -> str:
    source = f" ({commitment.source})" if commitment.source else ""
    return f"“{commitment.label}”{source}"


class _Explainer:
    """Collects the steps of one computation."""

    __slots__ = ("name", "steps")

    def __init__(self, regime: Regime) -> None:
        self.name = regime.short_name
        self.steps: list[Step] = []

    def add(self, field: str, code: str, text: str) -> None:
        self.steps.append(Step(field, code, text))

    def moves(self, field: str, passed: tuple[Skipped, ...], source: str) -> None:
        for skipped in passed:
            after = (skipped.day + _ONE_DAY).isoformat()
            if skipped.is_weekend:
                holiday = f" and a public holiday ({skipped.holiday})" if skipped.holiday else ""
                self.add(
                    field,
                    "weekend_skipped",
                    f"{skipped.day.isoformat()} is a {skipped.weekday}{holiday}; "
                    f"moved to {after} ({source}).",
                )
            else:
                self.add(
                    field,
                    "holiday_skipped",
                    f"{skipped.day.isoformat()} is a public holiday ({skipped.holiday}); "
                    f"moved to {after} ({source}).",
                )

    def holidays_not_counted(
        self, field: str, passed: tuple[Skipped, ...], unit: str = "business day"
    ) -> None:
        for skipped in passed:
            self.add(
                field,
                "holiday_skipped",
                f"{skipped.day.isoformat()} is a public holiday ({skipped.holiday}) "
                f"and is not counted as a {unit}.",
            )


def _period_end(
    out: _Explainer,
    field: str,
    start: date,
    period: Period,
    paused: int,
    regime: Regime,
    calendar: WorkCalendar,
) -> date:
    """``start`` + ``period`` (rule 1), + paused days (rule 5), then the move (rule 2)."""
    end, clamped = period.add_to(start)
    if period.months:
        if clamped:
            out.add(
                field,
                "month_added",
                f"{start.isoformat()} plus {period.describe()} reaches {_month(end)}.",
            )
            out.add(
                field,
                "day_clamped",
                f"{_month(end)} has no day {start.day}, so the last day of the month, "
                f"{end.isoformat()}, is used.",
            )
        else:
            out.add(
                field,
                "month_added",
                f"{start.isoformat()} plus {period.describe()} is {end.isoformat()}.",
            )
    else:
        out.add(
            field,
            "days_added",
            f"{start.isoformat()} plus {period.days} calendar days (the received day not "
            f"counted) is {end.isoformat()}.",
        )
    if paused:
        end += timedelta(days=paused)
        out.add(
            field,
            "paused_days_added",
            f"The clock was stopped for {_days(paused)} (waiting for proof of identity or "
            f"for clarification); the date moves to {end.isoformat()}.",
        )
    if regime.moves_to_working_day:
        end, passed = roll_forward(end, calendar)
        out.moves(field, passed, regime.move_source)
    elif not calendar.is_working_day(end):
        holiday = calendar.holiday(end)
        what = f"a public holiday ({holiday})" if holiday else f"a {WEEKDAY_NAMES[end.weekday()]}"
        out.add(
            field,
            "not_moved",
            f"{end.isoformat()} is {what}; " + regime.no_move_note.format(name=out.name) + ".",
        )
    return end


def _calendars(
    regime: Regime, clock: ClockInput, out: _Explainer
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


def _describe_regime(regime: Regime, clock: ClockInput, received_on: date, out: _Explainer) -> None:
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


def _describe_kind(regime: Regime, kind: str, calendar: WorkCalendar, out: _Explainer) -> None:
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


def _apply_commitments(
    clock: ClockInput,
    regime: Regime,
    start: date,
    paused: int,
    calendar: WorkCalendar,
    legal_due: date,
    out: _Explainer,
) -> date:
    """The earliest of the legal deadline and each applicable commitment.

    A promise is made under the law it serves and is read with that law's rules: it
    starts where the legal clock starts, is lengthened by the same paused days and moves
    off a non-working day when the law's dates do. So a policy that restates the law
    ("one month", Callkom §9.2) never lands on an earlier date than the law, and only a
    genuinely shorter promise (30 days under GDPR) sets the due date.
    """
    best: tuple[date, Commitment] | None = None
    for commitment in clock.commitments:
        if not commitment.covers_regime(regime.key):
            covered = ", ".join(sorted(commitment.regimes or ()))
            out.add(
                "due_on",
                "commitment_not_applicable",
                f"Commitment {_quoted(commitment)} covers {covered} only; "
                f"it does not apply under {out.name}.",
            )
            continue
        if not commitment.covers_kind(clock.kind):
            covered = ", ".join(sorted(commitment.kinds or ()))
            out.add(
                "due_on",
                "commitment_not_applicable",
                f"Commitment {_quoted(commitment)} covers {covered} requests only; "
                f"it does not apply to {clock.kind}.",
            )
            continue
        end, _ = commitment.period.add_to(start)
        text = (
            f"Commitment {_quoted(commitment)}: {commitment.period.describe()} after "
            f"{start.isoformat()} is {end.isoformat()}"
        )
        if paused:
            end += timedelta(days=paused)
            text += f", plus {_days(paused)} paused, {end.isoformat()}"
        if regime.moves_to_working_day and not calendar.is_working_day(end):
            end, passed = roll_forward(end, calendar)
            reasons = ", ".join(
                f"{skipped.day.isoformat()} is "
                + (
                    f"a public holiday ({skipped.holiday})"
                    if skipped.holiday
                    else f"a {WEEKDAY_NAMES[skipped.day.weekday()]}"
                )
                for skipped in passed
            )
            text += f"; {reasons}, so like the law's date it moves to {end.isoformat()}"
        text += "."
        if commitment.kinds is not None and clock.kind is None:
            text += " The request's kind is not given, so the commitment is counted."
        out.add("due_on", "commitment", text)
        if best is None or end < best[0]:
            best = (end, commitment)
    if best is None:
        return legal_due
    end, commitment = best
    if end < legal_due:
        out.add(
            "due_on",
            "commitment_applied",
            f"The commitment {_quoted(commitment)} ({end.isoformat()}) is earlier than the "
            f"legal deadline ({legal_due.isoformat()}), so it sets the due date.",
        )
        return end
    out.add(
        "due_on",
        "law_kept",
        f"The legal deadline ({legal_due.isoformat()}) is not later than any applicable "
        "commitment, so it is kept.",
    )
    return legal_due


def compute_deadlines(clock: ClockInput) -> Deadlines:
    """Every date of one request (deadlines.md), with its explanation.

    Raises ValueError naming the field for an input the clock cannot use (a restart
    before the received date, for instance); ``ClockInput`` checks the rest.
    """
    regime = REGIMES[clock.regime]
    out = _Explainer(regime)
    name = out.name
    tz = zone(clock.timezone)
    local = clock.received_at.astimezone(tz)
    received_on = local.date()
    out.add(
        "received_on",
        "received_date",
        f"Received at {clock.received_at.isoformat()}; in {clock.timezone} that is "
        f"{local:%H:%M} on {_day(received_on)}, so dates are counted from {received_on}.",
    )
    _describe_regime(regime, clock, received_on, out)
    law_calendar, organisation_calendar = _calendars(regime, clock, out)
    kind = clock.kind
    if kind is not None:
        _describe_kind(regime, kind, organisation_calendar, out)
    is_opt_out = kind is not None and kind in regime.opt_out_kinds

    # Acknowledgement (CCPA: 10 business days, the received day not counted).
    acknowledge_by: date | None = None
    if regime.acknowledge_business_days:
        if is_opt_out:
            out.add(
                "acknowledge_by",
                "no_acknowledgement",
                f"No acknowledgement is needed for an opt-out request ({regime.opt_out_source}).",
            )
        elif kind is None or kind in regime.acknowledge_kinds:
            count = regime.acknowledge_business_days
            acknowledge_by, passed = add_working_days(received_on, count, law_calendar)
            out.holidays_not_counted("acknowledge_by", passed)
            out.add(
                "acknowledge_by",
                "acknowledge",
                f"Acknowledge within {count} business days of {received_on.isoformat()}, "
                f"the received day not counted ({regime.acknowledge_source}): "
                f"by {_day(acknowledge_by)}.",
            )

    # Opt-out of sale/sharing and limiting sensitive data: computed for every request
    # under a regime that has the rule, since any request may carry such an opt-out.
    opt_out_due_on: date | None = None
    if regime.opt_out_business_days:
        count = regime.opt_out_business_days
        opt_out_due_on, passed = add_working_days(received_on, count, law_calendar)
        out.holidays_not_counted("opt_out_due_on", passed)
        out.add(
            "opt_out_due_on",
            "opt_out",
            f"An opt-out of sale or sharing, or a request to limit sensitive data, is "
            f"complied with within {count} business days ({regime.opt_out_source}): "
            f"by {_day(opt_out_due_on)}.",
        )

    # Where the legal clock starts: the received date, or UK GDPR's "relevant time".
    start = received_on
    restart = clock.restarted_on
    if restart is not None:
        if restart < received_on:
            raise ValueError(
                f"restarted_on: {restart.isoformat()} is before the received date "
                f"{received_on.isoformat()}"
            )
        if regime.restarts_on_proof:
            start = restart
            out.add(
                "due_on",
                "restarted",
                f"The proof of identity asked for arrived on {restart.isoformat()}: under "
                f"{name} the clock starts afresh from that date (the 'relevant time').",
            )
        else:
            out.add(
                "due_on",
                "restart_ignored",
                f"{name} has no 'relevant time' restart; the clock runs from the received date.",
            )
    paused = clock.paused_days if regime.pause_stops(kind) else 0
    if clock.paused_days and not regime.pauses_clock:
        out.add(
            "due_on",
            "pause_ignored",
            regime.pause_note.format(name=name)
            + f"; the {_days(clock.paused_days)} paused are not added.",
        )
    elif clock.paused_days and not paused and kind is not None:
        stopping = ", ".join(regime.label(k) or k for k in sorted(regime.pause_kinds or ()))
        out.add(
            "due_on",
            "pause_ignored",
            f"Under {name} waiting for a clarification stops the clock only for "
            f"{stopping} ({regime.pause_kinds_source}), not for "
            f"{regime.label(kind) or kind}; the {_days(clock.paused_days)} paused are "
            "not added.",
        )

    if is_opt_out and opt_out_due_on is not None:
        legal_due = opt_out_due_on
        out.add(
            "due_on",
            "opt_out_is_due",
            f"For an opt-out request the opt-out date, {opt_out_due_on.isoformat()}, is also "
            "the due date; no identity verification may be demanded.",
        )
    else:
        legal_due = _period_end(out, "due_on", start, regime.response, paused, regime, law_calendar)
    due_on = _apply_commitments(clock, regime, start, paused, law_calendar, legal_due, out)
    out.add("due_on", "due", f"Due on {_day(due_on)}, by the end of that day in {clock.timezone}.")
    if regime.refusal_source:
        out.add(
            "due_on",
            "refusal_by",
            f"A refusal, with reasons and the right to complain to the authority and to a "
            f"judicial remedy, is due by {legal_due.isoformat()} at the latest "
            f"({regime.refusal_source}).",
        )

    extended_due_on: date | None = None
    if regime.extension is not None and not is_opt_out:
        out.add(
            "extended_due_on",
            "extension",
            f"Extension ({regime.extension_source}): once, by a further "
            f"{regime.extension.describe()}, "
            f"counted from {start.isoformat()}, not from the first due date.",
        )
        extended_due_on = _period_end(
            out,
            "extended_due_on",
            start,
            regime.response.plus(regime.extension),
            paused,
            regime,
            law_calendar,
        )
        out.add(
            "extended_due_on",
            "extended_due",
            f"Extended due on {_day(extended_due_on)}, if the subject is told, with reasons, "
            f"by {legal_due.isoformat()}; an extension notified later is refused.",
        )
    elif regime.extension is not None:
        out.add(
            "extended_due_on",
            "no_extension",
            f"No extension applies to an opt-out request ({regime.opt_out_source}).",
        )

    count = clock.forward_working_days
    forward_due_on, passed = add_working_days(received_on, count, organisation_calendar)
    out.holidays_not_counted("forward_due_on", passed, "working day")
    out.add(
        "forward_due_on",
        "forward",
        f"Forwarding without delay: by the end of the {_ordinal(count)} working day after "
        f"{received_on.isoformat()} ({organisation_calendar.label}), {_day(forward_due_on)}.",
    )

    return Deadlines(
        regime=regime.key,
        received_on=received_on,
        acknowledge_by=acknowledge_by,
        due_on=due_on,
        extended_due_on=extended_due_on,
        opt_out_due_on=opt_out_due_on,
        forward_due_on=forward_due_on,
        steps=tuple(out.steps),
    )
