"""An answer package through the service: uploaded through the API, downloaded by the subject.

gunicorn with production settings and one sync worker, on a database of its own (as the API
benchmark makes it). A package of 50 MB (5 MB with --quick) goes up as multipart to
``POST /api/v1/requests/{id}/files/``, the access part is completed through the API, then the
subject's way down: the link of the "answer ready" email, a one-time code (read from the
outbox row, as no worker sends it here), the code entered, the file streamed. The client
streams both ways from and to disk, over real loopback HTTP, and checks the SHA-256 of what
it received.

Figures: MB/s up and down (10^6 bytes a second, the whole call: parsing, sniffing, hashing,
encryption and storage, or reading, decryption and sending), and the web worker's resident
memory: before each transfer and its high-water mark during it (VmHWM, reset before each
transfer by writing 5 to /proc/<pid>/clear_refs). A peak that grows far less than the file
shows that neither way holds the file in memory.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.db import connection

from bench.bench_api import ROOT, Server, _database_url, _seed_registry, _throwaway_database

Row = tuple[str, float, str]
MB = 1_000_000
SIZE = 50 * MB
QUICK_SIZE = 5 * MB
# A small file goes up and down first, so the worker has loaded everything the path needs
# before its memory is measured.
WARM_SIZE = 100_000
CHUNK = 1024 * 1024
TIMEOUT = 120.0
BOUNDARY = "bench-files-boundary-7d3f2a91"


class Browser:
    """The subject's side of the loopback: one cookie jar, a new connection per call."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def call(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> http.client.HTTPResponse:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        headers = {"Connection": "close"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = "&".join(f"{k}={v}" for k, v in form.items()).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        return response

    def page(self, path: str) -> str:
        response = self.call("GET", path)
        text = response.read().decode()
        if response.status != 200:
            raise RuntimeError(f"GET {path} answered {response.status}")
        return text

    def post(self, path: str, csrf: str, **fields: str) -> str:
        response = self.call("POST", path, {"csrfmiddlewaretoken": csrf, **fields})
        response.read()
        if response.status != 302:
            raise RuntimeError(f"POST {path} answered {response.status}")
        return response.getheader("Location") or ""


def _csrf(page: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if found is None:
        raise RuntimeError("no CSRF token on the files page")
    return found.group(1)


def _api(port: int, token: str, method: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        conn.request(
            method,
            path,
            body=json.dumps(body).encode(),
            headers={
                "Authorization": f"Bearer {token}",
                "Content-Type": "application/json",
                "Connection": "close",
            },
        )
        response = conn.getresponse()
        data = response.read()
    finally:
        conn.close()
    if not 200 <= response.status < 300:
        raise RuntimeError(f"{method} {path} answered {response.status}: {data[:500]!r}")
    answer: dict[str, Any] = json.loads(data)
    return answer


def _package(path: Path, size: int) -> str:
    """A PDF-looking file of ``size`` bytes, random inside (nothing compresses), on disk;
    returns its SHA-256."""
    head, tail = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", b"\n%%EOF\n"
    digest = hashlib.sha256()
    with path.open("wb") as out:
        left = size - len(head) - len(tail)
        for part in _parts(head, left, tail):
            digest.update(part)
            out.write(part)
    return digest.hexdigest()


def _parts(head: bytes, middle: int, tail: bytes) -> Iterator[bytes]:
    yield head
    while middle > 0:
        n = min(CHUNK, middle)
        yield os.urandom(n)
        middle -= n
    yield tail


def _upload(port: int, token: str, request_id: int, path: Path) -> tuple[float, dict[str, Any]]:
    """The file as multipart form data, streamed from disk; (seconds, the API's answer)."""
    fields = "".join(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in (("purpose", "response"), ("kind", "access"))
    )
    preamble = (
        f"{fields}--{BOUNDARY}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="{path.name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    epilogue = f"\r\n--{BOUNDARY}--\r\n".encode()
    length = len(preamble) + path.stat().st_size + len(epilogue)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    started = time.perf_counter()
    try:
        conn.putrequest("POST", f"/api/v1/requests/{request_id}/files/")
        conn.putheader("Authorization", f"Bearer {token}")
        conn.putheader("Content-Type", f"multipart/form-data; boundary={BOUNDARY}")
        conn.putheader("Content-Length", str(length))
        conn.putheader("Connection", "close")
        conn.endheaders()
        conn.send(preamble)
        with path.open("rb") as source:
            while chunk := source.read(CHUNK):
                conn.send(chunk)
        conn.send(epilogue)
        response = conn.getresponse()
        data = response.read()
    finally:
        conn.close()
    seconds = time.perf_counter() - started
    if response.status != 201:
        raise RuntimeError(f"the upload answered {response.status}: {data[:500]!r}")
    answer: dict[str, Any] = json.loads(data)
    return seconds, answer


def _download(browser: Browser, path: str) -> tuple[float, int, str]:
    """(seconds, bytes, SHA-256) of one file, read in chunks and never kept."""
    digest = hashlib.sha256()
    received = 0
    started = time.perf_counter()
    response = browser.call("GET", path)
    if response.status != 200:
        raise RuntimeError(f"the download answered {response.status}")
    while chunk := response.read(CHUNK):
        digest.update(chunk)
        received += len(chunk)
    return time.perf_counter() - started, received, digest.hexdigest()


def _memory(pid: int) -> dict[str, float]:
    """VmRSS and VmHWM of a process, in MiB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            values[name] = int(rest.split()[0]) / 1024
    return values


def _reset_peak(pid: int) -> bool:
    """Set the process's high-water mark to its current RSS (Linux 4.0 and later)."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _latest_message(request_id: int, template: str) -> str:
    from routing.models import OutboundMessage

    message = (
        OutboundMessage.objects.filter(request_id=request_id, template=template)
        .order_by("-id")
        .first()
    )
    if message is None:
        raise RuntimeError(f"no {template} message for request {request_id}")
    return message.body_text


def _status_path(request_id: int) -> str:
    found = re.search(r"https?://[^/\s]+(/s/[^/\s]+/)", _latest_message(request_id, "answer_ready"))
    if found is None:
        raise RuntimeError("no status link in the answer-ready email")
    return found.group(1)


def _code(request_id: int) -> str:
    # Six digits standing alone (a reference such as 2026-000001 is not one).
    found = re.search(r"(?<![\w-])(\d{6})(?![\w-])", _latest_message(request_id, "download_code"))
    if found is None:
        raise RuntimeError("no code in the download-code email")
    return found.group(1)


def _collect_static(var_dir: Path, file_keys: str) -> None:
    """The static files' manifest, which production settings read when a page renders."""
    env = {
        **os.environ,
        "DSAR_VAR_DIR": str(var_dir),
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DSAR_FILE_KEYS": file_keys,
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )


def _transfer(
    pid: int, run: Any, resettable: bool
) -> tuple[Any, dict[str, float], dict[str, float]]:
    """``run()`` with the worker's memory before it and after it."""
    if resettable:
        _reset_peak(pid)
    before = _memory(pid)
    result = run()
    return result, before, _memory(pid)


def run(quick: bool = False) -> list[Row]:
    size = QUICK_SIZE if quick else SIZE
    label = f"{size / MB:.0f} MB package"
    from routing.files.crypto import new_master_key_entry

    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        (folder / "var").mkdir()
        package = folder / "package.pdf"
        package_sha = _package(package, size)
        warm = folder / "warm.pdf"
        _package(warm, WARM_SIZE)
        file_keys = new_master_key_entry("bench")
        _collect_static(folder / "var", file_keys)
        with _throwaway_database(folder) as name:
            token = _seed_registry()
            server = Server(
                _database_url(name),
                folder,
                workers=1,
                extra_env={
                    "DSAR_FILE_KEYS": file_keys,
                    "DSAR_FILES_STORAGE": "filesystem",
                    # Runs within the hour on one Redis count against the same request ids.
                    "DSAR_STATUS_RATE_PER_IP": "1000/h",
                    "DSAR_DOWNLOAD_CODE_RATE": "1000/h",
                },
            )
            try:
                server.wait_ready("/api/v1/organisations/", token)
                (pid,) = server.worker_pids()
                created = _api(
                    server.port,
                    token,
                    "POST",
                    "/api/v1/requests/",
                    {
                        "organisation": "callkom",
                        "kinds": ["access"],
                        "scopes": ["callkom:website"],
                        "subject": {"name": "Ada Martin", "email": "ada@example.org"},
                    },
                )
                request_id = int(created["id"])
                # The organisation answers each part itself: its routes are done.
                for route in created["routes"]:
                    _api(
                        server.port,
                        token,
                        "POST",
                        f"/api/v1/requests/{request_id}/routes/{route['id']}/done/",
                        {},
                    )
                _upload(server.port, token, request_id, warm)
                resettable = _reset_peak(pid)
                (up_seconds, stored), up_before, up_after = _transfer(
                    pid, lambda: _upload(server.port, token, request_id, package), resettable
                )
                if stored["sha256"] != package_sha or stored["size"] != size:
                    raise RuntimeError(f"the stored file differs from the package: {stored}")
                _api(
                    server.port,
                    token,
                    "POST",
                    f"/api/v1/requests/{request_id}/complete/",
                    {"note": "answer package", "kinds": ["access"]},
                )

                status = _status_path(request_id)
                files = f"{status}files/"
                browser = Browser(server.port)
                csrf = _csrf(browser.page(files))
                browser.post(f"{files}code/", csrf)
                browser.post(files, csrf, code=_code(request_id))
                listing = browser.page(files)
                links = {
                    name: href
                    for href, name in re.findall(
                        r'<a href="([^"]+/files/\d+/)" download>([^<]+)<', listing
                    )
                }
                if set(links) != {warm.name, package.name}:
                    raise RuntimeError(f"the files page lists {sorted(links)}")
                _download(browser, links[warm.name])
                (down_seconds, received, received_sha), down_before, down_after = _transfer(
                    pid, lambda: _download(browser, links[package.name]), resettable
                )
                if received != size or received_sha != package_sha:
                    raise RuntimeError("the downloaded file differs from the package")
                if server.worker_pids() != [pid]:
                    raise RuntimeError("the web worker was replaced during the run")
            finally:
                server.stop()
                connection.close()
    since = "since the last reset" if resettable else "since the worker started"
    return [
        (f"files: upload through the API, {label}, 1 sync worker", size / MB / up_seconds, "MB/s"),
        (f"files: subject's download (after the code), {label}", size / MB / down_seconds, "MB/s"),
        ("files: web worker RSS before the upload", up_before["VmRSS"], "MiB"),
        (f"files: web worker peak RSS during the upload (VmHWM {since})", up_after["VmHWM"], "MiB"),
        ("files: web worker RSS before the download", down_before["VmRSS"], "MiB"),
        (
            f"files: web worker peak RSS during the download (VmHWM {since})",
            down_after["VmHWM"],
            "MiB",
        ),
    ]
