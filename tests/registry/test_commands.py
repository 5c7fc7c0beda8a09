from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from routing.models import Customer
from tests.support.processes import SERVICE_SETTINGS

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def _plan(*args: str) -> dict:
    out = io.StringIO()
    call_command("plan_route", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_plan_route_forwards_a_do_not_call_to_the_customer_who_called(registry) -> None:
    plan = _plan(
        "--organisation", "callkom", "--kind", "objection",
        "--scope", "callkom:ai-calls", "--phone", "+33 1 99 00 12 34",
    )  # fmt: skip

    assert plan["organisation"] == "callkom"
    (route,) = plan["routes"]
    assert route["scope"] == "callkom:ai-calls"
    assert route["role"] == "processor"
    assert route["action"] == "forward"
    assert route["target"] == {
        "type": "customer",
        "name": "Maison Exemple",
        "email": "privacy@maison.example",
        "url": None,
    }
    assert "ask_customer_to_block_number" in [task["code"] for task in route["tasks"]]
    assert route["explanation"]


@pytest.mark.parametrize(
    ("args", "field", "listed"),
    [
        (["--organisation", "nope", "--kind", "access"], "--organisation", "callkom"),
        (["--organisation", "callkom", "--kind", "teleport"], "--kind", "erasure"),
        (
            ["--organisation", "callkom", "--kind", "access", "--scope", "callkom:nope"],
            "--scope",
            "callkom:ai-calls",
        ),
        (
            ["--organisation", "callkom", "--kind", "access", "--scope", "clickacall:website"],
            "--scope",
            "clickacall",
        ),
        (["--organisation", "callkom", "--kind", "access", "--phone", "12"], "--phone", ""),
        (["--organisation", "callkom", "--kind", "access", "--website", "a b"], "--website", ""),
    ],
    ids=[
        "unknown-org",
        "unknown-kind",
        "unknown-scope",
        "foreign-scope",
        "bad-phone",
        "bad-domain",
    ],
)
def test_plan_route_bad_input_names_the_option(registry, args, field, listed) -> None:
    with pytest.raises(CommandError) as error:
        call_command("plan_route", *args, "--json")

    assert error.value.returncode == 2
    assert str(error.value).startswith(field)
    assert listed in str(error.value)


def test_add_customer_prints_its_id_and_the_plan_then_finds_it(registry) -> None:
    out = io.StringIO()
    call_command(
        "add_customer", "--organisation", "callkom", "--name", "Boulangerie Fictive",
        "--email", "dpo@boulangerie.example", "--phone", "+33 1 99 00 43 21", stdout=out,
    )  # fmt: skip

    customer = Customer.objects.get(pk=int(out.getvalue()))
    assert customer.source == Customer.Source.SCRIPT
    plan = _plan("--organisation", "callkom", "--kind", "access", "--phone", "0199004321")
    targets = {route["scope"]: route["target"]["name"] for route in plan["routes"]}
    assert targets["callkom:ai-calls"] == "Boulangerie Fictive"


def test_add_customer_bad_input_names_the_option(registry) -> None:
    with pytest.raises(CommandError, match=r"^--phone: ") as error:
        call_command("add_customer", "--organisation", "callkom", "--name", "X", "--phone", "12")

    assert error.value.returncode == 2
    assert not Customer.objects.filter(name="X").exists()


@pytest.mark.slow
def test_plan_route_command_line_exits_2_with_the_message_on_stderr(tmp_path) -> None:
    env = {**os.environ, **SERVICE_SETTINGS, "DSAR_VAR_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    for args in (["migrate", "-v0"], ["load_registry"]):
        subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
                       capture_output=True)  # fmt: skip

    result = subprocess.run(
        [sys.executable, "manage.py", "plan_route", "--organisation", "callkom",
         "--kind", "teleport", "--json"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip

    assert result.returncode == 2
    assert result.stdout == ""
    assert "--kind" in result.stderr
    assert "access" in result.stderr
