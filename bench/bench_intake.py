"""Server time of the intake form's GET and POST at 16 concurrent clients.

Starts gunicorn (production settings, 3 sync workers) on a free loopback port against the
configured database, seeds a bench organisation there (committed: the server is another
process), and runs 16 client threads that each load the form and submit it. The server
time of every request is read from gunicorn's access log (%(D)s: from the request read to
the response written, without the time spent waiting in the listen queue). The server is
stopped and everything seeded or submitted is deleted before returning.

The server gets its own var/ directory (secret key, static files, broker folder, mail
folder) and no Redis or email provider: the confirmation emails it schedules are stored in
the outbox and handed to a broker folder nobody reads, so nothing leaves the machine.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection

from routing.models import (
    Customer,
    CustomerIdentifier,
    Event,
    Organisation,
    OutboundMessage,
    Request,
    Scope,
)

Row = tuple[str, float, str]
SLUG = "bench-intake"
CLIENTS = 16
WORKERS = 3
# Every client stops at this deadline whatever is left, so the run always ends.
RUN_SECONDS = 180
FORM_PATH = f"/o/{SLUG}/request/"
_CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_CSRF_COOKIE = re.compile(r"csrftoken=([^;]+)")


# --- data ------------------------------------------------------------------------------


def _delete_bench_data() -> None:
    requests = Request.objects.filter(organisation__slug=SLUG)
    # Events are append-only for the application; a bench cleans up what it made.
    Event.objects.filter(request__in=requests).delete()
    OutboundMessage.objects.filter(request__in=requests).delete()
    requests.delete()
    Organisation.objects.filter(slug=SLUG).delete()


def _seed() -> None:
    # The server runs the code's schema; a database behind it is brought up to date first,
    # as a deployment would.
    call_command("migrate", interactive=False, verbosity=0)
    _delete_bench_data()
    organisation = Organisation.objects.create(
        slug=SLUG, name="Bench Intake", reference_prefix="BNI", country="FR",
        timezone="Europe/Paris", holiday_country="FR", default_regime="gdpr",
        kinds=["access", "rectification", "erasure", "objection", "marketing_objection"],
        privacy_email="privacy@bench-intake.example",
    )  # fmt: skip
    Scope.objects.create(
        organisation=organisation, key=f"{SLUG}:calls", name="AI-call data",
        question="An automated agent called me on behalf of a company", role="processor",
        action="forward", identifier_types=["phone"], position=0,
        kind_tasks={"objection": ["ask_customer_to_block_number"]},
    )  # fmt: skip
    for position, name in enumerate(["website", "accounts", "billing"], start=1):
        Scope.objects.create(
            organisation=organisation, key=f"{SLUG}:{name}", name=f"{name} data",
            question=f"I have {name} data", role="controller", action="fulfil",
            position=position,
        )  # fmt: skip
    customer = Customer.objects.create(
        organisation=organisation, name="Bench Customer", email="dpo@bench-customer.example"
    )
    CustomerIdentifier.objects.create(customer=customer, type="phone", value="+33199004242")


# --- server ----------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _database_url() -> str:
    configured = os.environ.get("DATABASE_URL")
    if configured:
        return configured
    # The embedded default: the server must use the same SQLite file, not its own var/,
    # with the settings' lock timeout and write transactions.
    database = settings.DATABASES["default"]
    options = urllib.parse.urlencode(database.get("OPTIONS", {}))
    return f"sqlite:///{database['NAME']}" + (f"?{options}" if options else "")


def _server_env(var_dir: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        # No broker, cache or email provider of the machine's own: nothing is sent.
        if key not in {"REDIS_URL", "CACHE_URL", "ANYMAIL_ESP", "EMAIL_DELIVERY"}
        and not key.startswith("ANYMAIL_")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="dsar.settings",
        DATABASE_URL=_database_url(),
        DSAR_VAR_DIR=str(var_dir),
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_BEHIND_PROXY="false",
        EMAIL_DELIVERY="files",
        LOG_LEVEL="WARNING",
        # Every simulated client has its own address, so the per-address limit counts
        # each one apart, as it would for real subjects.
        DSAR_CLIENT_IP_HEADER="HTTP_X_BENCH_CLIENT",
    )
    return env


def _start_server(env: dict[str, str], port: int, access_log: Path) -> subprocess.Popen[bytes]:
    base = Path(settings.BASE_DIR)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=base,
        env=env,
        check=True,
        timeout=300,
    )
    command = [
        sys.executable, "-m", "gunicorn", "dsar.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS),
        "--access-logfile", str(access_log),
        "--access-logformat", "%(m)s %(U)s %(s)s %(D)s",
        "--error-logfile", str(access_log.with_name("error.log")),
        "--graceful-timeout", "5",
    ]  # fmt: skip
    # Its own process group, so stopping it stops its workers too.
    return subprocess.Popen(command, cwd=base, env=env, start_new_session=True)


def _wait_until_up(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        try:
            status, _body, _cookie = _get(port, "/", {})
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer within 60 s")


def _stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=5)


# --- clients ---------------------------------------------------------------------------


def _get(port: int, path: str, headers: dict[str, str]) -> tuple[int, str, str | None]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read().decode()
        cookie = _CSRF_COOKIE.search(response.getheader("Set-Cookie") or "")
        return response.status, body, cookie.group(1) if cookie else None
    finally:
        conn.close()


def _post(port: int, path: str, form: dict[str, str | list[str]], headers: dict[str, str]) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        body = urllib.parse.urlencode(form, doseq=True)
        conn.request(
            "POST",
            path,
            body=body,
            headers={**headers, "Content-Type": "application/x-www-form-urlencoded"},
        )
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


@dataclass
class _Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    done: int = 0
    failures: list[str] = field(default_factory=list)

    def fail(self, text: str) -> None:
        with self.lock:
            self.failures.append(text)


def _client(port: int, number: int, rounds: int, deadline: float, tally: _Tally) -> None:
    cookie: str | None = None
    for round_ in range(rounds):
        if time.monotonic() > deadline:
            return
        # Cookies are Secure in production settings; a browser on plain HTTP would drop
        # them, so the client sends its own header.
        headers = {"X-Bench-Client": f"10.{number}.{round_ // 250}.{round_ % 250 + 1}"}
        if cookie:
            headers["Cookie"] = f"csrftoken={cookie}"
        status, page, new_cookie = _get(port, FORM_PATH, headers)
        cookie = new_cookie or cookie
        token = _CSRF_FIELD.search(page)
        if status != 200 or token is None or cookie is None:
            tally.fail(f"GET {status}")
            continue
        headers["Cookie"] = f"csrftoken={cookie}"
        status = _post(
            port,
            FORM_PATH,
            {
                "csrfmiddlewaretoken": token.group(1),
                "scopes": [f"{SLUG}:calls"],
                "caller_phone": "01 99 00 42 42",
                "call_time": "yesterday around 2 pm",
                "kinds": ["objection"],
                "email": f"subject{number}-{round_}@bench.example",
                "name": f"Bench Subject {number}",
                "country": "FR",
                "details": "Please stop calling me.",
            },
            headers,
        )
        if status != 302:
            tally.fail(f"POST {status}")
        with tally.lock:
            tally.done += 1


def _server_times(access_log: Path) -> dict[str, list[float]]:
    """Milliseconds per request, by "GET" and "POST", for the form's path only."""
    times: dict[str, list[float]] = {"GET": [], "POST": []}
    for line in access_log.read_text().splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[1] == FORM_PATH and parts[0] in times:
            times[parts[0]].append(int(parts[3]) / 1000)
    return times


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else values[0]


def run(quick: bool = False) -> list[Row]:
    rounds = 5 if quick else 25
    _seed()
    try:
        with tempfile.TemporaryDirectory(prefix="dsar-bench-intake-") as folder:
            var_dir = Path(folder)
            access_log = var_dir / "access.log"
            port = _free_port()
            server = _start_server(_server_env(var_dir), port, access_log)
            try:
                _wait_until_up(port, server)
                # One round trip per worker first, so the figures are of warm processes.
                for number in range(WORKERS * 2):
                    _client(port, 200 + number, 1, time.monotonic() + 30, _Tally())
                warm = access_log.read_text().count("\n") if access_log.exists() else 0
                tally = _Tally()
                deadline = time.monotonic() + RUN_SECONDS
                threads = [
                    threading.Thread(target=_client, args=(port, n, rounds, deadline, tally))
                    for n in range(CLIENTS)
                ]
                started = time.perf_counter()
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join(timeout=RUN_SECONDS + 60)
                elapsed = time.perf_counter() - started
            finally:
                _stop_server(server)
            lines = access_log.read_text().splitlines()[warm:]
            access_log.write_text("\n".join(lines))
            times = _server_times(access_log)
    finally:
        _delete_bench_data()
    vendor = connection.vendor
    label = f"{CLIENTS} clients, {WORKERS} workers, {vendor}"
    rows: list[Row] = []
    for method in ("GET", "POST"):
        values = times[method]
        if not values:
            continue
        rows += [
            (
                f"intake: form {method} server time, median ({label})",
                statistics.median(values),
                "ms",
            ),
            (f"intake: form {method} server time, p95 ({label})", _p95(values), "ms"),
        ]
    rows += [
        (f"intake: submissions (GET + POST) per second ({label})", tally.done / elapsed, "per s"),
        ("intake: failed requests", float(len(tally.failures)), "count"),
    ]
    return rows


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dsar.settings")
    django.setup()
    for row in run(quick="--quick" in sys.argv):
        print(row)
