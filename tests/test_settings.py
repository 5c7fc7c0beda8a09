from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from dsar.env import env_bool, env_choice, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parents[1]


def _example_environment() -> dict[str, str]:
    values = {}
    for line in (ROOT / "deploy" / "env.example").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[key] = shlex.split(value)[0] if value else ""
    return values


def test_env_bool_names_the_variable_on_a_bad_value() -> None:
    with pytest.raises(ImproperlyConfigured, match="DJANGO_DEBUG='maybe'"):
        env_bool("DJANGO_DEBUG", True, environ={"DJANGO_DEBUG": "maybe"})


@pytest.mark.parametrize(("raw", "expected"), [("false", False), ("0", False), ("YES", True)])
def test_env_bool_reads_common_spellings(raw: str, expected: bool) -> None:
    assert env_bool("FLAG", not expected, environ={"FLAG": raw}) is expected


def test_env_int_refuses_text_and_values_below_minimum() -> None:
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT='smtp' is not an integer"):
        env_int("EMAIL_PORT", 25, environ={"EMAIL_PORT": "smtp"})
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT=0 is below 1"):
        env_int("EMAIL_PORT", 25, minimum=1, environ={"EMAIL_PORT": "0"})


def test_env_str_requires_a_value_without_default() -> None:
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY is required"):
        env_str("DJANGO_SECRET_KEY", environ={"DJANGO_SECRET_KEY": "  "})


def test_env_list_splits_and_trims() -> None:
    assert env_list("HOSTS", environ={"HOSTS": "a.example, b.example,,"}) == [
        "a.example",
        "b.example",
    ]


def test_env_choice_lists_the_choices() -> None:
    with pytest.raises(ImproperlyConfigured, match="one of: files, console, smtp"):
        env_choice("EMAIL_DELIVERY", "files", ("files", "console", "smtp"), environ={
            "EMAIL_DELIVERY": "pigeon"
        })  # fmt: skip


def _manage(args: list[str], env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ANYMAIL_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env, "DSAR_VAR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_the_example_environment(tmp_path: Path) -> None:
    result = _manage(
        ["check", "--deploy", "--fail-level", "WARNING"], _example_environment(), tmp_path
    )

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_mode_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    env = _example_environment()
    del env["DJANGO_SECRET_KEY"]

    result = _manage(["check"], env, tmp_path)

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required" in result.stderr
