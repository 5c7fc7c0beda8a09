"""A registry file may name any regime the clock computes deadlines for, and no other."""

from __future__ import annotations

from pathlib import Path

import pytest

from routing import clock, planning
from routing.planning import RegistryFileError, load_registry_files

from .editing import edit


def test_the_registry_reads_the_clocks_kinds_and_regimes() -> None:
    assert planning.KINDS is clock.KINDS
    assert planning.REGIMES is clock.REGIMES


# Regimes the clock knows that the registry files once refused.
@pytest.mark.parametrize("regime", ["vcdpa", "quebec-law25", "pipeda", "lgpd"])
def test_an_organisation_may_default_to_any_regime_the_clock_knows(
    registry_copy: Path, regime: str
) -> None:
    edit(registry_copy / "callkom.toml", 'default_regime = "gdpr"', f'default_regime = "{regime}"')

    callkom = load_registry_files(registry_copy).organisation("callkom")

    assert callkom is not None
    assert callkom.default_regime == regime


def test_a_commitment_may_be_limited_to_any_regime_the_clock_knows(registry_copy: Path) -> None:
    edit(registry_copy / "callkom.toml", "months = 1\n", 'months = 1\nregimes = ["gdpr", "lgpd"]\n')

    callkom = load_registry_files(registry_copy).organisation("callkom")

    assert callkom is not None
    assert callkom.commitments[0]["regimes"] == ["gdpr", "lgpd"]


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        pytest.param(
            'default_regime = "gdpr"', 'default_regime = "cpra"', "default_regime", id="default"
        ),
        pytest.param(
            "months = 1\n",
            'months = 1\nregimes = ["cpra"]\n',
            "commitments[0].regimes",
            id="commitment",
        ),
    ],
)
def test_a_regime_the_clock_does_not_know_is_refused_with_the_valid_ones_listed(
    registry_copy: Path, old: str, new: str, field: str
) -> None:
    edit(registry_copy / "callkom.toml", old, new)

    with pytest.raises(RegistryFileError) as caught:
        load_registry_files(registry_copy)

    error = caught.value
    assert (error.file, error.key, error.field) == ("callkom.toml", "callkom", field)
    assert error.message == f"unknown value 'cpra' (valid: {', '.join(clock.REGIMES)})"
    assert "quebec-law25" in error.message
