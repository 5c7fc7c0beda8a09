"""Fixtures for downloading the answer package: files in a storage folder per test (those
of tests/files), fresh rate limits and emails delivered (those of tests/intake)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core import mail

from routing.models import Request, RequestFile
from routing.services.actors import Actor
from routing.services.files import file_store
from routing.services.requests import request_complete
from tests.factories import OrganisationFactory, make_request
from tests.files.conftest import by, file_settings, files_dir, pdf_bytes
from tests.intake.conftest import _fresh_rate_limits, eager_celery, sent
from tests.support.pages import link_in, local_path

__all__ = ["_fresh_rate_limits", "by", "eager_celery", "file_settings", "files_dir", "sent"]

ANSWER = pdf_bytes(150_000)


@pytest.fixture
def subject_request(db: Any) -> Request:
    return make_request(OrganisationFactory.create(), kinds=("access", "erasure"))


def store_answer(request: Request, by: Actor, content: bytes = ANSWER) -> RequestFile:
    return file_store(
        request=request,
        purpose="response",
        content=io.BytesIO(content),
        name="answer.pdf",
        by=by,
        kind="access",
    )


def answered(request: Request, by: Actor, sent: Any) -> str:
    """Complete the access part with an answer package; returns the status path the
    "answer ready" email gives."""
    with sent():
        request_complete(request=request, by=by, kinds=["access"])
    return local_path(link_in(mail.outbox[-1], "/s/"))
