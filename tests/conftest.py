"""Shared fixtures.

Tests marked ``postgres`` or ``redis`` need the real service. Without it they skip
with the reason; with ``DSAR_REQUIRE_SERVICES=1`` (set by CI) a missing service is a
failure instead, so CI never passes by skipping them.
"""

from __future__ import annotations

import os

import pytest
from django.conf import settings


def _require_services() -> bool:
    return os.environ.get("DSAR_REQUIRE_SERVICES", "").lower() in {"1", "true", "yes"}


def _missing_service(item: pytest.Item) -> str | None:
    if item.get_closest_marker("postgres") and settings.DATABASES["default"]["ENGINE"] != (
        "django.db.backends.postgresql"
    ):
        return "needs PostgreSQL: set DATABASE_URL=postgres://USER@HOST:5432/NAME"
    if item.get_closest_marker("redis") and not settings.REDIS_URL:
        return "needs Redis: set REDIS_URL=redis://HOST:6379/0"
    return None


def pytest_runtest_setup(item: pytest.Item) -> None:
    reason = _missing_service(item)
    if reason is None:
        return
    if _require_services():
        pytest.fail(f"{reason} (DSAR_REQUIRE_SERVICES is set, so this is a failure)")
    pytest.skip(reason)


@pytest.fixture
def registry(db):
    """The shipped registry with its demo customers, loaded into the test database."""
    from routing.planning import load_demo_customers, load_registry_files
    from routing.services.registry import registry_load

    return registry_load(files=load_registry_files(), demo_customers=load_demo_customers())
