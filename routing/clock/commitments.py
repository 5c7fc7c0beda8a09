"""An organisation's own commitments weighed against the legal deadline."""

from __future__ import annotations

from datetime import date, timedelta

from .calendars import WEEKDAY_NAMES, WorkCalendar, roll_forward
from .explain import Explainer, day_count
from .inputs import ClockInput, Commitment
from .regimes import Regime


def _quoted(commitment: Commitment) -> str:
    source = f" ({commitment.source})" if commitment.source else ""
    return f"“{commitment.label}”{source}"


def apply_commitments(
    clock: ClockInput,
    regime: Regime,
    start: date,
    paused: int,
    calendar: WorkCalendar,
    legal_due: date,
    out: Explainer,
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
            text += f", plus {day_count(paused)} paused, {end.isoformat()}"
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
