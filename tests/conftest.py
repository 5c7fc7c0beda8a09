"""Shared fixtures.

Tests marked ``postgres`` or ``redis`` need the real service. Without it they skip
with the reason; with ``DSAR_REQUIRE_SERVICES=1`` (set by CI) a missing service is a
failure instead, so CI never passes by skipping them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from tests.support.services import skip_or_fail


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
    if reason is not None:
        skip_or_fail(reason)


@pytest.fixture(autouse=True)
def _fresh_registry_snapshot() -> Iterator[None]:
    """Each test starts without the process's registry snapshot: emptying the database
    between tests sends no signal that would tell it."""
    from routing.domain.registry_snapshot import registry_snapshot_clear

    registry_snapshot_clear()
    yield
    registry_snapshot_clear()


@pytest.fixture
def registry(db):
    """The shipped registry with its demo customers, loaded into the test database."""
    from routing.planning import load_demo_customers, load_registry_files
    from routing.services.registry import registry_load

    return registry_load(files=load_registry_files(), demo_customers=load_demo_customers())


CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    if not CHROMIUM.exists():
        skip_or_fail(f"needs Debian's chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM, used by the
    # tests between page loads, would otherwise refuse to run next to it.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
