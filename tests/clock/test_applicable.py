"""Which regime applies: establishment first, then the subject's location, then the default."""

from __future__ import annotations

import pytest

from routing.clock import UnknownRegime, applicable_regime


@pytest.mark.parametrize(
    ("org_country", "default", "subject", "region", "expected", "reason_has"),
    [
        # Subject-based rules, for organisations established outside the EU/EEA and UK.
        pytest.param("US", "ccpa", "US", "CA", "ccpa", "California resident", id="california"),
        pytest.param(
            "US", "ccpa", "us", "US-CA", "ccpa", "California resident", id="california-iso-3166-2"
        ),
        pytest.param("US", "ccpa", "US", "VA", "vcdpa", "Virginia resident", id="virginia"),
        pytest.param("US", "ccpa", "US", "CO", "cpa-colorado", "Colorado resident", id="colorado"),
        pytest.param("US", "ccpa", "US", "CT", "ctdpa", "Connecticut resident", id="connecticut"),
        pytest.param(
            "US", "ccpa", "DE", None, "gdpr", "Art. 3(2)", id="eu-subject-us-organisation"
        ),
        pytest.param("US", "ccpa", "NO", None, "gdpr", "EU/EEA", id="eea-norway"),
        pytest.param("US", "ccpa", "EL", None, "gdpr", "GR", id="greece-eu-code-el"),
        pytest.param("US", "ccpa", "GB", None, "uk-gdpr", "UK GDPR Art. 3(2)", id="uk-subject"),
        pytest.param("US", "ccpa", "UK", None, "uk-gdpr", "United Kingdom", id="uk-alias"),
        pytest.param("US", "ccpa", "CA", "QC", "quebec-law25", "Quebec", id="quebec"),
        pytest.param("US", "ccpa", "CA", "ON", "pipeda", "PIPEDA", id="ontario"),
        pytest.param("US", "ccpa", "CA", None, "pipeda", "PIPEDA", id="canada-province-unknown"),
        pytest.param("US", "ccpa", "HK", None, "hk-pdpo", "Hong Kong", id="hong-kong"),
        pytest.param("US", "ccpa", "BR", None, "lgpd", "Brazil", id="brazil"),
        # Comfile 360: no country stated, so the subject decides.
        pytest.param(None, "gdpr", "FR", None, "gdpr", "Art. 3(2)", id="comfile-eu-subject"),
        pytest.param(None, "gdpr", "GB", None, "uk-gdpr", "Art. 3(2)", id="comfile-uk-subject"),
        pytest.param(None, "gdpr", "US", "CA", "ccpa", "California", id="comfile-californian"),
        pytest.param(
            None, "gdpr", "JP", None, "gdpr", "default regime, GDPR", id="comfile-japan-default"
        ),
        # Establishment: GDPR Art. 3(1) / UK GDPR Art. 3(1) apply wherever the subject lives.
        pytest.param(
            "FR", "gdpr", "US", "CA", "gdpr", "Art. 3(1)", id="callkom-californian-subject"
        ),
        pytest.param("FR", "gdpr", "US", None, "gdpr", "Art. 3(1)", id="callkom-us-subject"),
        pytest.param("SI", "gdpr", "GB", None, "gdpr", "Art. 3(1)", id="comfortclick-uk-subject"),
        pytest.param(
            "SI", "gdpr", None, None, "gdpr", "Art. 3(1)", id="comfortclick-subject-unknown"
        ),
        pytest.param(
            "GB", "uk-gdpr", "FR", None, "uk-gdpr", "UK GDPR Art. 3(1)", id="clickacall-eu-subject"
        ),
        pytest.param(
            "GB", "uk-gdpr", "US", "VA", "uk-gdpr", "UK GDPR Art. 3(1)", id="clickacall-virginian"
        ),
        # The organisation's default, with a reason saying why.
        pytest.param(
            "US",
            "ccpa",
            "US",
            "TX",
            "ccpa",
            "No regime in the table covers a subject in US-TX",
            id="texas-default",
        ),
        pytest.param("US", "ccpa", "US", None, "ccpa", "state not known", id="us-state-unknown"),
        pytest.param(
            "US", "ccpa", None, None, "ccpa", "country is not known", id="subject-unknown"
        ),
        pytest.param(
            "US", "ccpa", "CH", None, "ccpa", "default regime, CCPA", id="switzerland-default"
        ),
    ],
)
def test_applicable_regime(
    org_country: str | None,
    default: str,
    subject: str | None,
    region: str | None,
    expected: str,
    reason_has: str,
) -> None:
    key, reason = applicable_regime(
        organisation_country=org_country,
        organisation_default_regime=default,
        subject_country=subject,
        subject_region=region,
    )
    assert key == expected
    assert reason_has in reason
    assert reason.endswith(".")


def test_establishment_reason_mentions_the_foreign_subject() -> None:
    _, reason = applicable_regime(
        organisation_country="FR",
        organisation_default_regime="gdpr",
        subject_country="US",
        subject_region="CA",
    )
    assert "US-CA" in reason
    assert "GDPR's deadline is kept" in reason


def test_unknown_default_regime_is_refused_even_when_unused() -> None:
    with pytest.raises(UnknownRegime, match="gdpr-eu"):
        applicable_regime(
            organisation_country="FR",
            organisation_default_regime="gdpr-eu",
            subject_country="FR",
        )
