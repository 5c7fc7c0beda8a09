"""Fixtures for the security tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import caches

from dsar.celery import app as celery_app


@pytest.fixture(autouse=True)
def _fresh_counters() -> Iterator[None]:
    # Rate-limit counters live in the caches; one test's posts must not limit the next.
    for alias in ("default", "ratelimit"):
        caches[alias].clear()
    yield
    for alias in ("default", "ratelimit"):
        caches[alias].clear()


@pytest.fixture
def sent(django_capture_on_commit_callbacks: Any) -> Iterator[Any]:
    """``with sent(): ...`` runs the on-commit hand-off eagerly, so emails reach mail.outbox."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield lambda: django_capture_on_commit_callbacks(execute=True)
    celery_app.conf.task_always_eager = previous


def _client(organisation_slug: str, *, can_write: bool) -> Any:
    from routing.models import Organisation
    from routing.services.integrations import integration_create
    from tests.support.api import client_for

    created = integration_create(
        name=f"Desk {'rw' if can_write else 'ro'}",
        organisations=[Organisation.objects.get(slug=organisation_slug)],
        can_write=can_write,
        webhook_url="",
    )
    return client_for(created.token)


@pytest.fixture
def api(registry: Any) -> Any:
    """An integration of the shipped Callkom, with write permission."""
    return _client("callkom", can_write=True)


@pytest.fixture
def read_only_api(registry: Any) -> Any:
    return _client("callkom", can_write=False)
