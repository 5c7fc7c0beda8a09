"""Fixtures for the public pages.

Browser tests need Debian's chromium. Without it they skip with the reason; with
``DSAR_REQUIRE_SERVICES=1`` (set by CI) a missing browser is a failure instead, as
tests/conftest.py does for PostgreSQL and Redis.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from dsar.celery import app as celery_app


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    # Rate-limit counters live in the cache; one test's posts must not limit the next.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def eager_celery() -> Iterator[None]:
    """The outbox hands messages to Celery on commit; run them at once, into mail.outbox."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def sent(django_capture_on_commit_callbacks: Any, eager_celery: None) -> Any:
    """``with sent(): client.post(...)`` runs the on-commit hand-off, so emails arrive."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
