"""Retained entries in the registry files: the shipped ones, as the policies state them, and
the errors a broken entry gives."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.utils import translation

from routing.domain.wording import RETAINED_STRINGS
from routing.planning import REGISTRY_DIR, RegistryFileError, load_registry_files
from routing.planning.specs import RetainedSpec
from tests.planning.editing import edit

SHIPPED = {
    "callkom:billing": (
        # §9.3: "retention of certain data is legally required (e.g., billing 10 years)".
        RetainedSpec(
            what="invoices and billing records",
            ground="retention required by law",
            period="10 years",
            source="§9.3",
        ),
    ),
    "click-and-call:billing": (
        # "We retain billing records (amounts, dates, subscription status) for accounting and
        # dispute purposes." No period is stated.
        RetainedSpec(
            what="billing records (amounts, dates, subscription status)",
            ground="accounting and dispute purposes",
            period=None,
            source='paragraph "Payments are processed by Stripe"',
        ),
    ),
    "click-and-call:security-logs": (
        # "IP addresses collected for security purposes are retained for up to 12 months
        # unless an IP has been flagged for abuse, in which case it may be retained longer."
        RetainedSpec(
            what="IP addresses logged for security",
            ground="security purposes, including rate limiting and abuse prevention",
            period="up to 12 months, or longer for an address flagged for abuse",
            source='paragraph "IP addresses collected for security purposes"',
        ),
    ),
}


def _shipped() -> dict[str, tuple[RetainedSpec, ...]]:
    return {
        scope.key: scope.retained
        for organisation in load_registry_files().organisations
        for scope in organisation.scopes
        if scope.retained
    }


def test_shipped_scopes_keep_what_their_policies_say_after_an_erasure() -> None:
    assert _shipped() == SHIPPED


def test_every_shipped_retained_text_is_listed_for_translation_in_french_and_slovenian() -> None:
    texts = {
        text
        for entries in _shipped().values()
        for entry in entries
        for text in (entry.what, entry.ground, entry.period, entry.source)
        if text and not text.startswith("§")
    }
    assert texts <= set(RETAINED_STRINGS)
    for language in ("fr", "sl"):
        with translation.override(language):
            untranslated = sorted(text for text in texts if translation.gettext(text) == text)
        assert untranslated == [], language


@pytest.fixture
def registry_copy(tmp_path: Path) -> Path:
    target = tmp_path / "registry_data"
    shutil.copytree(REGISTRY_DIR, target)
    return target


BILLING_ENTRY = 'what = "invoices and billing records"\n'


@pytest.mark.parametrize(
    ("new", "field", "words"),
    [
        pytest.param(
            BILLING_ENTRY.replace("what", "waht"),
            "retained[0].waht",
            "did you mean 'what'?",
            id="misspelt-field",
        ),
        pytest.param("", "retained[0].what", "is required", id="what-missing"),
    ],
)
def test_a_broken_retained_entry_names_file_scope_and_field(
    registry_copy: Path, new: str, field: str, words: str
) -> None:
    edit(registry_copy / "callkom.toml", BILLING_ENTRY, new)

    with pytest.raises(RegistryFileError) as caught:
        load_registry_files(registry_copy)

    error = caught.value
    assert (error.file, error.key, error.field) == ("callkom.toml", "callkom:billing", field)
    assert words in error.message


def test_a_retained_entry_without_a_ground_is_refused(registry_copy: Path) -> None:
    edit(registry_copy / "callkom.toml", 'ground = "retention required by law"\n', "")

    with pytest.raises(RegistryFileError) as caught:
        load_registry_files(registry_copy)

    assert (caught.value.key, caught.value.field) == ("callkom:billing", "retained[0].ground")
    assert "is required" in caught.value.message


def test_an_empty_period_is_refused_rather_than_read_as_not_stated(registry_copy: Path) -> None:
    edit(registry_copy / "callkom.toml", 'period = "10 years"', 'period = "  "')

    with pytest.raises(RegistryFileError) as caught:
        load_registry_files(registry_copy)

    assert caught.value.field == "retained[0].period"
    assert "must not be empty" in caught.value.message


def test_the_same_data_retained_twice_in_one_scope_is_refused(registry_copy: Path) -> None:
    entry = (
        '[[scopes.retained]]\nwhat = "invoices and billing records"\n'
        'ground = "retention required by law"\nperiod = "10 years"\nsource = "§9.3"\n'
    )
    edit(registry_copy / "callkom.toml", entry, entry + "\n" + entry)

    with pytest.raises(RegistryFileError) as caught:
        load_registry_files(registry_copy)

    assert caught.value.field == "retained[1].what"
    assert "listed twice" in caught.value.message
