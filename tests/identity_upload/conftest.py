"""Fixtures for proofs of identity: files in a storage folder per test (those of
tests/files), fresh rate limits and emails delivered (those of tests/intake), staff of two
organisations (those of tests/admin)."""

from __future__ import annotations

from typing import Any

import pytest

from routing.models import Request, WaitingFor
from routing.services.actors import Actor
from routing.services.requests import request_pause
from tests.admin.conftest import (
    callkom,
    click_and_call,
    client_a,
    organisation_a,
    organisation_b,
    staff_a,
    staff_b,
)
from tests.files.conftest import file_settings, files_dir
from tests.intake.conftest import _fresh_rate_limits, eager_celery, sent
from tests.intake.test_status_page import confirmed

__all__ = [
    "_fresh_rate_limits",
    "callkom",
    "click_and_call",
    "client_a",
    "eager_celery",
    "file_settings",
    "files_dir",
    "organisation_a",
    "organisation_b",
    "sent",
    "staff_a",
    "staff_b",
]


@pytest.fixture
def confirmed_request(registry: Any, sent: Any) -> tuple[Request, str]:
    """A Callkom request confirmed through the intake, and its status path."""
    return confirmed("callkom", sent, kinds=("access",))


@pytest.fixture
def awaiting_identity(
    confirmed_request: tuple[Request, str], staff_a: Any, sent: Any
) -> tuple[Request, str]:
    """The request paused by Callkom's staff for proof of identity, and its status path."""
    request, path = confirmed_request
    with sent():
        request_pause(
            request=request,
            by=Actor.staff(staff_a),
            reason="Send a copy of an identity document.",
            waiting_for=WaitingFor.IDENTITY,
        )
    request.refresh_from_db()
    return request, path
