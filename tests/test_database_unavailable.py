"""A database out of reach answers a clean 503 with Retry-After (the API's error shape under
/api/, a small page elsewhere), stores nothing half-written, and the next request after
it is back succeeds on a fresh connection."""

from __future__ import annotations

import json
import logging
import socket
from collections.abc import Callable, Iterator
from typing import Any
from unittest import mock

import psycopg
import pytest
from django.db import InterfaceError, OperationalError, ProgrammingError, close_old_connections
from django.db import connection as db_connection
from django.test import Client, RequestFactory
from rest_framework.test import APIClient

from routing.domain.unavailable import UNAVAILABLE_RETRY_AFTER
from routing.middleware import DatabaseUnavailableMiddleware
from routing.models import Event, IdempotencyRecord, Organisation, Request, Route
from routing.services.integrations import integration_create
from tests.support.api import client_for, contract_body

URL = "/api/v1/requests/"


@pytest.fixture
def api(registry: Any) -> APIClient:
    created = integration_create(
        name="Help desk", organisations=[Organisation.objects.get(slug="callkom")]
    )
    return client_for(created.token)


def _assert_unavailable_json(response: Any) -> dict[str, Any]:
    assert response.status_code == 503, response.content
    assert response.headers["Content-Type"] == "application/json"
    body: dict[str, Any] = json.loads(response.content)
    assert body.keys() == {"code", "message", "errors"}
    assert body["code"] == "unavailable"
    assert body["message"]
    assert body["errors"] == {}
    assert response.headers["Retry-After"] == str(UNAVAILABLE_RETRY_AFTER)
    assert "no-cache" in response.headers["Cache-Control"]
    return body


def _assert_unavailable_page(response: Any) -> None:
    assert response.status_code == 503
    assert response.headers["Content-Type"].startswith("text/html")
    assert response.headers["Retry-After"] == str(UNAVAILABLE_RETRY_AFTER)
    assert b"Temporarily unavailable" in response.content
    assert b"Traceback" not in response.content


def _warned(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """The warnings about the outage; and no error was logged, by Django or anyone."""
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    return [
        record
        for record in caplog.records
        if record.name == "routing.database" and record.levelno == logging.WARNING
    ]


# --- the shapes, with a view made to fail -------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "error",
    [
        OperationalError("server closed the connection unexpectedly"),
        InterfaceError("connection already closed"),
        psycopg.OperationalError("the connection is closed"),
    ],
)
def test_api_answers_503_in_the_error_shape(
    api: APIClient, error: Exception, caplog: pytest.LogCaptureFixture
) -> None:
    with mock.patch("routing.services.requests.request_receive", side_effect=error):
        response = api.post(URL, contract_body(), format="json")

    assert "Idempotency-Key" in _assert_unavailable_json(response)["message"]
    [record] = _warned(caplog)
    assert "POST /api/v1/requests/ answered 503" in record.getMessage()
    assert record.exc_info is None


@pytest.mark.django_db
def test_a_page_answers_a_503_page(caplog: pytest.LogCaptureFixture) -> None:
    with mock.patch("routing.views.intake.render", side_effect=OperationalError("gone")):
        response = Client().get("/")

    _assert_unavailable_page(response)
    assert "no-cache" in response.headers["Cache-Control"]
    assert len(_warned(caplog)) == 1


def test_an_api_path_outside_the_rest_framework_gets_the_error_shape() -> None:
    middleware = DatabaseUnavailableMiddleware(lambda request: mock.Mock())
    request = RequestFactory().get("/api/v1/anything")

    response = middleware.process_exception(request, OperationalError("gone"))

    assert response is not None
    _assert_unavailable_json(response)


@pytest.mark.django_db
def test_other_database_errors_stay_server_errors(api: APIClient) -> None:
    # A bad query is a bug to see, not an outage to retry.
    bug = ProgrammingError("column does not exist")
    with (
        mock.patch("routing.services.requests.request_receive", side_effect=bug),
        pytest.raises(ProgrammingError),
    ):
        api.post(URL, contract_body(), format="json")
    middleware = DatabaseUnavailableMiddleware(mock.Mock())
    assert middleware.process_exception(RequestFactory().get("/"), bug) is None


# --- nothing half-written ------------------------------------------------------------------


class FailAtInsert:
    """A database execute wrapper that fails the first INSERT into ``table`` (the
    acknowledgement, the create's last row), after the request, its routes and its
    events were inserted. ``fail`` runs then and raises, or breaks the connection."""

    def __init__(self, table: str, fail: Callable[[], None]) -> None:
        self.table = table
        self.fail = fail
        self.tables_written: list[str] = []

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if sql.startswith("INSERT INTO "):
            table = sql.split()[2].strip('"')
            first = table == self.table and table not in self.tables_written
            self.tables_written.append(table)
            if first:
                self.fail()
        return execute(sql, params, many, context)

    def assert_failed_midway(self) -> None:
        assert self.table in self.tables_written, "the failure was never reached"
        before = self.tables_written[: self.tables_written.index(self.table)]
        assert {"routing_request", "routing_route", "routing_event"} <= set(before), before


def _raise_operational_error() -> None:
    raise OperationalError("terminating connection due to administrator command")


@pytest.mark.django_db
def test_a_create_that_fails_midway_leaves_nothing(api: APIClient) -> None:
    failure = FailAtInsert("routing_outboundmessage", _raise_operational_error)
    with db_connection.execute_wrapper(failure):
        response = api.post(URL, contract_body(), format="json")

    failure.assert_failed_midway()
    _assert_unavailable_json(response)
    assert Request.objects.count() == 0
    assert Route.objects.count() == 0
    assert Event.objects.count() == 0


@pytest.mark.django_db
def test_a_failed_create_does_not_store_its_idempotency_key(api: APIClient) -> None:
    failure = FailAtInsert("routing_outboundmessage", _raise_operational_error)
    with db_connection.execute_wrapper(failure):
        failed = api.post(URL, contract_body(), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    failure.assert_failed_midway()
    _assert_unavailable_json(failed)
    assert IdempotencyRecord.objects.count() == 0

    # The retry with the same key does the work instead of replaying the failure.
    retried = api.post(URL, contract_body(), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert retried.status_code == 201, retried.content
    assert "Idempotent-Replayed" not in retried.headers
    request = Request.objects.get()
    assert request.pk == retried.json()["id"]
    assert request.routes.exists()
    assert request.events.filter(type="received").exists()


# --- a real connection, broken (PostgreSQL) -------------------------------------------------


def _admin_connection() -> psycopg.Connection[Any]:
    """A second connection to the test database, to act on the one the views use."""
    params = db_connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    return psycopg.connect(**params, autocommit=True)


def _terminate(backend_pid: int) -> None:
    with _admin_connection() as admin:
        # Waits up to 5 s for the backend to be gone, as after a database restart.
        admin.execute("SELECT pg_terminate_backend(%s, 5000)", [backend_pid])


@pytest.mark.postgres
def test_a_dead_server_is_noticed_by_the_connection_settings() -> None:
    # A kept connection is checked before reuse; a host that does not answer fails fast.
    database = db_connection.settings_dict
    assert database["CONN_MAX_AGE"] > 0
    assert database["CONN_HEALTH_CHECKS"] is True
    assert 0 < database["OPTIONS"]["connect_timeout"] < 30


@pytest.fixture
def live_connection(api: APIClient) -> Iterator[APIClient]:
    """The API client with the views' connection open, as a server keeps it between
    requests (CONN_MAX_AGE)."""
    assert api.get(URL).status_code == 200
    assert db_connection.connection is not None
    yield api
    # Leave a working connection for the test database's flush.
    db_connection.close()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_connection_broken_in_the_middle_of_a_create_answers_503_and_is_replaced(
    live_connection: APIClient,
) -> None:
    api = live_connection
    assert db_connection.connection is not None
    pid = db_connection.connection.info.backend_pid
    # The server ends the session half-way through the create, as a restart does.
    failure = FailAtInsert("routing_outboundmessage", lambda: _terminate(pid))
    with db_connection.execute_wrapper(failure):
        response = api.post(URL, contract_body(), format="json", HTTP_IDEMPOTENCY_KEY="k-2")

    failure.assert_failed_midway()
    _assert_unavailable_json(response)
    # The failed rollback made Django drop the dead connection as the transaction ended.
    close_old_connections()
    replaced = db_connection.connection
    assert replaced is None or replaced.info.backend_pid != pid
    assert Request.objects.count() == Route.objects.count() == Event.objects.count() == 0
    assert IdempotencyRecord.objects.count() == 0

    retried = api.post(URL, contract_body(), format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert retried.status_code == 201, retried.content
    assert "Idempotent-Replayed" not in retried.headers
    assert Request.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_dead_connection_answers_503_and_is_dropped_at_request_end(
    live_connection: APIClient,
) -> None:
    api = live_connection
    assert db_connection.connection is not None
    _terminate(db_connection.connection.info.backend_pid)

    # The test client skips the check a server runs at request start, so the request
    # meets the dead connection, as one already running when the database restarts.
    _assert_unavailable_json(api.get(URL))
    assert db_connection.connection is not None
    assert db_connection.errors_occurred

    # At request end (request_finished) Django drops a connection that had errors and
    # no longer answers; the next request opens a new one.
    close_old_connections()
    assert db_connection.connection is None
    assert api.get(URL).status_code == 200


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_connection_dropped_between_requests_is_replaced_by_the_health_check(
    live_connection: APIClient,
) -> None:
    api = live_connection
    assert db_connection.connection is not None
    dead_pid = db_connection.connection.info.backend_pid
    _terminate(dead_pid)

    # What a server runs at request start: with CONN_HEALTH_CHECKS the kept connection
    # is tested before its first use in the request, and replaced.
    close_old_connections()
    response = api.post(URL, contract_body(), format="json")

    assert response.status_code == 201, response.content
    assert db_connection.connection is not None
    assert db_connection.connection.info.backend_pid != dead_pid


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_unreachable_database_answers_503_until_it_is_back(
    live_connection: APIClient, caplog: pytest.LogCaptureFixture
) -> None:
    api = live_connection
    port = db_connection.settings_dict["PORT"]
    db_connection.close()
    db_connection.settings_dict["PORT"] = str(_closed_port())
    try:
        _assert_unavailable_json(api.post(URL, contract_body(), format="json"))
        _assert_unavailable_page(Client().get("/"))
    finally:
        db_connection.settings_dict["PORT"] = port
    warned = _warned(caplog)
    assert len(warned) == 2
    assert all("OperationalError" in record.getMessage() for record in warned)

    # Nothing to restart: the next request connects again.
    response = api.post(URL, contract_body(), format="json")
    assert response.status_code == 201, response.content
