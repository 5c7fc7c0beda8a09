"""Services a test needs (PostgreSQL, Redis, chromium, systemd-analyze): skip without
them, or fail under ``DSAR_REQUIRE_SERVICES=1`` (set by CI), so CI never passes by skipping."""

from __future__ import annotations

import os
from typing import NoReturn

import pytest


def require_services() -> bool:
    """Whether a missing service is a failure instead of a skip."""
    return os.environ.get("DSAR_REQUIRE_SERVICES", "").lower() in {"1", "true", "yes"}


def skip_or_fail(reason: str) -> NoReturn:
    """Skip the test with ``reason``, or fail with it when the services are required."""
    if require_services():
        pytest.fail(f"{reason} (DSAR_REQUIRE_SERVICES is set, so this is a failure)")
    pytest.skip(reason)
