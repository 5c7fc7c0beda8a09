"""A Redis cache that answers "unknown" instead of raising when Redis is out of reach.

Rate limits read their counters through it: django-ratelimit treats a failed count as
"not limited" (RATELIMIT_FAIL_OPEN) but lets a connection error through, which turned
every public form into a 500 while Redis was down.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

_OUTAGE = (RedisError, OSError)


class FailOpenRedisCache(RedisCache):
    def _unavailable(self, operation: str) -> None:
        logger.warning("cache unavailable (%s): rate limits are not counted meanwhile", operation)

    def add(self, key: Any, value: Any, timeout: Any = None, version: int | None = None) -> bool:
        try:
            return bool(super().add(key, value, timeout, version))
        except _OUTAGE:
            self._unavailable("add")
            return False

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        try:
            return super().get(key, default, version)
        except _OUTAGE:
            self._unavailable("get")
            return default

    def set(self, key: Any, value: Any, timeout: Any = None, version: int | None = None) -> None:
        try:
            super().set(key, value, timeout, version)
        except _OUTAGE:
            self._unavailable("set")

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> Any:
        try:
            return super().incr(key, delta, version)
        except _OUTAGE:
            self._unavailable("incr")
            return None

    def delete(self, key: Any, version: int | None = None) -> bool:
        try:
            return bool(super().delete(key, version))
        except _OUTAGE:
            self._unavailable("delete")
            return False
