"""Readers for the deployment recipes in deploy/: the compose file, the systemd units and
env.example, plus the rewrites that run a unit's command line from this checkout."""

from __future__ import annotations

import configparser
import os
import shlex
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
COMPOSE_FILE = DEPLOY / "compose.yaml"
ENV_EXAMPLE = DEPLOY / "env.example"
UNITS = {
    "web": DEPLOY / "systemd" / "dsar-web.service",
    "worker": DEPLOY / "systemd" / "dsar-worker.service",
    "beat": DEPLOY / "systemd" / "dsar-beat.service",
}
# Where the units expect the checkout (WorkingDirectory) and its virtualenv.
UNIT_ROOT = "/opt/dsar"
UNIT_BIN = f"{UNIT_ROOT}/.venv/bin/"
# The virtualenv running the tests stands in for /opt/dsar/.venv.
VENV_BIN = Path(sys.executable).parent


def compose() -> dict[str, Any]:
    """The compose file as compose sees it: safe_load resolves the ``<<: *app`` merge keys."""
    data = yaml.safe_load(COMPOSE_FILE.read_text())
    assert isinstance(data, dict)
    return data


def env_example() -> dict[str, str]:
    """deploy/env.example's KEY=VALUE lines; quotes are stripped as the shell would."""
    values: dict[str, str] = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, separator, value = line.partition("=")
        assert separator, f"env.example: not KEY=VALUE: {line!r}"
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def unit(name: str) -> dict[str, str]:
    """The [Service] section of a unit. systemd keys are case-sensitive and may repeat."""
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(UNITS[name])
    return dict(parser["Service"])


def unit_command(name: str) -> list[str]:
    return shlex.split(unit(name)["ExecStart"])


def local_command(argv: list[str], var_dir: Path) -> list[str]:
    """A unit's command line for this checkout: the test virtualenv instead of
    /opt/dsar/.venv, and var_dir instead of env.example's DSAR_VAR_DIR (the unit's
    ReadWritePaths), which is where beat's --schedule file lives."""
    production_var = env_example()["DSAR_VAR_DIR"]
    assert argv[0].startswith(UNIT_BIN), argv[0]
    local = [str(VENV_BIN / argv[0].removeprefix(UNIT_BIN))]
    for arg in argv[1:]:
        if arg == production_var or arg.startswith(production_var + "/"):
            arg = str(var_dir) + arg.removeprefix(production_var)
        local.append(arg)
    return local


def local_environment(overrides: Mapping[str, str | None]) -> dict[str, str]:
    """env.example as EnvironmentFile= would give it, with ``overrides`` (None removes).

    PATH is kept so the unit's program can find its interpreter; nothing else leaks in
    from the test run, so the production settings come from env.example alone."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **env_example()}
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


@dataclass
class Service:
    """A unit's process, started in its own process group, its output kept in a file."""

    name: str
    process: subprocess.Popen[bytes]
    log_path: Path
    log_file: IO[bytes]

    def log(self) -> str:
        if not self.log_file.closed:
            self.log_file.flush()
        return self.log_path.read_text(errors="replace")

    def assert_running(self) -> None:
        assert self.process.poll() is None, (
            f"{self.name} exited with {self.process.returncode}:\n{self.log()}"
        )

    def stop(self, timeout: float = 30) -> int:
        """SIGTERM (systemd's stop), then SIGKILL to the whole group if it lingers."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.log_file.close()
        return self.process.returncode


def start(name: str, argv: list[str], env: Mapping[str, str], log_dir: Path) -> Service:
    log_path = log_dir / f"{name}.log"
    log_file = log_path.open("wb")
    process = subprocess.Popen(
        argv, cwd=ROOT, env=dict(env), stdout=log_file, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    return Service(name=name, process=process, log_path=log_path, log_file=log_file)


def wait_for(
    condition: Callable[[], bool], *, timeout: float, services: list[Service], what: str
) -> None:
    """Poll ``condition`` until it holds; fail early if a service dies, or at the deadline."""
    deadline = time.monotonic() + timeout
    while not condition():
        for service in services:
            service.assert_running()
        assert time.monotonic() < deadline, f"{what}: not within {timeout:.0f} s"
        time.sleep(0.2)


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]
    body: bytes


def http(
    url: str,
    *,
    host: str,
    method: str = "GET",
    body: bytes | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """One plain-HTTP call as the TLS-ending proxy would forward it."""
    request = urllib.request.Request(  # noqa: S310 (a loopback http:// URL built by the test)
        url,
        data=body,
        method=method,
        headers={"Host": host, "X-Forwarded-Proto": "https", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
            return Response(answer.status, dict(answer.headers), answer.read())
    except urllib.error.HTTPError as error:
        return Response(error.code, dict(error.headers), error.read())


def answers(url: str, host: str) -> bool:
    """Whether the server accepts connections at all (any HTTP status)."""
    try:
        http(url, host=host)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False
    return True
