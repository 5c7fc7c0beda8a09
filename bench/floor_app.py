"""The floor of a create: the SQL one API create runs, replayed by a bare WSGI app.

No Django, no DRF, no validation, no rendering, no broker: per call it parses the JSON body,
runs the captured statements on one psycopg connection per worker with the values that
must be unique swapped in, and answers 201. Whatever this reaches is a ceiling for the
real create on the same host, PostgreSQL and HTTP server. ``floor_plan`` writes the plan.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
from collections.abc import Callable, Iterable
from typing import Any

import psycopg

_plan: dict[str, Any] | None = None
_connection: psycopg.Connection[Any] | None = None
_counter = itertools.count()


def _load() -> tuple[dict[str, Any], psycopg.Connection[Any]]:
    global _plan, _connection
    if _plan is None:
        with open(os.environ["BENCH_FLOOR_PLAN"], encoding="utf-8") as handle:
            _plan = json.load(handle)
    if _connection is None:
        _connection = psycopg.connect(_plan["dsn"], autocommit=True)
    return _plan, _connection


def replay(plan: dict[str, Any], connection: psycopg.Connection[Any], unique: str) -> int:
    """Run the plan's statements once; answers the new request's id."""
    digest = hashlib.sha256(unique.encode()).hexdigest()
    fresh = {"{unique}": unique, "{hash}": digest, "{digits}": f"{int(digest, 16) % 10**8:08d}"}
    fixed = {literal: _substitute(value, fresh) for literal, value in plan["fixed"].items()}
    returned: dict[str, str] = {}
    request_id = 0
    with connection.cursor() as cursor:
        for step in plan["steps"]:
            sql = _substitute(step["sql"], {**fixed, **returned})
            cursor.execute(sql.encode())
            rows = cursor.fetchall() if cursor.description else []
            # An insert whose ids later statements use: map the captured ids to the new.
            if "returns" in step:
                for captured, row in zip(step["returns"], rows, strict=True):
                    returned[captured] = str(row[0])
            if step.get("is_request"):
                request_id = int(rows[0][0])
    return request_id


def _substitute(sql: str, values: dict[str, str]) -> str:
    for literal, value in values.items():
        sql = sql.replace(literal, value)
    return sql


def application(
    environ: dict[str, Any], start_response: Callable[[str, list[tuple[str, str]]], Any]
) -> Iterable[bytes]:
    # Any call opens the worker's connection, so a readiness probe leaves it open.
    plan, connection = _load()
    if environ["REQUEST_METHOD"] != "POST":
        start_response("200 OK", [("Content-Length", "0")])
        return [b""]
    length = int(environ.get("CONTENT_LENGTH") or 0)
    json.loads(environ["wsgi.input"].read(length) or b"{}")
    request_id = replay(plan, connection, f"{os.getpid()}x{next(_counter)}")
    body = json.dumps({"id": request_id}).encode()
    start_response(
        "201 Created",
        [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
    )
    return [body]
