"""Rate limit per integration, shared by every web process through the cache."""

from __future__ import annotations

import logging
import math
import time
from typing import Any

from django.core.cache import cache
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from routing.api.authentication import ApiClient

logger = logging.getLogger(__name__)


class IntegrationRateThrottle(SimpleRateThrottle):
    """A fixed window counted with the cache's atomic add and increment.

    DRF's own throttle reads and rewrites a list of timestamps per call, which two
    processes can interleave and which grows with the rate; one counter per window is
    atomic on Redis and costs the same at any rate.
    """

    scope = "integration"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        client = request.user
        if isinstance(client, ApiClient):
            # The prefix keeps a reused id (a test database, a restore) off an old count.
            return f"api-throttle:{client.pk}:{client.integration.token_prefix}"
        return None  # unauthenticated calls are refused before throttling

    def allow_request(self, request: Request, view: Any) -> bool:
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        allowed, duration = self.parse_rate(self.rate)
        if allowed is None or duration is None:
            return True
        now = time.time()
        window = int(now // duration)
        self.key = f"{key}:{window}"
        self.window_ends = (window + 1) * duration
        self.now = now
        try:
            # add() is a no-op when the key exists; the window's key expires with it.
            cache.add(self.key, 0, timeout=duration + 1)
            try:
                count = cache.incr(self.key)
            except ValueError:  # evicted between add and incr
                cache.add(self.key, 1, timeout=duration + 1)
                count = 1
        except Exception:
            # A cache outage must not stop intake: every request still lands in the
            # database; only the limit is not counted meanwhile.
            logger.warning("api throttle: cache unavailable, request allowed")
            return True
        return bool(count <= allowed)

    def wait(self) -> float:
        # Whole seconds, rounded up: Retry-After must not invite a retry that is refused.
        return float(max(math.ceil(self.window_ends - self.now), 1))
