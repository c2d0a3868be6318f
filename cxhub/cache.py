"""The cache every process and machine shares (REDIS_URL): Django's Redis backend, except that
a Redis that cannot be reached is a miss, not an error.

Everything the hub caches is keyed by the content version (cxhub.content_version) and computed
again from the database when it is missing, so a miss is always correct, only slower: readers
keep getting pages while Redis restarts or is away, and the cache fills again when it is back.
After a failure the process leaves Redis alone for a few seconds, so a Redis host that has gone
silent costs one timeout (settings: 1 s) now and then, not one per cache call. The hub reads
and writes the cache through get() and set() only.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_AFTER = 5.0  # seconds without asking Redis after a failure
WARN_EVERY = 60.0  # one warning a minute per process, not one per failure
_down_until = float("-inf")
_warned_at = float("-inf")


class SharedCache(RedisCache):
    def get(self, key, default=None, version=None):
        if time.monotonic() < _down_until:
            return default
        try:
            return super().get(key, default, version)
        except RedisError as error:
            _unavailable(error)
            return default

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        if time.monotonic() < _down_until:
            return
        try:
            super().set(key, value, timeout, version)
        except RedisError as error:
            _unavailable(error)


def _unavailable(error: RedisError) -> None:
    global _down_until, _warned_at
    now = time.monotonic()
    _down_until = now + RETRY_AFTER
    if now - _warned_at >= WARN_EVERY:
        _warned_at = now
        logger.warning(
            "Redis unavailable, computing from the database until it is back (%s: %s). "
            "Check the server at REDIS_URL.",
            type(error).__name__,
            error,
        )
