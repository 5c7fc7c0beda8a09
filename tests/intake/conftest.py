"""Fixtures for the public pages.

Browser tests need Debian's chromium. Without it they skip with the reason; with
``DSAR_REQUIRE_SERVICES=1`` (set by CI) a missing browser is a failure instead, as
tests/conftest.py does for PostgreSQL and Redis.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
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


def link_in(message: mail.EmailMessage, path_part: str) -> str:
    """The first link in an email's text body whose path contains ``path_part``."""
    for url in re.findall(r"https?://\S+", str(message.body)):
        if path_part in url:
            return url
    raise AssertionError(f"no link with {path_part!r} in: {message.body}")


def fr(text: str) -> str:
    """French as the pages write it, with typographic apostrophes: fr("d'accès")."""
    return text.replace("'", "\u2019")


def local_path(url: str) -> str:
    return url.replace(settings.DSAR_PUBLIC_URL, "", 1)
