"""One error shape for every 4xx answer of the API:

    {"code": "invalid", "message": "...",
     "errors": {"subject.email": [{"code": "invalid", "message": "..."}]}}

``errors`` is keyed by the field's path in the request (dotted for nested objects, with
the item's index for lists) and is empty when no field is to blame. Services' own
exceptions are translated here, so views only call services.

A database that cannot be reached (restart, failover, network) answers 503 with the same
shape, code ``unavailable``, and Retry-After; routing.middleware does the same for pages.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from routing.domain.transitions import TransitionError
from routing.domain.unavailable import (
    UNAVAILABLE_CODE,
    UNAVAILABLE_MESSAGE,
    database_unavailable,
    log_unavailable,
    unavailable_headers,
)


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request's current state does not allow this."
    default_code = "conflict"


class Unprocessable(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = "The request cannot be processed."
    default_code = "unprocessable"


class Unavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = UNAVAILABLE_MESSAGE
    default_code = UNAVAILABLE_CODE


def validation_error_from_django(
    error: DjangoValidationError, rename: Mapping[str, str] | None = None
) -> exceptions.ValidationError:
    """A service's ValidationError (keyed by its own field names) as the API's, keyed by
    the request's field paths."""
    rename = rename or {}
    details: dict[str, list[exceptions.ErrorDetail]] = {}
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            key = api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field
            key = rename.get(key, key)
            for item in errors:
                for message in item.messages:
                    details.setdefault(key, []).append(
                        exceptions.ErrorDetail(message, code=item.code or "invalid")
                    )
    else:
        details[api_settings.NON_FIELD_ERRORS_KEY] = [
            exceptions.ErrorDetail(message, code=getattr(error, "code", None) or "invalid")
            for message in error.messages
        ]
    return exceptions.ValidationError(details)


@contextmanager
def service_errors(rename: Mapping[str, str] | None = None) -> Iterator[None]:
    """Translate what a service raises: ValidationError → 400, TransitionError → 409."""
    try:
        yield
    except DjangoValidationError as error:
        raise validation_error_from_django(error, rename) from None
    except TransitionError as error:
        raise Conflict(error.message, code=error.code) from None


def _is_leaf(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"message", "code"}


def _flatten(details: Any, path: str, out: dict[str, list[dict[str, str]]]) -> None:
    if _is_leaf(details):
        out.setdefault(path or api_settings.NON_FIELD_ERRORS_KEY, []).append(
            {"code": str(details["code"]), "message": str(details["message"])}
        )
    elif isinstance(details, dict):
        for key, value in details.items():
            _flatten(value, f"{path}.{key}" if path else str(key), out)
    elif isinstance(details, list):
        if all(_is_leaf(item) for item in details):
            for item in details:
                _flatten(item, path, out)
        else:
            # Errors of a list of objects: one entry per item, empty for valid ones.
            for index, item in enumerate(details):
                if item:
                    _flatten(item, f"{path}.{index}" if path else str(index), out)


def _message(field_errors: dict[str, list[dict[str, str]]]) -> str:
    if len(field_errors) == 1:
        field, errors = next(iter(field_errors.items()))
        if field == api_settings.NON_FIELD_ERRORS_KEY:
            return errors[0]["message"]
        return f"{field}: {errors[0]['message']}"
    return f"{len(field_errors)} fields are invalid: {', '.join(field_errors)}."


def error_body(exc: exceptions.APIException) -> dict[str, Any]:
    if isinstance(exc, exceptions.ValidationError):
        field_errors: dict[str, list[dict[str, str]]] = {}
        _flatten(exc.get_full_details(), "", field_errors)
        return {"code": "invalid", "message": _message(field_errors), "errors": field_errors}
    codes = exc.get_codes()
    code = codes if isinstance(codes, str) else exc.default_code
    detail = exc.detail
    message = str(detail) if not isinstance(detail, list | dict) else str(exc.default_detail)
    return {"code": str(code), "message": message, "errors": {}}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    cause: Exception | None = None
    if isinstance(exc, DjangoValidationError):
        exc = validation_error_from_django(exc)
    elif isinstance(exc, TransitionError):
        exc = Conflict(exc.message, code=exc.code)
    elif isinstance(exc, ProtectedError):
        exc = Conflict("Still in use by stored requests, so it cannot be deleted.", code="in_use")
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(*exc.args)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    elif database_unavailable(exc):
        cause, exc = exc, Unavailable()
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    response.data = error_body(exc)
    if cause is not None:
        unavailable_headers(response)
        # The Django request under the REST framework's.
        request = getattr(context["request"], "_request", context["request"])
        log_unavailable(request, response, cause)
    return response
