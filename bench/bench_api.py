"""The REST API under load: gunicorn on the loopback against a throwaway database.

Creates a database of its own (PostgreSQL beside DATABASE_URL's when that is set, else a
SQLite file), loads the registry, starts gunicorn as production would run it, and drives
it with wrk (or client threads) over loopback connections. Every phase is bounded by a request
count and a time limit. The server is stopped and the database dropped at the end, so the
configured database is left as found.

Figures: time until the web process answers; creates per second with p50/p99 latency at
8 and 32 concurrent clients, with 100,000 requests already stored, and the CPU each create
costs the web workers, PostgreSQL and Redis (when they run on this host); list latency with
them; queries per list call at page sizes 10 and 100; the resident memory of each web worker.

On PostgreSQL it also measures the floor: the SQL of one README create, captured here and
replayed by ``bench.floor_app`` under the same gunicorn and load, with no framework at all.
No change to the Python side of the create can beat that figure on the same host.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

Row = tuple[str, float, str]
ROOT = Path(__file__).resolve().parents[1]
# Bounds: no phase sends more than this many requests or runs longer than this.
PHASE_SECONDS = 45.0
CREATES = {8: 3000, 32: 3000}
QUICK_CREATES = {8: 200, 32: 200}
LISTED_REQUESTS = 100_000
LIST_CALLS = 300


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _database_url(name: str) -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{name}"
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    return f"postgres://{auth}{db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}/{name}"


@contextmanager
def _throwaway_database(folder: Path) -> Iterator[str]:
    """Switch this process to a fresh, migrated database; drop it afterwards."""
    creation = connection.creation
    sqlite = connection.vendor == "sqlite"
    test_settings = connection.settings_dict.setdefault("TEST", {})
    previous_test_name = test_settings.get("NAME")
    test_settings["NAME"] = str(folder / "bench.sqlite3") if sqlite else f"dsar_bench_{os.getpid()}"
    # create_test_db answers the new database's name; the configured one is restored after.
    old_name = connection.settings_dict["NAME"]
    creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield connection.settings_dict["NAME"]
    finally:
        creation.destroy_test_db(old_name, verbosity=0)
        test_settings["NAME"] = previous_test_name


def _seed_registry() -> str:
    """The shipped registry and an integration of every organisation; returns its token."""
    from routing.models import Organisation
    from routing.planning import load_demo_customers, load_registry_files
    from routing.services.integrations import integration_create
    from routing.services.registry import registry_load

    registry_load(files=load_registry_files(), demo_customers=load_demo_customers())
    created = integration_create(
        name="bench", organisations=list(Organisation.objects.all()), can_write=True
    )
    return created.token


class Server:
    """gunicorn with production settings, as deploy/gunicorn.conf.py sizes it."""

    def __init__(
        self,
        database_url: str,
        folder: Path,
        workers: int,
        app: str = "dsar.wsgi:application",
        extra_env: dict[str, str] | None = None,
    ) -> None:
        self.port = _free_port()
        self.workers = workers
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "DSAR_VAR_DIR": str(folder / "var"),
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_SECURE_HSTS_SECONDS": "0",
            "DSAR_API_THROTTLE": "10000000/min",
            "LOG_LEVEL": "ERROR",
            "EMAIL_DELIVERY": "files",
            **(extra_env or {}),
        }
        self.log = (folder / f"gunicorn-{self.port}.log").open("wb")
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", app,
                "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers),
                "--worker-class", "sync", "--timeout", "30", "--log-level", "error",
            ],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip

    def wait_ready(self, path: str, token: str, limit: float = 30.0) -> float:
        """Seconds from start until a call answers 2xx."""
        deadline = self.started + limit
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log.name}")
            try:
                status, _, _ = request(self.port, "GET", path, token)
                if 200 <= status < 300:
                    return time.perf_counter() - self.started
            except OSError:
                pass
            time.sleep(0.02)
        raise RuntimeError(f"gunicorn not ready after {limit:.0f} s")

    def worker_pids(self) -> list[int]:
        # The parent pid is stat's fourth field, the second after the command name.
        return [pid for pid, _, fields in _processes() if int(fields[1]) == self.process.pid]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def request(
    port: int, method: str, path: str, token: str, body: bytes | None = None, key: str = ""
) -> tuple[int, float, bytes]:
    """One call on a new connection (gunicorn's sync workers close each one)."""
    headers = {"Authorization": f"Bearer {token}", "Connection": "close"}
    if body is not None:
        headers["Content-Type"] = "application/json"
    if key:
        headers["Idempotency-Key"] = key
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
    finally:
        conn.close()
    return response.status, time.perf_counter() - started, data


# Every organisation handles access requests, fulfilled by itself: no forward, no email
# to a customer.
SPREAD = ["callkom", "comfortclick", "comfile-360", "click-and-call", "clickacall"]


def _spread_body(n: int) -> bytes:
    """An access request, the organisations taking turns."""
    return json.dumps(
        {
            "organisation": SPREAD[n % len(SPREAD)],
            "kinds": ["access"],
            "subject": {"name": f"Subject {n}", "email": f"spread{n}@example.org"},
        }
    ).encode()


def _readme_body(n: int) -> bytes:
    """The README's example, with a subject of its own so no two are duplicates."""
    return json.dumps(
        {
            "organisation": "callkom",
            "kinds": ["objection"],
            "scopes": ["callkom:ai-calls"],
            "subject": {
                "name": f"Subject {n}",
                "email": f"subject{n}@example.org",
                "phone": f"+33 6 39 98 {n % 100:02d} {n // 100 % 100:02d}",
                "country": "FR",
            },
            "identifiers": {"phone": "+33 1 99 00 12 34"},
            "details": "Stop calling me.",
        }
    ).encode()


def _drive(clients: int, total: int, call: Callable[[int], tuple[int, float]]) -> dict[str, Any]:
    """``total`` calls from ``clients`` threads; stops early at PHASE_SECONDS."""
    latencies: list[float] = []
    failures = 0
    lock = threading.Lock()
    counter = iter(range(total))
    deadline = time.perf_counter() + PHASE_SECONDS

    def client() -> None:
        nonlocal failures
        while time.perf_counter() < deadline:
            with lock:
                n = next(counter, None)
            if n is None:
                return
            try:
                status, seconds = call(n)
            except Exception:  # counted as a failure, and the client goes on
                status, seconds = 0, 0.0
            with lock:
                if 200 <= status < 300:
                    latencies.append(seconds)
                else:
                    failures += 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "calls": len(latencies) + failures,
        "per_second": len(latencies) / elapsed,
        "p50": _percentile(latencies, 50),
        "p99": _percentile(latencies, 99),
        "failures": failures,
    }


def _percentile(values: list[float], pct: int) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0] * 1000
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1] * 1000


def _seed_requests(count: int) -> None:
    """``count`` requests of the registry's organisations, written in bulk."""
    from routing.domain.tokens import token_hash
    from routing.models import OPEN_STATUSES, Organisation, Request

    organisations = list(Organisation.objects.all())
    statuses = [*OPEN_STATUSES, "completed", "denied"]
    kinds = ["access", "erasure", "objection", "rectification"]
    start = timezone.now() - timedelta(days=400)
    batch: list[Request] = []
    for n in range(count):
        organisation = organisations[n % len(organisations)]
        received = start + timedelta(minutes=5 * n)
        day = received.date()
        batch.append(
            Request(
                organisation=organisation, reference=f"BENCH-{n:07d}",
                status=statuses[n % len(statuses)], channel="api",
                kinds=[kinds[n % len(kinds)]], subject_name=f"Subject {n}",
                subject_email=f"bulk{n}@example.org", regime=organisation.default_regime,
                received_at=received, received_on=day, due_on=day + timedelta(days=30),
                effective_due_on=day + timedelta(days=30),
                status_token_hash=token_hash(f"bench-{n}"),
            )
        )  # fmt: skip
        if len(batch) == 5000:
            Request.objects.bulk_create(batch)
            batch = []
    if batch:
        Request.objects.bulk_create(batch)
    if connection.vendor == "postgresql":
        # What autovacuum would do after a bulk load: plans need the table's statistics.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE routing_request")


def _queries_per_list(token: str) -> dict[int, int]:
    """Queries one list call makes, counted in this process against the same database."""
    client = Client(headers={"authorization": f"Bearer {token}"})
    client.get("/api/v1/requests/")  # the first call of the minute records last use
    counts = {}
    for size in (10, 100):
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/v1/requests/", {"page_size": size})
        assert response.status_code == 200, response.content
        counts[size] = len(queries)
    return counts


# The load generator: wrk (Debian's package) when installed, as it costs the 2-core host
# little; otherwise client threads in this process, which take CPU from the server.
WRK = shutil.which("wrk")
WRK_BODIES = {
    "readme": (
        '{"organisation":"callkom","kinds":["objection"],"scopes":["callkom:ai-calls"],'
        '"subject":{"name":"Subject %d","email":"subject%d@example.org",'
        '"phone":"+33 6 39 %02d %02d %02d","country":"FR"},'
        '"identifiers":{"phone":"+33 1 99 00 12 34"},"details":"Stop calling me."}'
    ),
    "spread": (
        '{"organisation":"%s","kinds":["access"],'
        '"subject":{"name":"Subject %d","email":"spread%d@example.org"}}'
    ),
}
WRK_SCRIPT = """
local counter = 0
local threads = {}
local spread = {"callkom", "comfortclick", "comfile-360", "click-and-call", "clickacall"}
function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end
function request()
  counter = counter + 1
  local n = __FIRST__ + id * 10000000 + counter
  local body
  if __KIND__ == "readme" then
    body = string.format(__README__, n, n, n % 100, math.floor(n / 100) % 100,
                         math.floor(n / 10000) % 100)
  else
    body = string.format(__SPREAD__, spread[n % 5 + 1], n, n)
  end
  return wrk.format("POST", "/api/v1/requests/", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer __TOKEN__",
    ["Idempotency-Key"] = "w" .. n,
  }, body)
end
"""


def _wrk_seconds(text: str) -> float:
    """wrk's latency ("812.00us", "45.3ms", "1.20s") in milliseconds."""
    for unit, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0)):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * factor
    return float(text)


def _wrk_create(
    port: int, token: str, kind: str, first: int, clients: int, seconds: float, folder: Path
) -> dict[str, Any]:
    script = folder / f"create-{kind}-{clients}.lua"
    # Python's repr of these strings is a valid Lua string literal (single quotes).
    lua = (
        WRK_SCRIPT.replace("__README__", repr(WRK_BODIES["readme"]))
        .replace("__SPREAD__", repr(WRK_BODIES["spread"]))
        .replace("__FIRST__", str(first))
        .replace("__KIND__", repr(kind))
        .replace("__TOKEN__", token)
    )
    script.write_text(lua)
    assert WRK is not None
    out = subprocess.run(
        [WRK, "-t2", f"-c{clients}", f"-d{seconds:.0f}s", "--latency", "-s", str(script),
         f"http://127.0.0.1:{port}"],
        capture_output=True, text=True, check=True, timeout=seconds + 60,
    ).stdout  # fmt: skip
    result: dict[str, Any] = {"failures": 0}
    for line in out.splitlines():
        words = line.split()
        if words[1:3] == ["requests", "in"]:
            result["calls"] = int(words[0])
        elif line.startswith("Requests/sec:"):
            result["per_second"] = float(words[1])
        elif words[:1] == ["50%"]:
            result["p50"] = _wrk_seconds(words[1])
        elif words[:1] == ["99%"]:
            result["p99"] = _wrk_seconds(words[1])
        elif line.strip().startswith("Non-2xx"):
            result["failures"] += int(words[-1])
        elif line.strip().startswith("Socket errors:"):
            result["failures"] += sum(int(w.rstrip(",")) for w in words[3::2])
    return result


def _create_rows(
    server: Server, token: str, creates: dict[int, int], folder: Path, quick: bool, stored: int
) -> list[Row]:
    rows: list[Row] = []
    vendor = connection.vendor
    # Warm every worker's connection and caches before measuring.
    warm = partial(_call_create, server.port, token, _spread_body, 10**8)
    _drive(server.workers, server.workers * 4, warm)
    bodies = (
        (_readme_body, "readme", "README example, 1 organisation"),
        (_spread_body, "spread", "access, 5 organisations"),
    )
    for serial, ((body, kind, label), (clients, total)) in enumerate(
        (b, c) for b in bodies for c in creates.items()
    ):
        first = (serial + 1) * 100_000_000
        name = f"{clients} clients, {label}, {stored:,} stored"
        if WRK:
            seconds = 5.0 if quick else 20.0
            run = partial(_wrk_create, server.port, token, kind, first, clients, seconds, folder)
        else:
            call = partial(_call_create, server.port, token, body, first)
            run = partial(_drive, clients, total, call)
        result, cpu = _measure(server, run)
        rows += _result_rows(name, f"{vendor}, {'wrk' if WRK else 'python threads'}", result)
        rows += _cpu_rows(name, cpu)
    return rows


def _measure(
    server: Server, run: Callable[[], dict[str, Any]]
) -> tuple[dict[str, Any], dict[str, float]]:
    """One load phase, with the CPU each process group spent per call during it."""
    before = _cpu_ticks(server)
    result = run()
    after = _cpu_ticks(server)
    calls = max(result.get("calls", 0), 1)
    tick_ms = 1000 / os.sysconf("SC_CLK_TCK")
    return result, {group: (after[group] - before[group]) * tick_ms / calls for group in before}


def _result_rows(name: str, how: str, result: dict[str, Any]) -> list[Row]:
    return [
        (f"api: creates/s, {name} ({how})", result["per_second"], "/s"),
        (f"api: create p50, {name}", result["p50"], "ms"),
        (f"api: create p99, {name}", result["p99"], "ms"),
        (f"api: create failures, {name}", result["failures"], "calls"),
    ]


def _cpu_rows(name: str, cpu: dict[str, float]) -> list[Row]:
    # Only for services on this host that the phase used: a remote one shows no processes
    # here, and the floor does not use Redis.
    return [
        (f"api: CPU per create in {group}, {name}", ms, "ms")
        for group, ms in cpu.items()
        if ms >= 0.05
    ]


def _cpu_ticks(server: Server) -> dict[str, int]:
    """CPU ticks (user + system) of the web server, PostgreSQL and Redis on this host.

    A process's count includes the children it has reaped, so a PostgreSQL backend or a
    web worker that exits during a phase still counts, through its parent.
    """
    web = {server.process.pid, *server.worker_pids()}
    groups = {"web workers": 0, "PostgreSQL": 0, "Redis": 0}
    for pid, command, fields in _processes():
        if pid in web:
            group = "web workers"
        elif command == "postgres" or command.startswith("postgres:"):
            group = "PostgreSQL"
        elif command == "redis-server":
            group = "Redis"
        else:
            continue
        # utime, stime, cutime and cstime: stat's fields 14 to 17, 12 to 15 after the name.
        groups[group] += sum(int(value) for value in fields[11:15])
    return groups


def _processes() -> Iterator[tuple[int, str, list[str]]]:
    """(pid, command name, the fields of /proc/<pid>/stat after the name) of each process."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # it exited meanwhile
            continue
        name, _, rest = stat.partition(" (")[2].rpartition(")")
        yield int(entry.name), name, rest.split()


# Ids the captured create gets, chosen so that no other literal in its SQL can match them.
REQUEST_MARK = 913_579_000
ROUTE_MARK = 824_681_000


def _floor_plan(token: str, folder: Path, database_url: str) -> Path:
    """Capture the SQL of one README create (PostgreSQL) for ``bench.floor_app`` to replay."""
    client = Client(headers={"authorization": f"Bearer {token}"})
    # Work a create does now and then (loading the registry, recording the integration's
    # use) is not the create's own: of three captures, the one with fewest statements.
    plans = [_capture_create(client, attempt) for attempt in range(3)]
    steps, fixed = min(plans, key=lambda plan: len(plan[0]))
    plan = folder / "floor-plan.json"
    plan.write_text(json.dumps({"dsn": database_url, "fixed": fixed, "steps": steps}))
    return plan


def _capture_create(client: Client, attempt: int) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """One README create's statements, with the literals a replay must make unique."""
    from routing.models import Request, Route

    mark = REQUEST_MARK + 1000 * attempt
    with connection.cursor() as cursor:
        cursor.execute("SELECT setval(pg_get_serial_sequence('routing_request', 'id'), %s)", [mark])
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('routing_route', 'id'), %s)",
            [ROUTE_MARK + 1000 * attempt],
        )
    key = f"floor-capture-{attempt}"
    # A number no earlier create used (the load's are all +33 6 39 ...): no duplicate found.
    body = _readme_body(990_000 + attempt).replace(b"+33 6 39 98", b"+33 7 81 23")
    with CaptureQueriesContext(connection) as captured:
        response = client.post(
            "/api/v1/requests/", body, "application/json", headers={"idempotency-key": key}
        )
    if response.status_code != 201:
        raise RuntimeError(f"the create to capture answered {response.status_code}")
    created = Request.objects.get(pk=response.json()["id"])
    route_ids = [
        str(pk)
        for pk in Route.objects.filter(request=created).order_by("pk").values_list("pk", flat=True)
    ]
    if created.pk != mark + 1 or not route_ids:
        raise RuntimeError(f"unexpected ids in the capture: {created.pk}, routes {route_ids}")
    fixed = {
        created.reference: "F{unique}",
        created.subject_email: "floor{unique}@example.org",
        created.subject_phone: "+336{digits}",
        created.status_token_hash: "{hash}",
        key: "floor-{unique}",
    }
    steps = []
    for query in captured.captured_queries:
        sql = query["sql"]
        step: dict[str, Any] = {"sql": sql}
        if sql.startswith('INSERT INTO "routing_request" '):
            step.update(returns=[str(created.pk)], is_request=True)
        elif sql.startswith('INSERT INTO "routing_route" '):
            step["returns"] = route_ids
        steps.append(step)
    every = "\n".join(step["sql"] for step in steps)
    missing = [literal for literal in [*fixed, *route_ids] if literal not in every]
    if missing:
        raise RuntimeError(f"the captured SQL does not hold {missing}")
    return steps, fixed


def _floor_rows(
    token: str, folder: Path, database_url: str, workers: int, quick: bool
) -> list[Row]:
    """The same load on the floor app: what the host allows the create's SQL alone."""
    plan = _floor_plan(token, folder, database_url)
    statements = len(json.loads(plan.read_text())["steps"])
    server = Server(database_url, folder, workers, app="bench.floor_app:application",
                    extra_env={"BENCH_FLOOR_PLAN": str(plan)})  # fmt: skip
    try:
        server.wait_ready("/", token)
        # Every worker opens its connection before the CPU is counted.
        _drive(workers, workers * 4, partial(_call_get, server.port, token, "/"))
        clients = 8
        if WRK:
            seconds = 5.0 if quick else 20.0
            run = partial(
                _wrk_create, server.port, token, "readme", 7 * 10**8, clients, seconds, folder
            )
        else:
            call = partial(_call_create, server.port, token, _readme_body, 7 * 10**8)
            run = partial(_drive, clients, QUICK_CREATES[8] if quick else CREATES[8], call)
        result, cpu = _measure(server, run)
    finally:
        server.stop()
    name = (
        f"floor ({statements} SQL statements of a README create, no framework), {clients} clients"
    )
    return _result_rows(name, "postgresql", result) + _cpu_rows(name, cpu)


def _list_rows(port: int, token: str, listed: int) -> list[Row]:
    rows: list[Row] = []
    for path, label in (
        ("/api/v1/requests/?page_size=50", "page of 50"),
        ("/api/v1/requests/?page_size=100&status=new", "page of 100, status=new"),
        ("/api/v1/requests/?overdue=true&page_size=50", "overdue, page of 50"),
    ):
        # One client: the latency of a call, not of a queue.
        result = _drive(1, LIST_CALLS // 3, partial(_call_get, port, token, path))
        rows += [
            (f"api: list p50, {listed:,} requests, {label}", result["p50"], "ms"),
            (f"api: list p99, {listed:,} requests, {label}", result["p99"], "ms"),
        ]
    return rows


def run(quick: bool = False) -> list[Row]:
    rows: list[Row] = []
    workers = 2 * (os.cpu_count() or 1) + 1
    listed = 5_000 if quick else LISTED_REQUESTS
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        (folder / "var").mkdir()
        with _throwaway_database(folder) as name:
            token = _seed_registry()
            server = Server(_database_url(name), folder, workers)
            try:
                ready = server.wait_ready("/api/v1/organisations/", token)
                rows.append((f"api: web process ready ({workers} workers)", ready, "s"))
                # Creates run against a full table, as in production: what a create reads
                # (duplicates, references) must not grow with the rows stored.
                _seed_requests(listed)
                connection.close()
                creates = QUICK_CREATES if quick else CREATES
                rows += _create_rows(server, token, creates, folder, quick, listed)
                rows += _list_rows(server.port, token, listed)
                counts = _queries_per_list(token)
                rows += [
                    ("api: queries per list call, page size 10", counts[10], "queries"),
                    ("api: queries per list call, page size 100", counts[100], "queries"),
                ]
                memory = [_rss_mib(pid) for pid in server.worker_pids()]
                rows.append(("api: web worker RSS, largest", max(memory, default=0.0), "MiB"))
            finally:
                server.stop()
                connection.close()
            # After the server has stopped: nothing else then uses the database or the CPU.
            if connection.vendor == "postgresql":
                rows += _floor_rows(token, folder, _database_url(name), workers, quick)
                connection.close()
    return rows


def _call_get(port: int, token: str, path: str, n: int) -> tuple[int, float]:
    status, seconds, _ = request(port, "GET", path, token)
    return status, seconds


def _call_create(
    port: int, token: str, body: Callable[[int], bytes], first: int, n: int
) -> tuple[int, float]:
    # With an Idempotency-Key, as the README tells integrations to send.
    number = first + n
    status, seconds, _ = request(
        port, "POST", "/api/v1/requests/", token, body(number), key=f"b{number}"
    )
    return status, seconds
