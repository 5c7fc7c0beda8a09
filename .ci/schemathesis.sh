#!/usr/bin/env bash
# Fuzz the REST API against its own OpenAPI schema on a live server.
#
# Starts gunicorn (production settings) on a free loopback port against a throwaway
# database — a fresh PostgreSQL database beside DATABASE_URL's when it is set, else a
# SQLite file — loads the registry, creates an integration, and runs schemathesis with
# that token. Fails on any 5xx, any status code, content type or body the schema does not
# declare, or fewer than MIN_CASES generated cases. Always stops the server and drops the
# database.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
MIN_CASES="${SCHEMATHESIS_MIN_CASES:-500}"
# Per operation; about 30 operations, and the coverage phase adds its own cases.
MAX_EXAMPLES="${SCHEMATHESIS_MAX_EXAMPLES:-30}"
SEED="${SCHEMATHESIS_SEED:-20260302}"

die() { printf 'schemathesis: %s\n' "$*" >&2; exit 1; }
[ -x .venv/bin/schemathesis ] || die "not installed: .venv/bin/pip install 'schemathesis>=4,<5'"

WORK="$(mktemp -d)"
SERVER_PID=""
FUZZ_DB=""
export DSAR_VAR_DIR="$WORK/var"
mkdir -p "$DSAR_VAR_DIR"

# PostgreSQL: a database of its own next to the configured one, so the CI database is
# left as it was and every run starts from the same state.
pg_admin() {
  "$PY" - "$1" "$2" <<'EOF'
import sys

import dj_database_url
import psycopg

action, name = sys.argv[1], sys.argv[2]
import os

config = dj_database_url.parse(os.environ["DATABASE_URL"])
with psycopg.connect(
    dbname="postgres", user=config.get("USER") or None, password=config.get("PASSWORD") or None,
    host=config.get("HOST") or None, port=config.get("PORT") or None, autocommit=True,
) as connection:
    connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    if action == "create":
        connection.execute(f'CREATE DATABASE "{name}"')
EOF
}

cleanup() {
  status=$?
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [ -n "$FUZZ_DB" ]; then pg_admin drop "$FUZZ_DB" || true; fi
  if [ -n "${SCHEMATHESIS_KEEP:-}" ]; then echo "kept: $WORK"; else rm -rf "$WORK"; fi
  exit "$status"
}
trap cleanup EXIT INT TERM

if [ -n "${DATABASE_URL:-}" ]; then
  FUZZ_DB="dsar_schemathesis_$$"
  pg_admin create "$FUZZ_DB"
  export DATABASE_URL="${DATABASE_URL%/*}/$FUZZ_DB"
fi

export EMAIL_DELIVERY=files
export LOG_LEVEL=WARNING
# The demo customers give the planner someone to find (loaded in development mode only).
"$PY" manage.py migrate --noinput >/dev/null
"$PY" manage.py load_registry --demo >/dev/null
TOKEN="$("$PY" manage.py create_integration --name schemathesis \
  --organisation callkom --organisation comfortclick | tail -n 1)"

# The server in production mode, reached over plain HTTP on the loopback, with no rate
# limit to trip.
PORT="$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
DJANGO_DEBUG=false \
DJANGO_SECRET_KEY="$("$PY" -c 'import secrets; print(secrets.token_urlsafe(64))')" \
DJANGO_ALLOWED_HOSTS=127.0.0.1 \
DJANGO_SECURE_SSL_REDIRECT=false \
DJANGO_SECURE_HSTS_SECONDS=0 \
DSAR_API_THROTTLE=1000000/min \
  .venv/bin/gunicorn dsar.wsgi:application --bind "127.0.0.1:$PORT" --workers 2 \
  --error-logfile "$WORK/gunicorn.log" --log-level warning &
SERVER_PID=$!
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 100); do
  if "$PY" -c "import urllib.request, sys; urllib.request.urlopen(sys.argv[1], timeout=1)" \
    "$BASE/api/v1/schema/" 2>/dev/null; then
    break
  fi
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/gunicorn.log" >&2; die "the server did not start"; }
  sleep 0.2
done

set +e
# From the work folder, so schemathesis' own cache stays out of the checkout. One worker:
# with several threads, hypothesis' ast.parse of its filters hits a CPython 3.11 race
# ("AST constructor recursion depth mismatch") that fails the run without any API fault.
ROOT="$(pwd)"
(cd "$WORK" && "$ROOT/.venv/bin/schemathesis" run "$BASE/api/v1/schema/" \
  --header "Authorization: Bearer $TOKEN" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --phases examples,coverage,fuzzing \
  --max-examples "$MAX_EXAMPLES" --seed "$SEED" --workers 1 --request-timeout 10 \
  --suppress-health-check all --warnings off \
  --report ndjson --report-dir "$WORK/report")
RESULT=$?
set -e

# schemathesis' event stream: count the cases that were sent and checked.
CASES="$("$PY" - "$WORK/report" <<'EOF'
import json
import pathlib
import sys

total = 0
for path in pathlib.Path(sys.argv[1]).glob("*.ndjson"):
    for line in path.read_text().splitlines():
        event = json.loads(line)
        finished = event.get("ScenarioFinished") or {}
        recorder = finished.get("recorder") or {}
        total += len(recorder.get("cases") or {})
print(total)
EOF
)"
echo "schemathesis: $CASES test cases checked"
if grep -q "Internal Server Error\|Traceback" "$WORK/gunicorn.log" 2>/dev/null; then
  cat "$WORK/gunicorn.log" >&2
  die "the server logged an error"
fi
[ "$RESULT" -eq 0 ] || die "checks failed (exit $RESULT)"
[ "$CASES" -ge "$MIN_CASES" ] || die "only $CASES cases, fewer than $MIN_CASES"
echo "schemathesis: passed"
