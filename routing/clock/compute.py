"""The deadline computation: ``compute_deadlines(ClockInput) -> Deadlines``.

Pure: the same input always gives the same dates and the same explanation, with no
clock, database or network. Every date is a calendar date in the organisation's zone;
the request is due by the end of that day there (deadlines.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from .calendars import add_working_days, zone
from .commitments import apply_commitments
from .context import choose_calendars, describe_kind, describe_regime
from .explain import Explainer, Step, day_count, ordinal, weekday_date
from .inputs import ClockInput
from .periods import period_end
from .regimes import REGIMES


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


def compute_deadlines(clock: ClockInput) -> Deadlines:
    """Every date of one request (deadlines.md), with its explanation.

    Raises ValueError naming the field for an input the clock cannot use (a restart
    before the received date, for instance); ``ClockInput`` checks the rest.
    """
    regime = REGIMES[clock.regime]
    out = Explainer(regime)
    name = out.name
    tz = zone(clock.timezone)
    local = clock.received_at.astimezone(tz)
    received_on = local.date()
    out.add(
        "received_on",
        "received_date",
        f"Received at {clock.received_at.isoformat()}; in {clock.timezone} that is "
        f"{local:%H:%M} on {weekday_date(received_on)}, so dates are counted from {received_on}.",
    )
    describe_regime(regime, clock, received_on, out)
    law_calendar, organisation_calendar = choose_calendars(regime, clock, out)
    kind = clock.kind
    if kind is not None:
        describe_kind(regime, kind, organisation_calendar, out)
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
                f"by {weekday_date(acknowledge_by)}.",
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
            f"by {weekday_date(opt_out_due_on)}.",
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
            + f"; the {day_count(clock.paused_days)} paused are not added.",
        )
    elif clock.paused_days and not paused and kind is not None:
        stopping = ", ".join(regime.label(k) or k for k in sorted(regime.pause_kinds or ()))
        out.add(
            "due_on",
            "pause_ignored",
            f"Under {name} waiting for a clarification stops the clock only for "
            f"{stopping} ({regime.pause_kinds_source}), not for "
            f"{regime.label(kind) or kind}; the {day_count(clock.paused_days)} paused are "
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
        legal_due = period_end(out, "due_on", start, regime.response, paused, regime, law_calendar)
    due_on = apply_commitments(clock, regime, start, paused, law_calendar, legal_due, out)
    out.add(
        "due_on",
        "due",
        f"Due on {weekday_date(due_on)}, by the end of that day in {clock.timezone}.",
    )
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
        extended_due_on = period_end(
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
            f"Extended due on {weekday_date(extended_due_on)}, if the subject is told, with "
            f"reasons, by {legal_due.isoformat()}; an extension notified later is refused.",
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
        f"Forwarding without delay: by the end of the {ordinal(count)} working day after "
        f"{received_on.isoformat()} ({organisation_calendar.label}), "
        f"{weekday_date(forward_due_on)}.",
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
