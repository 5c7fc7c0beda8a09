from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db


def _deadline(*args: str) -> dict:
    out = io.StringIO()
    call_command("deadline", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_the_documented_command_gives_the_worked_example() -> None:
    result = _deadline(
        "--regime", "gdpr", "--timezone", "Europe/Paris", "--country", "FR",
        "--received", "2026-01-31T10:00:00+00:00",
    )  # fmt: skip

    assert set(result) == {
        "regime", "received_on", "acknowledge_by", "due_on", "extended_due_on",
        "opt_out_due_on", "forward_due_on", "explanation",
    }  # fmt: skip
    assert (result["due_on"], result["extended_due_on"]) == ("2026-03-02", "2026-04-30")
    assert result["acknowledge_by"] is None
    assert any("Saturday" in sentence for sentence in result["explanation"])


def test_uk_subdivision_and_pause_options() -> None:
    result = _deadline(
        "--regime", "uk-gdpr", "--timezone", "Europe/London", "--country", "GB",
        "--subdivision", "ENG", "--received", "2027-04-01T09:00:00+01:00", "--paused-days", "0",
        "--kind", "access",
    )  # fmt: skip

    assert result["due_on"] == "2027-05-04"


def test_organisation_brings_its_zone_calendar_and_commitments(registry) -> None:
    callkom = _deadline("--organisation", "callkom", "--received", "2026-01-31T23:30:00+00:00")
    click = _deadline(
        "--organisation", "click-and-call", "--received", "2025-01-15T12:00:00-08:00",
        "--kind", "erasure",
    )  # fmt: skip

    # 23:30 UTC on 31 January is 1 February in Paris (deadlines.md, second example).
    assert (callkom["received_on"], callkom["due_on"]) == ("2026-02-01", "2026-03-02")
    assert click["regime"] == "ccpa"
    assert click["acknowledge_by"] == "2025-01-30"
    # Click & Call promises deletion within 30 days of an account's closure.
    assert click["due_on"] == "2025-02-14"
    assert any("commitment" in sentence.lower() for sentence in click["explanation"])


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--regime", "nope", "--timezone", "UTC", "--received", "2026-01-01T00:00Z"], "--regime"),
        (
            ["--regime", "gdpr", "--timezone", "Mars/Base", "--received", "2026-01-01T00:00Z"],
            "--timezone",
        ),
        (["--regime", "gdpr", "--timezone", "UTC", "--received", "2026-01-01T00:00"], "--received"),
        (["--regime", "gdpr", "--timezone", "UTC", "--received", "yesterday"], "--received"),
        (
            [
                "--regime",
                "gdpr",
                "--timezone",
                "UTC",
                "--country",
                "XX",
                "--received",
                "2026-01-01T00:00Z",
            ],
            "--country",
        ),
        (
            [
                "--regime",
                "gdpr",
                "--timezone",
                "UTC",
                "--kind",
                "teleport",
                "--received",
                "2026-01-01T00:00Z",
            ],
            "--kind",
        ),
        (
            [
                "--regime",
                "gdpr",
                "--timezone",
                "UTC",
                "--paused-days",
                "-1",
                "--received",
                "2026-01-01T00:00Z",
            ],
            "--paused-days",
        ),
        (["--timezone", "UTC", "--received", "2026-01-01T00:00Z"], "--regime"),
        (["--organisation", "nope", "--received", "2026-01-01T00:00Z"], "--organisation"),
    ],
    ids=["regime", "timezone", "naive", "garbage", "country", "kind", "pause", "no-regime", "org"],
)
def test_bad_options_exit_2_naming_the_option(args, option) -> None:
    with pytest.raises(CommandError) as error:
        call_command("deadline", *args, "--json")

    assert error.value.returncode == 2
    assert str(error.value).startswith(f"{option}:")
