"""The regime table: each privacy law's deadline rules as frozen, versioned data.

A row changes only when the law or its reading changes; bump ``version`` when it does,
so a stored deadline can say which reading produced it. Rules live here, arithmetic in
``compute`` and ``periods``: adding a regime is a new row, not new code.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from types import MappingProxyType

from dateutil.relativedelta import relativedelta

from .i18n import gettext_noop

# Every kind of request the project stores (see design.md, "Kinds of request").
KINDS: tuple[str, ...] = (
    "access",
    "rectification",
    "erasure",
    "restriction",
    "portability",
    "objection",
    "marketing_objection",
    "withdraw_consent",
    "opt_out_sale",
    "limit_sensitive",
    "post_mortem",
)


class UnknownRegime(ValueError):
    """A regime key that is not in the table; the message lists the valid keys."""

    def __init__(self, key: object, field_name: str = "regime") -> None:
        self.key = key
        valid = ", ".join(sorted(REGIMES))
        super().__init__(f"{field_name}: unknown regime {key!r}; valid keys: {valid}")


@dataclass(frozen=True)
class Period:
    """A legal period counted from the received date: whole months or calendar days."""

    months: int = 0
    days: int = 0

    def __post_init__(self) -> None:
        if self.months < 0 or self.days < 0 or (self.months and self.days):
            raise ValueError("Period: give months or days, not both, and never negative")

    def add_to(self, start: date) -> tuple[date, bool]:
        """``start`` plus the period, and whether the day of the month was clamped.

        relativedelta clamps to the month's last day (31 Jan + 1 month = 28/29 Feb),
        which is GDPR's reading (Reg. 1182/71 Art. 3(2)(c)) and the ICO's.
        """
        if self.months:
            end: date = start + _months(self.months)
            return end, end.day != start.day
        return start + timedelta(days=self.days), False

    def plus(self, other: Period) -> Period:
        """Both periods end to end, counted from the same start (extensions are not chained)."""
        if (self.months and other.days) or (self.days and other.months):
            raise ValueError("Period: cannot add months to days")
        return Period(months=self.months + other.months, days=self.days + other.days)

    def describe(self) -> str:
        if self.months:
            return _count(self.months, "month")
        return _count(self.days, "calendar day")


@lru_cache(maxsize=32)
def _months(n: int) -> relativedelta:
    # Built once: relativedelta's constructor costs more than the addition.
    return relativedelta(months=n)


_NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six")


def _count(n: int, noun: str) -> str:
    word = _NUMBER_WORDS[n] if n < len(_NUMBER_WORDS) else str(n)
    return f"{word} {noun}{'' if n == 1 else 's'}"


@dataclass(frozen=True)
class Regime:
    """One privacy law's deadline rules.

    ``extension`` is the further period on top of ``response``; the extended date is
    received + (response + extension), counted from receipt. ``calendar`` is the holiday
    calendar used when the organisation names none; ``calendar_fixed`` means the law's
    own rules name the calendar (CCPA business days are Californian), so it is used
    whatever the organisation's country.
    """

    key: str
    short_name: str
    name: str
    version: int
    effective: date
    sources: tuple[str, ...]
    response: Period
    extension: Period | None
    extension_source: str
    moves_to_working_day: bool
    move_source: str
    no_move_note: str
    acknowledge_business_days: int | None
    acknowledge_kinds: frozenset[str]
    acknowledge_source: str
    opt_out_business_days: int | None
    opt_out_kinds: frozenset[str]
    opt_out_source: str
    pauses_clock: bool
    pause_note: str
    restarts_on_proof: bool
    kinds: Mapping[str, str] = field(hash=False)
    calendar: tuple[str, str | None] | None = None
    calendar_fixed: bool = False
    refusal_source: str = ""  # where the law sets a date for a refusal, if it does
    # The kinds whose clock a pause stops, where the law names them (None: every kind).
    pause_kinds: frozenset[str] | None = None
    pause_kinds_source: str = ""

    def label(self, kind: str) -> str | None:
        """The regime's own name for a kind, or None when the law does not name it."""
        return self.kinds.get(kind)

    def pause_stops(self, kind: str | None) -> bool:
        """Whether a pause stops the clock of a request of ``kind`` (None: not known)."""
        if not self.pauses_clock:
            return False
        return self.pause_kinds is None or kind is None or kind in self.pause_kinds

    def pause_stops_all(self, kinds: Iterable[str]) -> bool:
        """Whether a pause moves the date of a request of these kinds: the clock of each
        must stop, since the kind due first binds."""
        listed = list(kinds)
        if not listed:
            return self.pause_stops(None)
        return all(self.pause_stops(kind) for kind in listed)


def _labels(**labels: str) -> Mapping[str, str]:
    unknown = set(labels) - set(KINDS)
    if unknown:  # a typo in the table must fail at import, not at request time
        raise ValueError(f"kinds: unknown kinds {sorted(unknown)}")
    return MappingProxyType(labels)


# A kind's label is shown to the data subject: gettext_noop lists it for translation.
_GDPR_KINDS = {
    "access": gettext_noop("Right of access (Art. 15)"),
    "rectification": gettext_noop("Right to rectification (Art. 16)"),
    "erasure": gettext_noop("Right to erasure (Art. 17)"),
    "restriction": gettext_noop("Right to restriction of processing (Art. 18)"),
    "portability": gettext_noop("Right to data portability (Art. 20)"),
    "objection": gettext_noop("Right to object (Art. 21(1))"),
    "marketing_objection": gettext_noop("Objection to direct marketing (Art. 21(2)-(3))"),
    "withdraw_consent": gettext_noop("Withdrawal of consent (Art. 7(3))"),
}

_US_STATE_KINDS = {
    "access": gettext_noop("Right to confirm and access"),
    "rectification": gettext_noop("Right to correct"),
    "erasure": gettext_noop("Right to delete"),
    "portability": gettext_noop("Right to a portable copy"),
    "opt_out_sale": gettext_noop("Right to opt out of targeted advertising, sale or profiling"),
}

_NO_PAUSE = "{name} has no rule that stops the clock while identity is checked"

_CALENDAR_DAYS = (
    "{name} counts calendar days and names no move to a working day; "
    "the date is kept even on a weekend or holiday"
)


def _us_state(
    key: str, short: str, name: str, effective: date, source: str, subdivision: str
) -> Regime:
    """Virginia, Colorado and Connecticut share the 45 + 45 calendar-day pattern."""
    return Regime(
        key=key,
        short_name=short,
        name=name,
        version=1,
        effective=effective,
        sources=(source,),
        response=Period(days=45),
        extension=Period(days=45),
        extension_source=source,
        moves_to_working_day=False,
        move_source="",
        no_move_note=_CALENDAR_DAYS,
        acknowledge_business_days=None,
        acknowledge_kinds=frozenset(),
        acknowledge_source="",
        opt_out_business_days=None,
        opt_out_kinds=frozenset(),
        opt_out_source="",
        pauses_clock=False,
        pause_note=_NO_PAUSE,
        restarts_on_proof=False,
        kinds=_labels(**_US_STATE_KINDS),
        calendar=("US", subdivision),
    )


_REGIME_ROWS: tuple[Regime, ...] = (
    Regime(
        key="gdpr",
        short_name="GDPR",
        name="General Data Protection Regulation (EU) 2016/679",
        version=1,
        effective=date(2018, 5, 25),
        sources=(
            "GDPR Art. 12(3) and 12(4)",
            "Regulation (EEC, Euratom) No 1182/71 Art. 3",
            "EDPB Guidelines 01/2022 on the right of access (v2.0), section 5.3, paras 157-164",
        ),
        response=Period(months=1),
        extension=Period(months=2),
        extension_source="GDPR Art. 12(3)",
        moves_to_working_day=True,
        move_source="Reg. 1182/71 Art. 3(4)",
        no_move_note="",
        acknowledge_business_days=None,
        acknowledge_kinds=frozenset(),
        acknowledge_source="",
        opt_out_business_days=None,
        opt_out_kinds=frozenset(),
        opt_out_source="",
        pauses_clock=True,
        pause_note="",
        restarts_on_proof=False,
        kinds=_labels(
            **_GDPR_KINDS,
            post_mortem=gettext_noop("Post-mortem directives (France only: Law 78-17 Art. 85)"),
        ),
        # No default: the EU has no single holiday calendar; Reg. 1182/71 uses the
        # holidays of the Member State where the act is done, i.e. the organisation's.
        calendar=None,
        refusal_source="GDPR Art. 12(4)",
    ),
    Regime(
        key="uk-gdpr",
        short_name="UK GDPR",
        name="UK General Data Protection Regulation",
        version=1,
        effective=date(2021, 1, 1),
        sources=(
            "UK GDPR Art. 12(3) and 12(4)",
            "UK GDPR Art. 12A (Data (Use and Access) Act 2025): the 'relevant time'",
            "ICO guidance 'What should we consider when responding to a request?'",
        ),
        response=Period(months=1),
        extension=Period(months=2),
        extension_source="UK GDPR Art. 12(3)",
        moves_to_working_day=True,
        move_source="ICO guidance",
        no_move_note="",
        acknowledge_business_days=None,
        acknowledge_kinds=frozenset(),
        acknowledge_source="",
        opt_out_business_days=None,
        opt_out_kinds=frozenset(),
        opt_out_source="",
        pauses_clock=True,
        pause_note="",
        restarts_on_proof=True,
        # Art. 12A(5): the days spent waiting for clarification do not count, for a
        # request under Art. 15 only. A proof of identity restarts every kind (12A(2)(b)).
        pause_kinds=frozenset({"access"}),
        pause_kinds_source="UK GDPR Art. 12A(5)",
        kinds=_labels(
            **{
                **_GDPR_KINDS,
                "marketing_objection": (
                    gettext_noop("Objection to direct marketing (Art. 21(2)-(3); PECR regs 21-22)")
                ),
            }
        ),
        calendar=("GB", "ENG"),
        refusal_source="UK GDPR Art. 12(4)",
    ),
    Regime(
        key="ccpa",
        short_name="CCPA",
        name="California Consumer Privacy Act, as amended by the CPRA",
        version=1,
        effective=date(2020, 1, 1),
        sources=(
            "Cal. Civ. Code §1798.130(a)(2)(A)",
            "11 CCR §7021(a)-(b)",
            "11 CCR §7026(f)(1)",
            "11 CCR §7027(g)(1)",
        ),
        response=Period(days=45),
        extension=Period(days=45),
        extension_source="Cal. Civ. Code §1798.130(a)(2)(A); 11 CCR §7021(b)",
        moves_to_working_day=False,
        move_source="",
        # Cal. Civ. Code §§10-11 could let a period ending on a holiday run to the next
        # business day; the regulations count calendar days. The earlier date is kept.
        no_move_note=(
            "{name} counts calendar days (11 CCR §7021(b)); California's general rule "
            "(Cal. Civ. Code §§10-11) might allow the next business day, but the project "
            "keeps the earlier date"
        ),
        acknowledge_business_days=10,
        # §7021(a): requests to know, delete and correct; portability is part of "know".
        acknowledge_kinds=frozenset({"access", "erasure", "rectification", "portability"}),
        acknowledge_source="11 CCR §7021(a)",
        opt_out_business_days=15,
        opt_out_kinds=frozenset({"opt_out_sale", "limit_sensitive"}),
        opt_out_source="11 CCR §7026(f)(1), §7027(g)(1)",
        pauses_clock=False,
        pause_note="Verification does not stop the {name} clock (11 CCR §7021(b))",
        restarts_on_proof=False,
        kinds=_labels(
            access=gettext_noop("Right to know"),
            erasure=gettext_noop("Right to delete"),
            rectification=gettext_noop("Right to correct"),
            portability=gettext_noop("Right to know (portable copy)"),
            opt_out_sale=gettext_noop("Opt out of sale or sharing"),
            limit_sensitive=gettext_noop("Limit the use of sensitive personal information"),
            marketing_objection=gettext_noop("Opt out of marketing contact"),
        ),
        calendar=("US", "CA"),
        # deadlines.md: "Business days use the US-CA calendar of the holidays package".
        calendar_fixed=True,
    ),
    _us_state(
        "vcdpa",
        "VCDPA",
        "Virginia Consumer Data Protection Act",
        date(2023, 1, 1),
        "Va. Code §59.1-577(B)(1)",
        "VA",
    ),
    _us_state(
        "cpa-colorado",
        "CPA",
        "Colorado Privacy Act",
        date(2023, 7, 1),
        "C.R.S. §6-1-1306(2)",
        "CO",
    ),
    _us_state(
        "ctdpa",
        "CTDPA",
        "Connecticut Data Privacy Act",
        date(2023, 7, 1),
        "Conn. Gen. Stat. §42-518(c)(1)",
        "CT",
    ),
    Regime(
        key="quebec-law25",
        short_name="Quebec Law 25",
        name=(
            "Act respecting the protection of personal information in the private sector "
            "(Quebec), as amended by Law 25"
        ),
        version=1,
        effective=date(2023, 9, 22),
        sources=("CQLR c. P-39.1 s. 32", "S.Q. 2021, c. 25 (Law 25)"),
        response=Period(days=30),
        extension=None,  # the private-sector Act gives no extension
        extension_source="",
        moves_to_working_day=False,
        move_source="",
        no_move_note=(
            "{name} counts 30 calendar days; Quebec's Interpretation Act (CQLR c. I-16 "
            "s. 52) might allow the next day that is not a holiday, but the project keeps "
            "the earlier date"
        ),
        acknowledge_business_days=None,
        acknowledge_kinds=frozenset(),
        acknowledge_source="",
        opt_out_business_days=None,
        opt_out_kinds=frozenset(),
        opt_out_source="",
        pauses_clock=False,
        pause_note=_NO_PAUSE,
        restarts_on_proof=False,
        kinds=_labels(
            access=gettext_noop("Right of access (s. 27)"),
            rectification=gettext_noop("Right to rectification (s. 28)"),
            erasure=gettext_noop(
                "Deletion of outdated or unjustified information (s. 28; C.C.Q. art. 40)"
            ),
            portability=gettext_noop(
                "Right to portability (s. 27, in force since 22 September 2024)"
            ),
            withdraw_consent=gettext_noop("Withdrawal of consent"),
            marketing_objection=gettext_noop("Removal from a commercial prospecting list"),
        ),
        calendar=("CA", "QC"),
    ),
    Regime(
        key="pipeda",
        short_name="PIPEDA",
        name="Personal Information Protection and Electronic Documents Act (Canada)",
        version=1,
        effective=date(2001, 1, 1),
        sources=("PIPEDA s. 8(3)", "PIPEDA s. 8(4)"),
        response=Period(days=30),
        extension=Period(days=30),
        extension_source="PIPEDA s. 8(4)",
        moves_to_working_day=False,
        move_source="",
        no_move_note=(
            "{name} counts 30 calendar days; the federal Interpretation Act (R.S.C. 1985, "
            "c. I-21, s. 26) might allow the next day that is not a holiday, but the "
            "project keeps the earlier date"
        ),
        acknowledge_business_days=None,
        acknowledge_kinds=frozenset(),
        acknowledge_source="",
        opt_out_business_days=None,
        opt_out_kinds=frozenset(),
        opt_out_source="",
        pauses_clock=False,
        pause_note=_NO_PAUSE,
        restarts_on_proof=False,
        kinds=_labels(
            access=gettext_noop("Access to personal information (s. 8; Principle 4.9)"),
            rectification=gettext_noop("Amendment of inaccurate information (Principle 4.9.5)"),
            withdraw_consent=gettext_noop("Withdrawal of consent (Principle 4.3.8)"),
        ),
        calendar=("CA", None),
    ),
    Regime(
        key="hk-pdpo",
        short_name="PDPO",
        name="Personal Data (Privacy) Ordinance (Hong Kong, Cap. 486)",
        version=1,
        effective=date(1996, 12, 20),
        sources=("PDPO s. 19(1)", "PDPO s. 23(1)"),
        response=Period(days=40),
        # s. 19(2) only requires written reasons and compliance as soon as practicable.
        extension=None,
        extension_source="",
        moves_to_working_day=False,
        move_source="",
        no_move_note=(
            "{name} counts 40 calendar days; the Interpretation and General Clauses "
            "Ordinance (Cap. 1 s. 71) might allow the next day that is not a public "
            "holiday, but the project keeps the earlier date"
        ),
        acknowledge_business_days=None,
        acknowledge_kinds=frozenset(),
        acknowledge_source="",
        opt_out_business_days=None,
        opt_out_kinds=frozenset(),
        opt_out_source="",
        pauses_clock=False,
        pause_note=_NO_PAUSE,
        restarts_on_proof=False,
        kinds=_labels(
            access=gettext_noop("Data access request (s. 18)"),
            rectification=gettext_noop("Data correction request (s. 22)"),
            marketing_objection=gettext_noop("Opt-out of direct marketing (s. 35G)"),
        ),
        calendar=("HK", None),
    ),
    Regime(
        key="lgpd",
        short_name="LGPD",
        name="Lei Geral de Proteção de Dados (Brazil, Law 13.709/2018)",
        version=1,
        effective=date(2020, 9, 18),
        # Art. 19, II sets 15 days for access by full declaration; the other rights' periods are
        # left to regulation (Art. 18 §5), so the same 15 days are applied to them.
        sources=("LGPD Art. 18", "LGPD Art. 19, II (access; applied to every right)"),
        response=Period(days=15),
        extension=None,
        extension_source="",
        moves_to_working_day=False,
        move_source="",
        no_move_note=_CALENDAR_DAYS,
        acknowledge_business_days=None,
        acknowledge_kinds=frozenset(),
        acknowledge_source="",
        opt_out_business_days=None,
        opt_out_kinds=frozenset(),
        opt_out_source="",
        pauses_clock=False,
        pause_note=_NO_PAUSE,
        restarts_on_proof=False,
        kinds=_labels(
            access=gettext_noop("Confirmation and access (Art. 18, I-II)"),
            rectification=gettext_noop("Correction (Art. 18, III)"),
            restriction=gettext_noop(
                "Anonymisation, blocking or deletion of unnecessary data (Art. 18, IV)"
            ),
            portability=gettext_noop("Portability (Art. 18, V)"),
            erasure=gettext_noop("Deletion of data processed with consent (Art. 18, VI)"),
            withdraw_consent=gettext_noop("Revocation of consent (Art. 18, IX)"),
            objection=gettext_noop("Opposition (Art. 18, §2)"),
        ),
        calendar=("BR", None),
    ),
)

REGIMES: Mapping[str, Regime] = MappingProxyType({r.key: r for r in _REGIME_ROWS})


def regime_for(regime_key: str) -> Regime:
    """The regime row for a key; ``UnknownRegime`` (a ValueError) lists the valid keys."""
    try:
        return REGIMES[regime_key]
    except (KeyError, TypeError):
        raise UnknownRegime(regime_key) from None
