"""A database out of reach: how every surface recognises it and answers it, with a 503
and Retry-After, never a 500. The API's exception handler and the middleware covering
every other view both use it."""

from __future__ import annotations

import logging

import psycopg
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.log import log_response

UNAVAILABLE_CODE = "unavailable"
UNAVAILABLE_MESSAGE = (
    "The service cannot reach its database for the moment. Retry after the delay in "
    "Retry-After; resend a create with the same Idempotency-Key, so it is done once."
)

logger = logging.getLogger("routing.database")

# Seconds to wait before retrying when the database is out of reach: a restart or a
# failover takes a few seconds.
UNAVAILABLE_RETRY_AFTER = 10

# Django wraps the driver's errors in its own; psycopg's are listed too for code that
# reaches the raw connection. OperationalError also covers a statement timeout or a lock
# not granted in time, which a retry resolves as well.
_UNAVAILABLE_ERRORS: tuple[type[BaseException], ...] = (
    OperationalError,
    InterfaceError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
)


def unavailable_headers(response: HttpResponse) -> None:
    response["Retry-After"] = str(UNAVAILABLE_RETRY_AFTER)
    # A proxy must not keep serving the outage once the database is back.
    add_never_cache_headers(response)


def database_unavailable(exc: BaseException) -> bool:
    """Whether ``exc`` says the database is out of reach or the connection broke."""
    return isinstance(exc, _UNAVAILABLE_ERRORS)


def log_unavailable(request: HttpRequest, response: HttpResponse, exc: BaseException) -> None:
    """Log the 503 once, as a warning without a traceback: the cause is outside the code
    and the client was told to retry. (Django would log a 5xx again as an error.)"""
    log_response(
        "Database unavailable; %s %s answered 503: %s: %s",
        request.method,
        request.path,
        type(exc).__name__,
        str(exc).strip(),
        response=response,
        request=request,
        logger=logger,
        level="warning",
    )


def unavailable_body() -> dict[str, object]:
    """The API's error shape (routing.api.errors.error_body) for an outage."""
    return {"code": UNAVAILABLE_CODE, "message": UNAVAILABLE_MESSAGE, "errors": {}}
