"""The pages cache's backends: Django's Redis cache failing open, and Django's file cache
without two per-key habits (`PagesFileCache`).

Django's Redis cache, failing open: when Redis is down, pages still serve, uncached.

Every cache call that cannot reach Redis answers as a miss (or does nothing) and logs one
line, at most every LOG_EVERY_SECONDS per process, so an outage neither stops the site nor
floods the log. Connection and socket timeouts are short (see settings.CACHES), so a dead
Redis costs a reader at most a fraction of a second.
"""

import functools
import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

LOG_EVERY_SECONDS = 10


def _fail_open(default):
    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except (RedisError, OSError) as error:
                self._log_failure(method.__name__, error)
                return default() if callable(default) else default

        return wrapper

    return decorate


class FailOpenRedisCache(RedisCache):
    """RedisCache whose reads miss and whose writes are skipped while Redis is unreachable."""

    _last_logged = 0.0

    def _log_failure(self, operation, error):
        now = time.monotonic()
        if now - FailOpenRedisCache._last_logged >= LOG_EVERY_SECONDS:
            FailOpenRedisCache._last_logged = now
            logger.warning(
                "Redis cache unavailable (%s failed: %s); serving uncached", operation, error
            )

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except (RedisError, OSError) as error:
            self._log_failure("get", error)
            return default

    @_fail_open(dict)
    def get_many(self, keys, version=None):
        return super().get_many(keys, version)

    @_fail_open(False)
    def has_key(self, key, version=None):
        return super().has_key(key, version)

    @_fail_open(False)
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().add(key, value, timeout, version)

    @_fail_open(None)
    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set(key, value, timeout, version)

    @_fail_open(list)
    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set_many(data, timeout, version)

    @_fail_open(False)
    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return super().touch(key, timeout, version)

    @_fail_open(False)
    def delete(self, key, version=None):
        return super().delete(key, version)

    @_fail_open(None)
    def delete_many(self, keys, version=None):
        return super().delete_many(keys, version)

    @_fail_open(False)
    def clear(self):
        return super().clear()


class PagesFileCache(FileBasedCache):
    """Django's file cache, for the pages cache of a newsroom without Redis.

    Two of its habits cost on every key, and a page checks a hundred keys (its kept cards
    and their purge stamps):
      - each key is checked character by character for memcached, which this cache is
        not: the keys are the newsroom's own;
      - each write lists the whole folder to see whether it is over MAX_ENTRIES. Here the
        folder is counted at most every CULL_CHECK_SECONDS per worker; it may run over by
        what that worker writes in between, and is culled as Django does on the next
        count.
    """

    CULL_CHECK_SECONDS = 10
    _next_cull_check = 0.0

    def validate_key(self, key):
        pass

    def _cull(self):
        now = time.monotonic()
        if now < self._next_cull_check:
            return
        self._next_cull_check = now + self.CULL_CHECK_SECONDS
        super()._cull()
