"""PostgreSQL restarts while creates arrive through gunicorn: every answer is a 201 or a clean
503 with Retry-After, nothing is half-written, and the service resumes by itself.

The test runs a PostgreSQL cluster of its own (so stopping it disturbs nothing else) and
gunicorn with deploy/gunicorn.conf.py and production settings, reached as the proxy would
(X-Forwarded-Proto: https). No Redis: the broker is the filesystem transport.
"""

from __future__ import annotations

import http.client
import itertools
import json
import os
import pwd
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.support.api import contract_body
from tests.support.processes import ROOT, SERVICE_SETTINGS, free_port, stop_process
from tests.support.services import skip_or_fail

pytestmark = [pytest.mark.integration, pytest.mark.postgres]

THREADS = 4
CREATE = "/api/v1/requests/"


def _postgres_bin() -> Path:
    """The newest server installed the Debian way (/usr/lib/postgresql/<version>/bin), else
    the one on PATH."""
    found = sorted(
        (path.parent for path in Path("/usr/lib/postgresql").glob("*/bin/initdb")),
        key=lambda bindir: [int(part) for part in bindir.parent.name.split(".") if part.isdigit()],
    )
    if found:
        return found[-1]
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    skip_or_fail("needs PostgreSQL's server binaries (initdb, pg_ctl) to run a private cluster")


def _cluster_owner() -> pwd.struct_passwd | None:
    """None to run the cluster as this user; under root, the postgres user."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam("postgres")
    except KeyError:
        skip_or_fail("PostgreSQL refuses to run as root, and there is no postgres user")


class PrivatePostgres:
    """A cluster in a folder of its own, on a free port. PostgreSQL refuses to run as root,
    so under root it runs as the postgres user, in a folder that user owns."""

    def __init__(self, bindir: Path, folder: Path, owner: pwd.struct_passwd | None) -> None:
        self.bindir = bindir
        self.folder = folder
        self.owner = owner
        self.data = folder / "data"
        self.log = folder / "postgres.log"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/dsar"

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bindir / program), *args]
        if self.owner is not None:
            command = ["runuser", "-u", self.owner.pw_name, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
        assert done.returncode == 0, f"{program} {' '.join(args)}:\n{done.stdout}{done.stderr}"

    def init(self) -> None:
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres",
                  "-E", "UTF8", "--no-sync")  # fmt: skip

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 "
            f"-c unix_socket_directories={self.folder} -c fsync=off"
        )
        self._run("pg_ctl", "start", "-w", "-t", "30", "-D", str(self.data),
                  "-l", str(self.log), "-o", options)  # fmt: skip

    def stop(self, mode: str) -> None:
        self._run("pg_ctl", "stop", "-w", "-t", "30", "-m", mode, "-D", str(self.data))

    def connect(self, dbname: str = "dsar") -> psycopg.Connection[Any]:
        return psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname=dbname, autocommit=True
        )


@pytest.fixture
def postgres() -> Iterator[PrivatePostgres]:
    bindir = _postgres_bin()
    owner = _cluster_owner()
    # Not under tmp_path: its parent is closed to other users, and a socket's path must
    # stay short.
    folder = Path(tempfile.mkdtemp(prefix="dsar-pg-"))
    if owner is not None:
        os.chown(folder, owner.pw_uid, owner.pw_gid)
    cluster = PrivatePostgres(bindir, folder, owner)
    try:
        cluster.init()
        cluster.start()
        with cluster.connect("postgres") as admin:
            admin.execute("CREATE DATABASE dsar")
        yield cluster
    finally:
        subprocess.run(
            [*(["runuser", "-u", owner.pw_name, "--"] if owner else []),
             str(bindir / "pg_ctl"), "stop", "-m", "immediate", "-D", str(cluster.data)],
            capture_output=True, timeout=60, check=False,
        )  # fmt: skip
        if cluster.log.exists():
            print("--- postgres log (tail) ---\n" + cluster.log.read_text()[-5000:])
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class Service:
    port: int
    token: str
    log: Path
    process: subprocess.Popen[bytes]


@pytest.fixture
def service(postgres: PrivatePostgres, tmp_path: Path) -> Iterator[Service]:
    """Migrated, with the registry and an integration of Callkom, served by gunicorn."""
    port = free_port()
    ignored = {"REDIS_URL", "CACHE_URL", "DATABASE_TEST_NAME", "ANYMAIL_ESP"}
    env = {
        **{key: value for key, value in os.environ.items() if key not in ignored},
        **SERVICE_SETTINGS,
        "DATABASE_URL": postgres.url,
        "DATABASE_CONN_MAX_AGE": "60",
        "DSAR_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DSAR_API_THROTTLE": "1000000/min",
        "EMAIL_DELIVERY": "files",
        "LOG_LEVEL": "INFO",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        "PYTHONUNBUFFERED": "1",
    }

    def manage(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        assert done.returncode == 0, f"manage.py {' '.join(args)}:\n{done.stdout}{done.stderr}"
        return done.stdout

    manage("migrate", "--noinput")
    manage("load_registry")
    token = manage("create_integration", "--name", "Load", "--organisation", "callkom")
    token = token.strip().splitlines()[-1]

    log = tmp_path / "gunicorn.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "dsar.wsgi:application",
             "-c", str(ROOT / "deploy" / "gunicorn.conf.py")],
            cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
    started = Service(port, token, log, process)
    try:
        deadline = time.monotonic() + 30
        while _call(started, "GET", "/api/v1/organisations/").status != 200:
            assert process.poll() is None, "gunicorn exited:\n" + log.read_text()
            assert time.monotonic() < deadline, "gunicorn did not answer:\n" + log.read_text()
            time.sleep(0.2)
        yield started
    finally:
        stop_process(process, timeout=30)
        print("--- gunicorn log (tail) ---\n" + log.read_text()[-10000:])


@dataclass
class Outcome:
    started: float
    body: dict[str, Any]
    key: str
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    payload: Any = None
    error: str = ""


def _call(
    service: Service, method: str, path: str, body: dict[str, Any] | None = None, key: str = ""
) -> Outcome:
    outcome = Outcome(started=time.monotonic(), body=body or {}, key=key)
    headers = {
        "Authorization": f"Bearer {service.token}",
        "Content-Type": "application/json",
        "Accept": "application/json",
        # The proxy in front of gunicorn ends TLS and says so.
        "X-Forwarded-Proto": "https",
    }
    if key:
        headers["Idempotency-Key"] = key
    connection = http.client.HTTPConnection("127.0.0.1", service.port, timeout=30)
    try:
        connection.request(method, path, json.dumps(body) if body else None, headers)
        response = connection.getresponse()
        content = response.read()
        outcome.status = response.status
        outcome.headers = dict(response.getheaders())
        outcome.payload = json.loads(content) if content else None
    except (OSError, http.client.HTTPException, ValueError) as error:
        # A reset or a cut answer: gunicorn or a worker went down, never acceptable here.
        outcome.error = repr(error)
    finally:
        connection.close()
    return outcome


_numbers = itertools.count()


def _create(service: Service) -> Outcome:
    """The README's create, for a subject of its own, with a key of its own."""
    n = next(_numbers)
    body = contract_body(
        subject={**contract_body()["subject"], "email": f"load{n}@example.org"},
        details=f"Stop calling me. ({n})",
    )
    return _call(service, "POST", CREATE, body, key=str(uuid.uuid4()))


class Load:
    """Threads sending creates back to back until stopped."""

    def __init__(self, service: Service) -> None:
        self.service = service
        self.outcomes: list[Outcome] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, daemon=True) for _ in range(THREADS)]

    def _run(self) -> None:
        while not self._stop.is_set():
            outcome = _create(self.service)
            with self._lock:
                self.outcomes.append(outcome)

    def __enter__(self) -> Load:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)

    def count(self, status: int, since: float = 0.0) -> int:
        with self._lock:
            return sum(1 for o in self.outcomes if o.status == status and o.started >= since)

    def wait_for(self, status: int, count: int, since: float, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while self.count(status, since) < count:
            with self._lock:
                errors = [o.error for o in self.outcomes if o.error]
            assert not errors, f"connections failed: {errors[:5]}"
            assert self.service.process.poll() is None, "gunicorn exited"
            assert time.monotonic() < deadline, (
                f"fewer than {count} answers {status} after {timeout} s: "
                f"{Counter(o.status for o in self.outcomes)}"
            )
            time.sleep(0.05)


def _assert_clean_503(outcome: Outcome) -> None:
    assert outcome.headers.get("Content-Type") == "application/json", outcome
    assert isinstance(outcome.payload, dict), outcome
    assert outcome.payload.keys() == {"code", "message", "errors"}, outcome.payload
    assert outcome.payload["code"] == "unavailable", outcome.payload
    assert outcome.payload["errors"] == {}, outcome.payload
    assert int(outcome.headers["Retry-After"]) > 0, outcome.headers


def _stored(postgres: PrivatePostgres, query: str, *params: Any) -> list[Any]:
    with postgres.connect() as connection:
        return connection.execute(query, params).fetchall()


def test_a_database_restart_under_load_gives_clean_503s_and_leaves_nothing_half_written(
    postgres: PrivatePostgres, service: Service
) -> None:
    with Load(service) as load:
        load.wait_for(201, 10, since=0.0, timeout=30)

        # A fast shutdown ends the sessions of requests in flight; until the start
        # every new connection is refused.
        postgres.stop("fast")
        stopped = time.monotonic()
        load.wait_for(503, 20, since=stopped, timeout=30)
        # Down for a while, as a real restart or failover is.
        time.sleep(2)
        postgres.start()
        restarted = time.monotonic()

        # The same workers, no restart of gunicorn: creates succeed again.
        load.wait_for(201, 20, since=restarted, timeout=30)
    outcomes = list(load.outcomes)

    # Every answer is a 201 or a clean 503; nothing else, no broken connection.
    assert [o.error for o in outcomes if o.error] == []
    statuses = Counter(o.status for o in outcomes)
    assert set(statuses) == {201, 503}, statuses
    failed = [o for o in outcomes if o.status == 503]
    for outcome in failed:
        _assert_clean_503(outcome)

    # Both workers hold a working connection: creates one after another all succeed.
    after = [_create(service) for _ in range(10)]
    assert [o.status for o in after] == [201] * 10, [o.payload for o in after]

    # A failed create did not keep its Idempotency-Key: the retry does the work, once.
    retried = [
        _call(service, "POST", CREATE, outcome.body, key=outcome.key) for outcome in failed[:5]
    ]
    assert [o.status for o in retried] == [201] * len(retried), [o.payload for o in retried]
    assert all("Idempotent-Replayed" not in o.headers for o in retried)

    # Stored: exactly the requests answered 201, each whole.
    created = [o for o in [*outcomes, *after, *retried] if o.status == 201]
    created_ids = sorted(o.payload["id"] for o in created)
    assert len(set(created_ids)) == len(created_ids)
    stored = _stored(postgres, "SELECT id, subject_email FROM routing_request ORDER BY id")
    assert [row[0] for row in stored] == created_ids
    assert {row[1] for row in stored} == {o.body["subject"]["email"] for o in created}
    half_written = _stored(
        postgres,
        """
        SELECT r.id FROM routing_request r
        WHERE NOT EXISTS (SELECT 1 FROM routing_route WHERE request_id = r.id)
           OR NOT EXISTS (SELECT 1 FROM routing_event WHERE request_id = r.id
                          AND type = 'received')
           OR NOT EXISTS (SELECT 1 FROM routing_outboundmessage WHERE request_id = r.id
                          AND template = 'acknowledgement')
        """,
    )
    assert half_written == []
    # One idempotency record per 201, each holding that 201.
    records = _stored(postgres, "SELECT key, response_status FROM routing_idempotencyrecord")
    assert sorted(records) == sorted((o.key, 201) for o in created)

    log = service.log.read_text()
    assert "Database unavailable" in log
    # The two workers served throughout: none crashed or was replaced.
    assert log.count("Booting worker") == 2
    for sign in ("Traceback", "Internal Server Error", "WORKER TIMEOUT", " ERROR ", "[ERROR]"):
        assert sign not in log, sign
    print(f"answers: {dict(statuses)}; then {len(after)} + {len(retried)} creates, all 201")
