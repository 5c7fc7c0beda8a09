"""Which regime's clock a request runs on, and a sentence saying why.

Order of the rules, as a privacy lawyer would read them:

1. Establishment first. An organisation established in the EU/EEA is bound by the GDPR
   for all its processing, wherever the subject lives (GDPR Art. 3(1)); one established
   in the United Kingdom by the UK GDPR (UK GDPR Art. 3(1)). Another law may apply as
   well (a Californian subject of a French company), but one clock is kept, and the
   GDPR's month is the earlier deadline, which the project prefers where sources differ.
2. Then the subject's location, for organisations established elsewhere or unknown:
   California -> CCPA; Virginia, Colorado, Connecticut -> their laws; EU/EEA -> GDPR
   (Art. 3(2), offering goods or services there); UK -> UK GDPR (Art. 3(2)); Quebec ->
   Quebec's private-sector Act (Law 25); rest of Canada -> PIPEDA; Hong Kong -> PDPO;
   Brazil -> LGPD (Art. 3).
3. Otherwise the organisation's default regime, which the organisation chose for
   requests no law in the table reaches.
"""

from __future__ import annotations

from .regimes import REGIMES, regime_for

# EU Member States and the EEA states that apply the GDPR through the EEA Agreement.
EU_EEA: frozenset[str] = frozenset(
    {
        # EU
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
        "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
        # EEA (EFTA)
        "IS", "LI", "NO",
    }
)  # fmt: skip

# Codes people use that ISO 3166-1 spells otherwise.
_ALIASES = {"UK": "GB", "EL": "GR"}

_US_STATES = {
    "CA": ("ccpa", "California"),
    "VA": ("vcdpa", "Virginia"),
    "CO": ("cpa-colorado", "Colorado"),
    "CT": ("ctdpa", "Connecticut"),
}


def _country(code: str | None) -> str | None:
    if code is None or not code.strip():
        return None
    upper = code.strip().upper()
    return _ALIASES.get(upper, upper)


def _region(country: str | None, region: str | None) -> str | None:
    """ "CA", "ca" and "US-CA" (ISO 3166-2) all mean the same region."""
    if region is None or not region.strip():
        return None
    upper = region.strip().upper()
    if country and upper.startswith(f"{country}-"):
        return upper[len(country) + 1 :]
    return upper


def _where(country: str | None, region: str | None) -> str:
    if country is None:
        return "an unknown country"
    return f"{country}-{region}" if region else country


def applicable_regime(
    *,
    organisation_country: str | None,
    organisation_default_regime: str,
    subject_country: str | None,
    subject_region: str | None = None,
) -> tuple[str, str]:
    """(regime key, reason sentence) for a request; see the module docstring for the order.

    Raises ``UnknownRegime`` when the organisation's default is not in the table, so a bad
    registry entry is caught even when a rule above would have chosen another regime.
    """
    default = regime_for(organisation_default_regime)
    org = _country(organisation_country)
    subject = _country(subject_country)
    region = _region(subject, subject_region)
    where = _where(subject, region)

    if org in EU_EEA:
        reason = (
            f"The organisation is established in {org}, in the EU/EEA, so the GDPR applies "
            "to its processing wherever the subject lives (GDPR Art. 3(1))."
        )
        if subject is not None and subject not in EU_EEA:
            reason += (
                f" The subject is in {where}; a local law may apply as well, but the GDPR's "
                "deadline is kept."
            )
        return "gdpr", reason
    if org == "GB":
        reason = (
            "The organisation is established in the United Kingdom, so the UK GDPR applies "
            "to its processing wherever the subject lives (UK GDPR Art. 3(1))."
        )
        if subject is not None and subject != "GB":
            reason += (
                f" The subject is in {where}; a local law may apply as well, but the UK "
                "GDPR's deadline is kept."
            )
        return "uk-gdpr", reason

    if subject == "US" and region in _US_STATES:
        key, state = _US_STATES[region]
        return key, (
            f"The subject is a {state} resident ({where}), so the {REGIMES[key].short_name} "
            "applies."
        )
    if subject in EU_EEA:
        return "gdpr", (
            f"The subject is in {where}, in the EU/EEA, and the organisation is not "
            "established there: the GDPR applies to organisations offering goods or "
            "services to people in the EU/EEA (GDPR Art. 3(2))."
        )
    if subject == "GB":
        return "uk-gdpr", (
            "The subject is in the United Kingdom and the organisation is not established "
            "there: the UK GDPR applies to organisations offering goods or services to "
            "people in the UK (UK GDPR Art. 3(2))."
        )
    if subject == "CA":
        if region == "QC":
            return "quebec-law25", (
                "The subject is in Quebec (CA-QC), so Quebec's private-sector Act, as "
                "amended by Law 25, applies."
            )
        return "pipeda", (
            f"The subject is in Canada ({where}) outside Quebec, so PIPEDA applies to the "
            "commercial activity."
        )
    if subject == "HK":
        return "hk-pdpo", "The subject is in Hong Kong, so the PDPO applies."
    if subject == "BR":
        return "lgpd", (
            "The subject is in Brazil, so the LGPD applies to data collected there (LGPD Art. 3)."
        )

    if subject is None:
        why = "The subject's country is not known"
    elif subject == "US" and region is None:
        why = "The subject is in the United States, state not known"
    else:
        why = f"No regime in the table covers a subject in {where}"
    established = f" and the organisation is established in {org}" if org else ""
    return default.key, (
        f"{why}{established}; the organisation's default regime, {default.short_name}, applies."
    )
