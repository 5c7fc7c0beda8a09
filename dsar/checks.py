"""System checks of the service's own settings."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

# Rate-limit caches that keep public forms answering when the cache is out of reach.
FAIL_OPEN_CACHES = {
    "dsar.cache.FailOpenRedisCache",
    # One process only (runserver): nothing to reach, nothing to fail.
    "django.core.cache.backends.locmem.LocMemCache",
}


@checks.register(checks.Tags.caches)
def rate_limit_cache_fails_open(
    app_configs: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """django_ratelimit.W001 is silenced for Django's Redis backend; this checks what matters
    instead: a Redis error must read as "not counted", not fail every public form."""
    name = getattr(settings, "RATELIMIT_USE_CACHE", "default")
    backend = settings.CACHES.get(name, {}).get("BACKEND", "")
    if backend in FAIL_OPEN_CACHES:
        return []
    return [
        checks.Error(
            f"The rate-limit cache {name!r} uses {backend}, which raises when its server is "
            "out of reach: every rate-limited form would answer 500 during an outage.",
            hint="Use dsar.cache.FailOpenRedisCache for it (see dsar/settings.py).",
            id="dsar.E001",
        )
    ]
