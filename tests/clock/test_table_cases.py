# One case per line, so the file reads as a table: long lines are the lesser evil here.
# ruff: noqa: E501
"""Table cases beyond the worked examples, each computed by hand from a calendar.

Weekdays come from ``cal``; holidays from the ``holidays`` package's lists for the
organisation's calendar (FR, SI, GB-ENG, US-CA, ...). Only the dates a case names are
checked; the rest of the row is covered elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from routing.clock import ClockInput, Commitment, compute_deadlines

PARIS = ("Europe/Paris", "FR", None)
LJUBLJANA = ("Europe/Ljubljana", "SI", None)
LONDON = ("Europe/London", "GB", "ENG")
LOS_ANGELES = ("America/Los_Angeles", "US", "CA")
COMFILE = ("UTC", None, None)  # Comfile 360 states no country and no zone

CLICK_AND_CALL_45 = Commitment(
    "Click & Call: we will respond within 45 days", days=45, source="Privacy policy"
)
DELETE_30 = Commitment(
    "Click & Call: deleted within 30 days", days=30, kinds=frozenset({"erasure"})
)
RESPOND_30 = Commitment("We answer every request within 30 days", days=30)
CCPA_ONLY_20 = Commitment("Californians: 20 days", days=20, regimes=frozenset({"ccpa"}))
ONE_MONTH = Commitment("One month", months=1)

UNSET = object()


@dataclass(frozen=True)
class Case:
    regime: str
    where: tuple[str, str | None, str | None]
    received: str  # ISO instant; "Z" and offsets both fine
    received_on: str | None = None
    due: str | None = None
    extended: object = UNSET  # ISO date, None, or UNSET when not checked
    acknowledge: object = UNSET
    opt_out: object = UNSET
    forward: str | None = None
    kind: str | None = None
    paused: int = 0
    restarted: str | None = None
    commitments: tuple[Commitment, ...] = ()
    forward_days: int = 1
    codes: tuple[str, ...] = ()  # step codes that must appear
    says: tuple[str, ...] = ()  # text that must appear in the explanation
    extra: dict[str, object] = field(default_factory=dict)


def _date(value: object) -> date | None:
    return None if value is None else date.fromisoformat(str(value))


def at(iso: str) -> datetime:
    return datetime.fromisoformat(iso.replace("Z", "+00:00"))


CASES = [
    # --- month ends: the same day next month, or the last day of that month ------------
    pytest.param(Case("gdpr", PARIS, "2026-03-31T12:00Z", due="2026-04-30", extended="2026-06-30", codes=("day_clamped",)), id="month-end-31-mar-clamps-to-30-apr"),
    pytest.param(Case("gdpr", PARIS, "2026-05-31T12:00Z", due="2026-06-30", extended="2026-08-31"), id="month-end-31-may-clamps-to-30-jun"),
    pytest.param(Case("gdpr", PARIS, "2026-08-31T12:00Z", due="2026-09-30", extended="2026-11-30"), id="month-end-31-aug-clamps-to-30-sep"),
    pytest.param(Case("gdpr", PARIS, "2026-12-31T12:00Z", due="2027-02-01", extended="2027-03-31", forward="2027-01-04"), id="month-end-31-dec-to-31-jan-sunday-and-new-year-forward"),
    pytest.param(Case("gdpr", PARIS, "2026-01-30T12:00Z", due="2026-03-02", extended="2026-04-30", codes=("day_clamped", "weekend_skipped")), id="month-end-30-jan-clamps-to-28-feb-saturday"),
    pytest.param(Case("gdpr", PARIS, "2027-01-31T12:00Z", due="2027-03-01", extended="2027-04-30"), id="month-end-31-jan-2027-28-feb-sunday"),
    pytest.param(Case("gdpr", PARIS, "2026-11-30T12:00Z", due="2026-12-30", extended="2027-03-01"), id="extension-30-nov-plus-3-months-clamps-28-feb-sunday"),
    # --- leap years ---------------------------------------------------------------------
    pytest.param(Case("gdpr", PARIS, "2028-01-31T12:00Z", due="2028-02-29", extended="2028-05-02", says=("February 2028 has no day 31",)), id="leap-31-jan-2028-to-29-feb"),
    pytest.param(Case("gdpr", PARIS, "2028-01-29T12:00Z", due="2028-02-29", extended="2028-05-02"), id="leap-29-jan-2028-to-29-feb-not-clamped"),
    pytest.param(Case("gdpr", PARIS, "2028-02-29T12:00Z", due="2028-03-29", extended="2028-05-29"), id="leap-29-feb-2028-to-29-mar"),
    pytest.param(Case("ccpa", LOS_ANGELES, "2028-02-14T12:00:00-08:00", due="2028-03-30", extended="2028-05-14", acknowledge="2028-03-01", opt_out="2028-03-08", says=("Susan B. Anthony Day", "Presidents' Day")), id="leap-ccpa-45-days-across-29-feb-2028"),
    # --- time-zone edges: midnight and DST -----------------------------------------------
    pytest.param(Case("gdpr", PARIS, "2026-03-31T22:30Z", received_on="2026-04-01", due="2026-05-04", extended="2026-07-01"), id="tz-paris-0030-cest-is-next-day-1-may-labour-day"),
    pytest.param(Case("gdpr", PARIS, "2026-03-31T21:59Z", received_on="2026-03-31", due="2026-04-30"), id="tz-paris-2359-cest-same-day"),
    pytest.param(Case("gdpr", PARIS, "2026-03-28T23:30Z", received_on="2026-03-29", due="2026-04-29", forward="2026-03-30"), id="tz-paris-dst-starts-night-0030-cet"),
    pytest.param(Case("gdpr", PARIS, "2026-03-28T22:59Z", received_on="2026-03-28", due="2026-04-28"), id="tz-paris-dst-starts-eve-2359-cet"),
    pytest.param(Case("gdpr", PARIS, "2026-10-24T22:30Z", received_on="2026-10-25", due="2026-11-25"), id="tz-paris-dst-ends-night-0030-cest"),
    pytest.param(Case("gdpr", PARIS, "2026-10-25T22:30Z", received_on="2026-10-25", due="2026-11-25"), id="tz-paris-after-dst-ends-2330-cet-same-day"),
    pytest.param(Case("gdpr", PARIS, "2026-10-25T23:00Z", received_on="2026-10-26", due="2026-11-26"), id="tz-paris-after-dst-ends-midnight-cet-next-day"),
    pytest.param(Case("gdpr", PARIS, "2026-02-01T08:00:00+09:00", received_on="2026-02-01", due="2026-03-02"), id="tz-instant-given-in-tokyo-is-paris-midnight"),
    pytest.param(Case("ccpa", LOS_ANGELES, "2026-03-08T07:30Z", received_on="2026-03-07", due="2026-04-21", extended="2026-06-05", acknowledge="2026-03-20", opt_out="2026-03-27"), id="tz-los-angeles-dst-starts-2330-pst-saturday"),
    pytest.param(Case("ccpa", LOS_ANGELES, "2026-03-08T08:00Z", received_on="2026-03-08", due="2026-04-22"), id="tz-los-angeles-dst-starts-midnight-pst"),
    pytest.param(Case("ccpa", LOS_ANGELES, "2026-11-01T07:30Z", received_on="2026-11-01", due="2026-12-16", extended="2027-01-30", acknowledge="2026-11-16", opt_out="2026-11-23"), id="tz-los-angeles-dst-ends-0030-pdt-veterans-day"),
    pytest.param(Case("ccpa", LOS_ANGELES, "2026-11-01T06:30Z", received_on="2026-10-31", due="2026-12-15"), id="tz-los-angeles-dst-ends-eve-2330-pdt"),
    pytest.param(Case("ccpa", LOS_ANGELES, "2026-01-01T07:59:59Z", received_on="2025-12-31", due="2026-02-14"), id="tz-los-angeles-new-year-utc-is-still-31-dec"),
    pytest.param(Case("uk-gdpr", LONDON, "2026-03-29T00:30Z", received_on="2026-03-29", due="2026-04-29"), id="tz-london-dst-starts-0030-gmt"),
    pytest.param(Case("uk-gdpr", LONDON, "2026-06-30T23:30Z", received_on="2026-07-01", due="2026-08-03", extended="2026-10-01"), id="tz-london-bst-2330-utc-is-next-day"),
    # --- France (Callkom) -------------------------------------------------------------------
    pytest.param(Case("gdpr", PARIS, "2026-06-14T12:00Z", due="2026-07-15", extended="2026-09-14", says=("(National Day)",)), id="fr-14-july-national-day"),
    pytest.param(Case("gdpr", PARIS, "2026-10-11T12:00Z", due="2026-11-12", extended="2027-01-11", says=("(Armistice Day)",)), id="fr-11-november-armistice"),
    pytest.param(Case("gdpr", PARIS, "2027-04-17T12:00Z", due="2027-05-18", extended="2027-07-19", says=("(Pentecost Monday)",)), id="fr-pentecost-monday-2027"),
    pytest.param(Case("gdpr", PARIS, "2028-07-15T12:00Z", due="2028-08-16", extended="2028-10-16", says=("(Assumption Day)",)), id="fr-15-august-assumption"),
    pytest.param(Case("gdpr", PARIS, "2028-11-25T12:00Z", due="2028-12-26", extended="2029-02-26"), id="fr-christmas-monday-no-boxing-day-in-france"),
    pytest.param(Case("gdpr", PARIS, "2026-03-06T12:00Z", due="2026-04-07", extended="2026-06-08", says=("(Easter Monday)",)), id="fr-easter-monday-2026"),
    pytest.param(Case("gdpr", PARIS, "2020-03-11T12:00Z", due="2020-04-14"), id="fr-longest-34-days-saturday-sunday-easter-monday"),
    pytest.param(Case("gdpr", PARIS, "2026-04-30T12:00Z", forward="2026-05-04", says=("2026-05-01 is a public holiday (Labor Day) and is not counted as a working day",)), id="fr-forward-over-labour-day"),
    pytest.param(Case("gdpr", PARIS, "2026-04-30T12:00Z", forward="2026-05-05", forward_days=2), id="fr-forward-two-working-days-over-labour-day"),
    # --- Slovenia (ComfortClick) ---------------------------------------------------------
    pytest.param(Case("gdpr", LJUBLJANA, "2026-12-01T12:00Z", due="2027-01-04", extended="2027-03-01"), id="si-1-and-2-january-both-holidays"),
    pytest.param(Case("gdpr", LJUBLJANA, "2023-03-29T12:00Z", due="2023-05-03", extended="2023-06-29"), id="si-longest-35-days-weekend-and-two-labour-days"),
    pytest.param(Case("gdpr", LJUBLJANA, "2026-05-25T12:00Z", due="2026-06-26", extended="2026-08-25", says=("(Statehood Day)",)), id="si-statehood-day"),
    pytest.param(Case("gdpr", LJUBLJANA, "2027-01-08T12:00Z", due="2027-02-09", extended="2027-04-08", says=("Prešeren's Day",)), id="si-preseren-day"),
    pytest.param(Case("gdpr", LJUBLJANA, "2024-10-01T12:00Z", due="2024-11-04", extended="2025-01-03"), id="si-remembrance-day-then-new-year-pair"),
    pytest.param(Case("gdpr", LJUBLJANA, "2024-11-25T12:00Z", due="2024-12-27", extended="2025-02-25", says=("(Independence and Unity Day)",)), id="si-christmas-and-independence-day"),
    # --- England (Clickacall) ------------------------------------------------------------
    pytest.param(Case("uk-gdpr", LONDON, "2020-03-10T12:00Z", due="2020-04-14"), id="gb-longest-35-days-good-friday-to-easter-monday"),
    pytest.param(Case("uk-gdpr", LONDON, "2027-11-25T12:00Z", due="2027-12-29", extended="2028-02-25", says=("(Boxing Day (observed))",)), id="gb-christmas-2027-two-substitute-days"),
    pytest.param(Case("uk-gdpr", LONDON, "2027-12-01T12:00Z", due="2028-01-04", extended="2028-03-01"), id="gb-new-year-2028-substitute-monday"),
    pytest.param(Case("uk-gdpr", LONDON, "2026-04-25T12:00Z", due="2026-05-26", extended="2026-07-27", says=("(Spring Bank Holiday)",)), id="gb-spring-bank-holiday"),
    pytest.param(Case("uk-gdpr", LONDON, "2026-07-31T12:00Z", due="2026-09-01", extended="2026-11-02"), id="gb-late-summer-bank-holiday"),
    pytest.param(Case("uk-gdpr", ("Europe/London", "GB", None), "2026-07-31T12:00Z", due="2026-09-01"), id="gb-without-subdivision-defaults-to-england"),
    pytest.param(Case("uk-gdpr", ("Europe/London", "GB", "SCT"), "2026-07-31T12:00Z", due="2026-08-31"), id="gb-scotland-has-no-late-summer-holiday-on-31-aug"),
    pytest.param(Case("uk-gdpr", LONDON, "2026-12-24T12:00Z", forward="2026-12-29"), id="gb-forward-over-christmas-and-boxing-day-observed"),
    # --- California (Click & Call) ---------------------------------------------------------
    pytest.param(Case("ccpa", LOS_ANGELES, "2026-11-10T12:00:00-08:00", due="2026-12-25", extended="2027-02-08", acknowledge="2026-11-25", opt_out="2026-12-04", codes=("not_moved",), says=("(Thanksgiving Day)", "(Day After Thanksgiving)")), id="us-ca-thanksgiving-and-due-on-christmas-not-moved"),
    pytest.param(Case("ccpa", LOS_ANGELES, "2026-03-20T12:00:00-07:00", due="2026-05-04", extended="2026-06-18", acknowledge="2026-04-06", opt_out="2026-04-13", says=("(Cesar Chavez Day)",)), id="us-ca-cesar-chavez-day"),
    pytest.param(Case("ccpa", LOS_ANGELES, "2026-06-15T12:00:00-07:00", due="2026-07-30", acknowledge="2026-06-30", opt_out="2026-07-08", says=("(Juneteenth National Independence Day)", "(Independence Day (observed))")), id="us-ca-juneteenth-and-independence-day-observed"),
    pytest.param(Case("ccpa", ("America/Los_Angeles", None, None), "2025-01-15T12:00:00-08:00", acknowledge="2025-01-30", opt_out="2025-02-06"), id="us-ca-ccpa-without-country-uses-us-ca"),
    pytest.param(Case("ccpa", ("America/Los_Angeles", "US", None), "2025-01-15T12:00:00-08:00", acknowledge="2025-01-30"), id="us-ca-ccpa-us-without-subdivision-is-california"),
    pytest.param(Case("ccpa", ("Europe/Paris", "FR", None), "2026-07-13T12:00Z", acknowledge="2026-07-27", forward="2026-07-15"), id="us-ca-ccpa-business-days-stay-californian-forward-uses-fr"),
    # --- Comfile 360: no country ----------------------------------------------------------
    pytest.param(Case("gdpr", COMFILE, "2026-04-14T12:00Z", due="2026-05-14", extended="2026-07-14", forward="2026-04-15", says=("with no public holidays",)), id="comfile-no-country-no-holidays-ascension-not-skipped"),
    pytest.param(Case("gdpr", COMFILE, "2026-12-24T12:00Z", due="2027-01-25", forward="2026-12-25"), id="comfile-no-country-christmas-is-a-working-day"),
    pytest.param(Case("uk-gdpr", COMFILE, "2027-04-01T08:00Z", due="2027-05-04", extended="2027-07-01"), id="comfile-uk-subject-uses-uk-gdpr-default-gb-eng"),
    # --- the other regimes ------------------------------------------------------------------
    pytest.param(Case("pipeda", ("America/Toronto", "CA", None), "2026-06-01T12:00Z", due="2026-07-01", extended="2026-07-31", acknowledge=None, opt_out=None, codes=("not_moved",)), id="pipeda-30-days-on-canada-day-not-moved-plus-30"),
    pytest.param(Case("quebec-law25", ("America/Toronto", "CA", "QC"), "2026-05-25T12:00Z", due="2026-06-24", extended=None, says=("(Saint John the Baptist Day)",)), id="quebec-30-days-no-extension-st-jean-not-moved"),
    pytest.param(Case("hk-pdpo", ("Asia/Hong_Kong", "HK", None), "2026-01-01T10:00:00+08:00", due="2026-02-10", extended=None), id="hk-40-days"),
    pytest.param(Case("hk-pdpo", ("Asia/Hong_Kong", "HK", None), "2026-01-08T10:00:00+08:00", due="2026-02-17", codes=("not_moved",)), id="hk-40-days-on-chinese-new-year-not-moved"),
    pytest.param(Case("lgpd", ("America/Sao_Paulo", "BR", None), "2026-04-06T12:00Z", due="2026-04-21", extended=None, says=("(Tiradentes' Day)",)), id="lgpd-15-days-on-tiradentes"),
    pytest.param(Case("vcdpa", ("America/New_York", "US", "VA"), "2026-02-01T12:00Z", due="2026-03-18", extended="2026-05-02", acknowledge=None, opt_out=None, forward="2026-02-02"), id="vcdpa-45-plus-45"),
    pytest.param(Case("cpa-colorado", ("America/Denver", "US", "CO"), "2026-09-01T12:00Z", due="2026-10-16", extended="2026-11-30"), id="colorado-45-plus-45"),
    pytest.param(Case("ctdpa", ("America/New_York", "US", "CT"), "2026-12-31T12:00Z", due="2027-02-14", extended="2027-03-31", codes=("not_moved",)), id="connecticut-45-days-on-a-sunday-not-moved"),
    # --- paused clocks (rule 5: added before the move, and to the extended date) ---------
    pytest.param(Case("gdpr", PARIS, "2026-01-31T10:00Z", paused=3, due="2026-03-03", extended="2026-05-04", codes=("paused_days_added",)), id="pause-3-days-added-to-28-feb-before-move"),
    pytest.param(Case("gdpr", PARIS, "2026-04-14T10:00Z", paused=1, due="2026-05-15", extended="2026-07-15"), id="pause-1-day-absorbs-ascension"),
    pytest.param(Case("gdpr", PARIS, "2026-04-14T10:00Z", paused=10, due="2026-05-26", extended="2026-07-24", says=("(Pentecost Monday)",)), id="pause-10-days-lands-on-sunday-then-pentecost-monday"),
    pytest.param(Case("uk-gdpr", LONDON, "2026-12-02T12:00Z", paused=5, due="2027-01-07", extended="2027-03-08"), id="pause-uk-5-days"),
    pytest.param(Case("uk-gdpr", LONDON, "2026-12-02T12:00Z", kind="access", paused=5, due="2027-01-07", extended="2027-03-08"), id="pause-uk-access-5-days"),
    pytest.param(Case("uk-gdpr", LONDON, "2026-12-02T12:00Z", kind="erasure", paused=5, due="2027-01-04", extended="2027-03-02", codes=("pause_ignored",), says=("only for Right of access (Art. 15) (UK GDPR Art. 12A(5))",)), id="pause-uk-erasure-not-added"),
    pytest.param(Case("ccpa", LOS_ANGELES, "2025-01-15T12:00:00-08:00", paused=10, due="2025-03-01", extended="2025-04-15", codes=("pause_ignored",), says=("Verification does not stop the CCPA clock",)), id="pause-ignored-under-ccpa"),
    pytest.param(Case("pipeda", ("America/Toronto", "CA", None), "2026-06-01T12:00Z", paused=4, due="2026-07-01", codes=("pause_ignored",)), id="pause-ignored-under-pipeda"),
    # --- UK GDPR restart ("relevant time") ---------------------------------------------
    pytest.param(Case("uk-gdpr", LONDON, "2026-03-02T12:00Z", restarted="2026-03-10", due="2026-04-10", extended="2026-06-10", forward="2026-03-03", codes=("restarted",)), id="restart-uk-from-proof-date-forward-from-receipt"),
    pytest.param(Case("uk-gdpr", LONDON, "2026-02-27T12:00Z", restarted="2026-03-03", due="2026-04-07", extended="2026-06-03", says=("(Good Friday)", "(Easter Monday)")), id="restart-uk-lands-on-good-friday"),
    pytest.param(Case("uk-gdpr", LONDON, "2026-03-02T12:00Z", restarted="2026-03-10", paused=2, due="2026-04-13", extended="2026-06-12"), id="restart-uk-plus-clarification-pause"),
    pytest.param(Case("gdpr", PARIS, "2026-01-31T10:00Z", restarted="2026-02-10", due="2026-03-02", codes=("restart_ignored",)), id="restart-ignored-under-eu-gdpr"),
    # --- commitments ----------------------------------------------------------------------
    pytest.param(Case("ccpa", LOS_ANGELES, "2025-01-15T12:00:00-08:00", commitments=(CLICK_AND_CALL_45,), due="2025-03-01", codes=("commitment", "law_kept")), id="commitment-click-and-call-45-days-equals-ccpa"),
    pytest.param(Case("gdpr", PARIS, "2026-03-02T12:00Z", commitments=(RESPOND_30,), due="2026-04-01", extended="2026-06-02", codes=("commitment_applied",)), id="commitment-30-days-beats-gdpr-month"),
    pytest.param(Case("gdpr", PARIS, "2026-01-31T10:00Z", commitments=(RESPOND_30,), due="2026-03-02", codes=("law_kept",)), id="commitment-30-days-ties-gdpr-law-kept"),
    pytest.param(Case("ccpa", LOS_ANGELES, "2025-01-15T12:00:00-08:00", kind="erasure", commitments=(CLICK_AND_CALL_45, DELETE_30), due="2025-02-14", acknowledge="2025-01-30", codes=("commitment_applied",)), id="commitment-limited-to-erasure-applies-to-erasure"),
    pytest.param(Case("ccpa", LOS_ANGELES, "2025-01-15T12:00:00-08:00", kind="access", commitments=(DELETE_30,), due="2025-03-01", codes=("commitment_not_applicable",)), id="commitment-limited-to-erasure-skips-access"),
    pytest.param(Case("ccpa", LOS_ANGELES, "2025-01-15T12:00:00-08:00", commitments=(DELETE_30,), due="2025-02-14", says=("kind is not given",)), id="commitment-limited-to-kind-counts-when-kind-unknown"),
    pytest.param(Case("gdpr", PARIS, "2026-03-02T12:00Z", commitments=(CCPA_ONLY_20,), due="2026-04-02", codes=("commitment_not_applicable",)), id="commitment-limited-to-ccpa-skipped-under-gdpr"),
    pytest.param(Case("ccpa", LOS_ANGELES, "2025-01-31T12:00:00-08:00", commitments=(ONE_MONTH,), due="2025-02-28", extended="2025-05-01"), id="commitment-one-month-beats-ccpa-45-days"),
    pytest.param(Case("gdpr", PARIS, "2026-01-31T10:00Z", commitments=(ONE_MONTH,), due="2026-03-02", codes=("law_kept",)), id="commitment-restating-the-month-moves-like-the-law"),
    pytest.param(Case("gdpr", PARIS, "2026-03-02T12:00Z", paused=5, commitments=(RESPOND_30,), due="2026-04-07", says=("(Easter Monday)",), codes=("law_kept",)), id="commitment-paused-and-moved-like-the-law"),
    pytest.param(Case("gdpr", PARIS, "2026-03-02T12:00Z", paused=2, commitments=(RESPOND_30,), due="2026-04-03", codes=("commitment_applied",)), id="commitment-30-days-with-pause-beats-gdpr-month"),
    pytest.param(Case("ccpa", LOS_ANGELES, "2025-01-15T12:00:00-08:00", commitments=(RESPOND_30, CCPA_ONLY_20), due="2025-02-04"), id="commitment-earliest-of-two-wins"),
    # --- CCPA kinds ---------------------------------------------------------------------
    pytest.param(Case("ccpa", LOS_ANGELES, "2025-01-15T12:00:00-08:00", kind="opt_out_sale", due="2025-02-06", opt_out="2025-02-06", acknowledge=None, extended=None, codes=("opt_out_is_due", "no_acknowledgement")), id="ccpa-opt-out-of-sale-due-in-15-business-days"),
    pytest.param(Case("ccpa", LOS_ANGELES, "2025-12-15T12:00:00-08:00", kind="limit_sensitive", due="2026-01-07", acknowledge=None, extended=None), id="ccpa-limit-sensitive-due-in-15-business-days"),
    pytest.param(Case("ccpa", LOS_ANGELES, "2025-12-15T12:00:00-08:00", kind="opt_out_sale", commitments=(CLICK_AND_CALL_45,), due="2026-01-07", codes=("law_kept",)), id="ccpa-opt-out-keeps-15-days-against-45-day-commitment"),
    pytest.param(Case("ccpa", LOS_ANGELES, "2025-01-15T12:00:00-08:00", kind="marketing_objection", due="2025-03-01", acknowledge=None, opt_out="2025-02-06", codes=("suppress_at_once",)), id="ccpa-marketing-objection-no-acknowledgement-suppressed-at-once"),
    pytest.param(Case("ccpa", LOS_ANGELES, "2025-01-15T12:00:00-08:00", kind="restriction", due="2025-03-01", acknowledge=None, codes=("kind_not_named",)), id="ccpa-does-not-name-restriction"),
    pytest.param(Case("gdpr", LJUBLJANA, "2026-10-31T12:00:00+01:00", kind="post_mortem", due="2026-11-30", codes=("kind_note",)), id="gdpr-post-mortem-outside-france-noted"),
    pytest.param(Case("gdpr", PARIS, "2026-01-31T10:00Z", kind="marketing_objection", due="2026-03-02", extended="2026-04-30", codes=("suppress_at_once",)), id="gdpr-marketing-objection-answer-keeps-normal-deadline"),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES)
def test_table_case(case: Case) -> None:
    zone, country, subdivision = case.where
    result = compute_deadlines(
        ClockInput(
            regime=case.regime,
            timezone=zone,
            received_at=at(case.received),
            country=country,
            subdivision=subdivision,
            kind=case.kind,
            paused_days=case.paused,
            restarted_on=_date(case.restarted),
            commitments=case.commitments,
            forward_working_days=case.forward_days,
        )
    )
    if case.received_on is not None:
        assert result.received_on == date.fromisoformat(case.received_on)
    if case.due is not None:
        assert result.due_on == date.fromisoformat(case.due)
    for name, expected in (
        ("extended_due_on", case.extended),
        ("acknowledge_by", case.acknowledge),
        ("opt_out_due_on", case.opt_out),
    ):
        if expected is not UNSET:
            assert getattr(result, name) == _date(expected), name
    if case.forward is not None:
        assert result.forward_due_on == date.fromisoformat(case.forward)
    codes = {step.code for step in result.steps}
    for code in case.codes:
        assert code in codes, code
    text = "\n".join(result.explanation())
    for words in case.says:
        assert words in text


def test_there_are_at_least_sixty_table_cases() -> None:
    assert len(CASES) >= 60


def test_received_date_in_the_organisations_zone_not_the_instants() -> None:
    # 23:30 in Los Angeles on 31 January is 1 February in Paris.
    received = datetime(2026, 1, 31, 15, 30, tzinfo=ZoneInfo("America/Los_Angeles"))
    result = compute_deadlines(
        ClockInput(regime="gdpr", timezone="Europe/Paris", received_at=received, country="FR")
    )
    assert result.received_on == date(2026, 2, 1)
