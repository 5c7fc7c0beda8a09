"""The regime table is data that says what each law requires."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest

from routing.clock import KINDS, REGIMES, Period, regime_for, regimes

EXPECTED_KEYS = {
    "gdpr",
    "uk-gdpr",
    "ccpa",
    "vcdpa",
    "cpa-colorado",
    "ctdpa",
    "quebec-law25",
    "pipeda",
    "hk-pdpo",
    "lgpd",
}


def test_table_has_every_regime_the_project_names() -> None:
    assert set(REGIMES) == EXPECTED_KEYS
    for key, regime in REGIMES.items():
        assert regime.key == key
        assert regime.sources, key
        assert regime.version >= 1
        assert set(regime.kinds) <= set(KINDS)


def test_table_cannot_be_changed_at_run_time() -> None:
    with pytest.raises(TypeError):
        REGIMES["gdpr"] = REGIMES["ccpa"]  # type: ignore[index]
    with pytest.raises(AttributeError):
        REGIMES["gdpr"].response = Period(days=1)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("key", "response", "extension", "moves"),
    [
        pytest.param("gdpr", Period(months=1), Period(months=2), True, id="gdpr"),
        pytest.param("uk-gdpr", Period(months=1), Period(months=2), True, id="uk-gdpr"),
        pytest.param("ccpa", Period(days=45), Period(days=45), False, id="ccpa"),
        pytest.param("vcdpa", Period(days=45), Period(days=45), False, id="vcdpa"),
        pytest.param("cpa-colorado", Period(days=45), Period(days=45), False, id="colorado"),
        pytest.param("ctdpa", Period(days=45), Period(days=45), False, id="connecticut"),
        pytest.param("quebec-law25", Period(days=30), None, False, id="quebec"),
        pytest.param("pipeda", Period(days=30), Period(days=30), False, id="pipeda"),
        pytest.param("hk-pdpo", Period(days=40), None, False, id="hong-kong"),
        pytest.param("lgpd", Period(days=15), None, False, id="lgpd"),
    ],
)
def test_periods(key: str, response: Period, extension: Period | None, moves: bool) -> None:
    regime = regime_for(key)
    assert regime.response == response
    assert regime.extension == extension
    assert regime.moves_to_working_day is moves


def test_ccpa_rules_and_labels() -> None:
    ccpa = regime_for("ccpa")
    assert ccpa.acknowledge_business_days == 10
    assert ccpa.opt_out_business_days == 15
    assert ccpa.opt_out_kinds == {"opt_out_sale", "limit_sensitive"}
    assert not ccpa.pauses_clock
    assert ccpa.calendar == ("US", "CA")
    assert ccpa.label("access") == "Right to know"
    assert ccpa.label("erasure") == "Right to delete"
    assert ccpa.label("rectification") == "Right to correct"
    assert ccpa.label("opt_out_sale") == "Opt out of sale or sharing"
    assert ccpa.label("limit_sensitive") == "Limit the use of sensitive personal information"
    assert ccpa.label("restriction") is None
    assert any("§1798.130" in s for s in ccpa.sources)
    assert any("§7021" in s for s in ccpa.sources)
    assert any("§7026(f)" in s for s in ccpa.sources)


def test_gdpr_labels_and_post_mortem_only_in_eu_gdpr() -> None:
    gdpr, uk = regime_for("gdpr"), regime_for("uk-gdpr")
    assert gdpr.label("access") == "Right of access (Art. 15)"
    assert gdpr.label("erasure") == "Right to erasure (Art. 17)"
    label = gdpr.label("post_mortem")
    assert label is not None
    assert "France only" in label
    assert uk.label("post_mortem") is None
    assert gdpr.pauses_clock
    assert not gdpr.restarts_on_proof
    assert uk.restarts_on_proof
    assert uk.calendar == ("GB", "ENG")
    assert any("12(3)" in s for s in gdpr.sources)
    assert any("1182/71" in s for s in gdpr.sources)


@pytest.mark.parametrize(
    ("period", "start", "end", "clamped"),
    [
        pytest.param(Period(months=1), date(2026, 1, 31), date(2026, 2, 28), True, id="31-jan"),
        pytest.param(Period(months=1), date(2028, 1, 31), date(2028, 2, 29), True, id="leap"),
        pytest.param(Period(months=3), date(2026, 1, 31), date(2026, 4, 30), True, id="3-months"),
        pytest.param(Period(months=1), date(2026, 1, 15), date(2026, 2, 15), False, id="mid-month"),
        pytest.param(Period(days=45), date(2025, 1, 15), date(2025, 3, 1), False, id="45-days"),
    ],
)
def test_period_arithmetic(period: Period, start: date, end: date, clamped: bool) -> None:
    assert period.add_to(start) == (end, clamped)


def test_periods_add_from_the_same_start_not_chained() -> None:
    assert Period(months=1).plus(Period(months=2)) == Period(months=3)
    with pytest.raises(ValueError, match="cannot add months to days"):
        Period(months=1).plus(Period(days=30))
    with pytest.raises(ValueError, match="months or days"):
        Period(months=1, days=1)


def test_every_kind_label_is_marked_for_translation_where_it_is_defined() -> None:
    # makemessages collects a string by the name of the call around it (clock/i18n.py), so
    # every regime's labels reach the catalogues, not only the shipped organisations'.
    tree = ast.parse(Path(regimes.__file__).read_text(encoding="utf-8"))
    marked = {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "gettext_noop"
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    }
    labels = {label for regime in REGIMES.values() for label in regime.kinds.values()}

    assert labels - marked == set()
    assert regime_for("lgpd").label("objection") == "Opposition (Art. 18, §2)"
