"""The public forms' rate limits come from the environment, and the 429 page names a
real address to write to."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from dsar.env import env_rate
from routing.models import Organisation
from tests.intake.test_form import CALLKOM, callkom_post

ROOT = Path(__file__).resolve().parents[2]
RATES = (
    "DSAR_INTAKE_RATE_PER_IP",
    "DSAR_INTAKE_RATE_PER_EMAIL",
    "DSAR_CONFIRM_RATE_PER_IP",
    "DSAR_STATUS_RATE_PER_IP",
)


@pytest.mark.parametrize("value", ["10/h", "100/15m", "5/d", "1/s"])
def test_a_rate_is_read(value: str) -> None:
    assert env_rate("R", "1/h", environ={"R": value}) == value


@pytest.mark.parametrize("value", ["10", "ten/h", "10/hour", "10 per h", "/h"])
def test_a_bad_rate_is_refused_with_its_name(value: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=f"DSAR_INTAKE_RATE_PER_IP={value!r}"):
        env_rate("DSAR_INTAKE_RATE_PER_IP", "10/h", environ={"DSAR_INTAKE_RATE_PER_IP": value})


def _settings_with(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    script = (
        "import json; from django.conf import settings as s; "
        f"print(json.dumps({{k: getattr(s, k) for k in {(*RATES, 'DSAR_CONTACT_EMAIL')!r}}}))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DSAR_"))}
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={
            **clean,
            **env,
            "DJANGO_SETTINGS_MODULE": "dsar.settings",
            "DSAR_VAR_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.slow
def test_the_rates_and_contact_come_from_the_environment(tmp_path: Path) -> None:
    env = dict(zip(RATES, ("3/m", "2/h", "40/h", "50/d"), strict=True))
    env["DSAR_CONTACT_EMAIL"] = "help@privacy.example"

    result = _settings_with(env, tmp_path)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == env


def test_every_rate_is_listed_in_env_example() -> None:
    listed = (ROOT / "deploy" / "env.example").read_text()

    for name in (*RATES, "DSAR_CONTACT_EMAIL", "DSAR_TRUSTED_PROXIES", "DSAR_BIND"):
        assert f"{name}=" in listed, name


@pytest.mark.django_db
def test_the_intake_limit_is_the_setting(client: Client, registry: Any, settings: Any) -> None:
    settings.DSAR_INTAKE_RATE_PER_IP = "2/h"
    for n in range(2):
        assert client.post(CALLKOM, callkom_post(email=f"a{n}@example.org")).status_code == 302

    assert client.post(CALLKOM, callkom_post(email="c@example.org")).status_code == 429


@pytest.mark.django_db
def test_the_email_limit_is_the_setting(client: Client, registry: Any, settings: Any) -> None:
    settings.DSAR_INTAKE_RATE_PER_EMAIL = "1/h"
    first = client.post(CALLKOM, callkom_post(), REMOTE_ADDR="192.0.2.1")
    again = client.post(CALLKOM, callkom_post(), REMOTE_ADDR="192.0.2.2")

    assert (first.status_code, again.status_code) == (302, 429)


@pytest.mark.django_db
def test_the_confirm_limit_is_the_setting(client: Client, settings: Any) -> None:
    settings.DSAR_CONFIRM_RATE_PER_IP = "1/h"
    client.post("/confirm/not-a-code/")

    assert client.post("/confirm/not-a-code/").status_code == 429


@pytest.mark.django_db
def test_the_status_limit_is_the_setting(client: Client, settings: Any) -> None:
    settings.DSAR_STATUS_RATE_PER_IP = "1/h"
    client.post("/s/not-a-token/withdraw/", {"confirm": "on"})

    assert client.post("/s/not-a-token/withdraw/", {"confirm": "on"}).status_code == 429


def _limited_intake(client: Client, settings: Any, **headers: Any) -> str:
    settings.DSAR_INTAKE_RATE_PER_IP = "1/h"
    client.post(CALLKOM, callkom_post(email="a@example.org"))
    response = client.post(CALLKOM, callkom_post(email="b@example.org"), **headers)
    assert response.status_code == 429
    return response.content.decode()


@pytest.mark.django_db
def test_the_429_page_names_the_organisations_privacy_contact(
    client: Client, registry: Any, settings: Any
) -> None:
    Organisation.objects.filter(slug="callkom").update(privacy_email="dpo@callkom.example")

    page = _limited_intake(client, settings)

    assert '<a href="mailto:dpo@callkom.example">dpo@callkom.example</a>' in page


@pytest.mark.django_db
def test_without_one_the_429_page_names_the_services_contact(
    client: Client, registry: Any, settings: Any
) -> None:
    Organisation.objects.filter(slug="callkom").update(privacy_email="")
    settings.DSAR_CONTACT_EMAIL = "help@privacy.example"

    page = _limited_intake(client, settings)

    assert '<a href="mailto:help@privacy.example">help@privacy.example</a>' in page


@pytest.mark.django_db
def test_the_status_429_page_names_the_services_contact(client: Client, settings: Any) -> None:
    settings.DSAR_STATUS_RATE_PER_IP = "1/h"
    settings.DSAR_CONTACT_EMAIL = "help@privacy.example"
    client.post("/s/not-a-token/answer/", {"text": "x"})

    page = client.post("/s/not-a-token/answer/", {"text": "x"}).content.decode()

    assert "mailto:help@privacy.example" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("fr", "Si votre demande est urgente, écrivez à"),
        ("sl", "Če je Vaša zahteva nujna, pišite na"),
    ],
)
def test_the_contact_sentence_is_translated(
    client: Client, registry: Any, settings: Any, language: str, sentence: str
) -> None:
    Organisation.objects.filter(slug="callkom").update(privacy_email="dpo@callkom.example")

    page = _limited_intake(client, settings, HTTP_ACCEPT_LANGUAGE=language)

    assert sentence in page
    assert "mailto:dpo@callkom.example" in page
