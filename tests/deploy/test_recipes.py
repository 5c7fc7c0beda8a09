"""The deployment recipes in deploy/: the compose file is valid and agrees with the systemd
units, and each unit's command line starts the service with env.example's production settings.

Nothing here needs PostgreSQL or Redis: the processes run on SQLite and kombu's filesystem
broker in a temporary directory. tests/integration/test_production_smoke.py runs the same
command lines against the real services.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from compose_spec import PyCompose

from tests.support.processes import free_port
from tests.support.recipes import (
    ENV_EXAMPLE,
    ROOT,
    UNIT_BIN,
    UNIT_ROOT,
    UNITS,
    VENV_BIN,
    Service,
    answers,
    compose,
    env_example,
    http,
    local_command,
    local_environment,
    start,
    unit,
    unit_command,
    wait_for,
)
from tests.support.services import skip_or_fail

APP_SERVICES = ("web", "worker", "beat")
CATCHER = "mailpit"
REQUIRED_SERVICES = {"migrate", "web", "worker", "beat", "postgres", "redis", CATCHER}
UNIT_KEYS = ("User", "WorkingDirectory", "EnvironmentFile", "ExecStart", "Restart")


def _validate(data: dict[str, Any]) -> PyCompose:
    # from_dict wants a pydantic model; JSON is the plain-data door into the validator.
    return PyCompose.from_json(json.dumps(data))


def _depends_on(service: dict[str, Any]) -> list[str]:
    """depends_on in either of its forms: a list of names or a mapping of name to condition."""
    return list(service.get("depends_on") or [])


# --- Compose --------------------------------------------------------------------------------


def test_the_compose_file_is_valid_against_the_compose_spec() -> None:
    data = compose()

    parsed = _validate(data)

    assert set(parsed.services or {}) == set(data["services"])


def test_the_compose_validator_rejects_an_invalid_file() -> None:
    data = copy.deepcopy(compose())
    data["services"]["web"]["restart"] = "sometimes"

    with pytest.raises(ValueError, match="sometimes"):
        _validate(data)


def test_the_compose_file_defines_every_service_the_deployment_needs() -> None:
    assert set(compose()["services"]) >= REQUIRED_SERVICES


def test_every_depends_on_names_a_defined_service() -> None:
    services = compose()["services"]

    missing = {
        (name, dependency)
        for name, service in services.items()
        for dependency in _depends_on(service)
        if dependency not in services
    }

    assert missing == set()


def test_no_service_started_by_default_waits_for_one_behind_a_profile() -> None:
    # compose refuses to start a service whose dependency's profile is not enabled.
    services = compose()["services"]
    always = {name for name, service in services.items() if not service.get("profiles")}

    blocked = {
        (name, dependency)
        for name in always
        for dependency in _depends_on(services[name])
        if dependency not in always
    }

    assert blocked == set()


@pytest.mark.parametrize("name", APP_SERVICES)
def test_compose_runs_the_same_command_as_the_systemd_unit(name: str) -> None:
    argv = unit_command(name)
    assert argv[0].startswith(UNIT_BIN)

    assert compose()["services"][name]["command"] == [argv[0].removeprefix(UNIT_BIN), *argv[1:]]


def test_the_mail_catcher_starts_only_with_the_staging_profile() -> None:
    services = compose()["services"]

    assert services[CATCHER]["profiles"] == ["staging"]
    assert {name for name, service in services.items() if service.get("profiles")} == {CATCHER}


_VARIABLE = re.compile(r"\$\{(?P<name>\w+)(?::-(?P<default>[^}]*))?\}")


def _interpolate(value: str, dotenv: dict[str, str]) -> str:
    """compose's ${NAME} and ${NAME:-default}: the .env value unless unset or empty."""
    return _VARIABLE.sub(
        lambda match: dotenv.get(match["name"]) or match["default"] or "", str(value)
    )


def _container_environment(name: str, dotenv: dict[str, str]) -> dict[str, str]:
    """What a service's process sees: env_file (.env) overridden by ``environment``."""
    service = compose()["services"][name]
    assert service["env_file"] == [".env"]
    return {
        **dotenv,
        **{key: _interpolate(value, dotenv) for key, value in service["environment"].items()},
    }


def _mail_settings(environment: dict[str, str], var_dir: Path) -> dict[str, Any]:
    """The email settings dsar.settings derives from ``environment``, read in a fresh process."""
    script = (
        "import json; from django.conf import settings as s; print(json.dumps({k: getattr(s, k, "
        "None) for k in ('EMAIL_BACKEND', 'EMAIL_HOST', 'EMAIL_PORT')}))"
    )
    env = {
        **environment,
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "dsar.settings",
        # The container's /var/lib/dsar does not exist here.
        "DSAR_VAR_DIR": str(var_dir),
    }
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    settings: dict[str, Any] = json.loads(result.stdout)
    return settings


def _catcher_smtp_port() -> int:
    bind = compose()["services"][CATCHER]["environment"]["MP_SMTP_BIND_ADDR"]
    return int(bind.rpartition(":")[2])


@pytest.mark.integration
@pytest.mark.parametrize(
    ("dotenv_changes", "expected"),
    [
        pytest.param(
            {"ANYMAIL_ESP": ""},
            {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_HOST": CATCHER},
            id="staging-catcher",
        ),
        pytest.param(
            {"ANYMAIL_ESP": "", "EMAIL_HOST": "smtp.example.net", "EMAIL_PORT": "587"},
            {
                "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "EMAIL_HOST": "smtp.example.net",
                "EMAIL_PORT": 587,
            },
            id="relay-from-env",
        ),
        pytest.param(
            {},
            {"EMAIL_BACKEND": "anymail.backends.postmark.EmailBackend"},
            id="provider-from-env",
        ),
    ],
)
def test_app_services_send_mail_where_env_says_and_to_the_catcher_otherwise(
    dotenv_changes: dict[str, str], expected: dict[str, Any], tmp_path: Path
) -> None:
    dotenv = {**env_example(), **dotenv_changes}
    environments = [_container_environment(name, dotenv) for name in APP_SERVICES]
    assert all(environment == environments[0] for environment in environments)
    if expected.get("EMAIL_HOST") == CATCHER:
        expected = {**expected, "EMAIL_PORT": _catcher_smtp_port()}

    settings = _mail_settings(environments[0], tmp_path)

    assert {key: settings[key] for key in expected} == expected


# --- systemd units --------------------------------------------------------------------------


@pytest.mark.parametrize("name", APP_SERVICES)
def test_the_unit_says_who_runs_what_where_and_how_it_restarts(name: str) -> None:
    service = unit(name)

    assert {key: bool(service.get(key)) for key in UNIT_KEYS} == dict.fromkeys(UNIT_KEYS, True)
    # The virtualenv lives in the checkout (deploy/README.md), which the local runs rely on.
    assert service["WorkingDirectory"] == UNIT_ROOT
    assert service["ExecStart"].startswith(UNIT_BIN)


@pytest.mark.parametrize("name", APP_SERVICES)
def test_the_unit_may_write_where_the_service_keeps_its_state(name: str) -> None:
    # ProtectSystem=strict makes every other path read-only, and settings create folders
    # (static files, beat's schedule) under DSAR_VAR_DIR at start.
    service = unit(name)
    var_dir = env_example()["DSAR_VAR_DIR"]
    writable = service.get("ReadWritePaths", "").split()

    assert service.get("ProtectSystem") == "strict"
    assert var_dir in writable
    argv = unit_command(name)
    if "--schedule" in argv:
        schedule = Path(argv[argv.index("--schedule") + 1])
        assert any(schedule.is_relative_to(path) for path in writable)


@pytest.mark.parametrize("name", APP_SERVICES)
def test_the_units_program_is_installed_in_the_virtualenv(name: str, tmp_path: Path) -> None:
    program = Path(local_command(unit_command(name), tmp_path)[0])

    assert program.is_file()
    assert os.access(program, os.X_OK)


def _systemd_analyze() -> str:
    binary = shutil.which("systemd-analyze")
    if binary is None:
        skip_or_fail("needs systemd-analyze (apt-get install systemd)")
    return binary


def _local_unit_files(directory: Path, replace: dict[str, str] | None = None) -> list[Path]:
    """Copies of the units pointing at this checkout, its virtualenv and env.example."""
    rewrites = {
        UNIT_BIN: f"{VENV_BIN}/",
        UNIT_ROOT: str(ROOT),
        "EnvironmentFile=/etc/dsar/env": f"EnvironmentFile={ENV_EXAMPLE}",
        **(replace or {}),
    }
    copies = []
    for path in UNITS.values():
        text = path.read_text()
        for old, new in rewrites.items():
            text = text.replace(old, new)
        copy_path = directory / path.name
        copy_path.write_text(text)
        copies.append(copy_path)
    return copies


def _verify(units: list[Path]) -> tuple[int, str]:
    result = subprocess.run(
        [_systemd_analyze(), "verify", "--man=no", *map(str, units)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    return result.returncode, result.stdout + result.stderr


@pytest.mark.integration
def test_systemd_analyze_verify_accepts_the_units(tmp_path: Path) -> None:
    units = _local_unit_files(tmp_path)

    returncode, output = _verify(units)

    # verify warns about unknown keys and bad values without failing: any line naming one
    # of our units is a finding.
    findings = [line for line in output.splitlines() if any(u.name in line for u in units)]
    assert (returncode, findings) == (0, [])


@pytest.mark.integration
def test_systemd_analyze_verify_rejects_a_unit_whose_program_is_missing(tmp_path: Path) -> None:
    units = _local_unit_files(tmp_path, replace={"bin/gunicorn": "bin/no-such-gunicorn"})

    returncode, output = _verify(units)

    assert returncode != 0
    assert "no-such-gunicorn" in output


# --- The units' command lines, started -------------------------------------------------------


def _offline_environment(var_dir: Path, **overrides: str) -> dict[str, str]:
    """env.example with local state in var_dir, SQLite, and no Redis: kombu's filesystem
    broker under var_dir stands in for it."""
    return local_environment(
        {
            "DSAR_VAR_DIR": str(var_dir),
            "DATABASE_URL": f"sqlite:///{var_dir / 'db.sqlite3'}",
            "REDIS_URL": None,
            **overrides,
        }
    )


@pytest.mark.integration
def test_the_web_unit_serves_healthz_with_the_production_settings(tmp_path: Path) -> None:
    port = free_port()
    env = _offline_environment(tmp_path, GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS="1")
    # /healthz reads the heartbeat table, so the database needs its schema.
    migrate = subprocess.run(
        [str(VENV_BIN / "python"), "manage.py", "migrate", "--noinput"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert migrate.returncode == 0, migrate.stdout + migrate.stderr
    host = env["DJANGO_ALLOWED_HOSTS"].split(",")[0]
    url = f"http://127.0.0.1:{port}/healthz"
    web = start("web", local_command(unit_command("web"), tmp_path), env, tmp_path)
    try:
        wait_for(lambda: answers(url, host), timeout=60, services=[web], what="gunicorn")

        health = http(url, host=host)
        stranger = http(url, host="elsewhere.example.net")
    finally:
        returncode = web.stop()
        print(web.log())  # shown by pytest only when the test fails

    assert health.status == 200
    assert json.loads(health.body) | {"scheduler": None} == {
        "status": "ok",
        "database": {"ok": True, "detail": "sqlite"},
        "broker": {"ok": True, "detail": "filesystem"},
        "scheduler": None,
    }
    # Production mode, behind the TLS proxy: HSTS on a request the proxy marked https.
    assert "max-age=31536000" in health.headers["Strict-Transport-Security"]
    assert stranger.status == 400  # a host outside DJANGO_ALLOWED_HOSTS
    assert returncode == 0  # SIGTERM, systemd's stop, is a clean shutdown


@pytest.mark.integration
def test_the_worker_and_beat_units_start_with_the_production_settings(tmp_path: Path) -> None:
    env = _offline_environment(tmp_path)
    services: list[Service] = []
    try:
        for name in ("worker", "beat"):
            services.append(start(name, local_command(unit_command(name), tmp_path), env, tmp_path))
        worker, beat = services
        wait_for(
            lambda: re.search(r"celery@\S+ ready\.", worker.log()) is not None,
            timeout=60, services=services, what="the worker's ready line",
        )  # fmt: skip
        # The unit's --schedule, moved from /var/lib/dsar to the temporary directory.
        wait_for(
            lambda: "beat: Starting..." in beat.log()
            and any(tmp_path.glob("celerybeat-schedule*")),
            timeout=60, services=services, what="beat's start and its schedule file",
        )  # fmt: skip
    finally:
        returncodes = {service.name: service.stop() for service in services}
        for service in services:
            print(f"--- {service.name}\n{service.log()}")  # shown only when the test fails

    assert returncodes == {"worker": 0, "beat": 0}
