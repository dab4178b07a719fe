"""The pages cache's backends: Django's Redis cache failing open, and Django's file cache
without two per-key habits and with purge stamps read by one `stat` each (`PagesFileCache`).

Both keep the purge stamps of articles.public.cache: a stamp is a time, when its key was
last purged (0: not since it was first kept), and a missing or expired stamp reads as a
purge. A page reads the stamps of everything it shows, a hundred or more at a time.

Django's Redis cache, failing open: when Redis is down, pages still serve, uncached.

Every cache call that cannot reach Redis answers as a miss (or does nothing) and logs one
line, at most every LOG_EVERY_SECONDS per process, so an outage neither stops the site nor
floods the log. Connection and socket timeouts are short (see settings.CACHES), so a dead
Redis costs a reader at most a fraction of a second.
"""

import functools
import glob
import logging
import os
import tempfile
import time
from hashlib import md5

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
    """RedisCache whose reads miss and whose writes are skipped while Redis is unreachable.

    Purge stamps are ordinary entries here: a page's kept parts and their stamps come back
    in one round trip.
    """

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

    def get_many_and_stamps(self, names, stamps):
        """{name or stamp: value} for the entries `names` and the stamps `stamps` found."""
        return self.get_many([*names, *stamps])

    def set_stamps(self, stamps, when, timeout):
        self.set_many(dict.fromkeys(stamps, when), timeout=timeout)

    @_fail_open(None)
    def add_stamps(self, stamps, when, timeout):
        """Stamp `when` each of `stamps` that has no stamp: SET NX, as Django's `add`, all in
        one round trip (a page kept once a purge has passed stamps every key it shows)."""
        client = self._cache.get_client(write=True)
        value, seconds = self._cache._serializer.dumps(when), self.get_backend_timeout(timeout)
        with client.pipeline(transaction=False) as pipeline:
            for stamp in stamps:
                pipeline.set(self.make_and_validate_key(stamp), value, ex=seconds, nx=True)
            pipeline.execute()

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

    A purge stamp is an empty file beside the entries: its modification time is the stamp
    and its access time when it expires, both set with `utime`. One `stat` reads it, where
    an entry costs an open, a read, a decompress and two unpickles. Nothing here reads the
    files; a program that did could at most move an access time to now, and a stamp
    expiring early reads as a purge. Stamps are written whole (a file made aside, then
    renamed or linked into place) and are never culled at random, as entries are: a purge
    is forgotten only once every copy it ended has expired. The expired stamps are swept at
    most every STAMP_SWEEP_SECONDS per worker.
    """

    CULL_CHECK_SECONDS = 10
    STAMP_SWEEP_SECONDS = 60
    stamp_suffix = ".stamp"
    _next_cull_check = 0.0
    _next_stamp_sweep = 0.0

    def validate_key(self, key):
        pass

    def _cull(self):
        now = time.monotonic()
        if now < self._next_cull_check:
            return
        self._next_cull_check = now + self.CULL_CHECK_SECONDS
        super()._cull()

    def clear(self):
        super().clear()
        for path in self._stamp_files():
            self._delete(path)

    def get_many_and_stamps(self, names, stamps):
        found = self.get_many(names) if names else {}
        now = time.time()
        for stamp in stamps:
            try:
                status = os.stat(self._stamp_file(stamp))
            except FileNotFoundError:
                continue
            if status.st_atime > now:
                found[stamp] = status.st_mtime
        return found

    def set_stamps(self, stamps, when, timeout):
        expires = time.time() + timeout
        for stamp in stamps:
            self._write_stamp(self._stamp_file(stamp), when, expires, os.replace)
        self._sweep_stamps()

    def add_stamps(self, stamps, when, timeout):
        now = time.time()
        for stamp in stamps:
            path = self._stamp_file(stamp)
            try:
                expired = os.stat(path).st_atime <= now
            except FileNotFoundError:
                # Linked, not renamed: a stamp written meanwhile (a purge) stands.
                self._write_stamp(path, when, now + timeout, os.link)
            else:
                if expired:  # as Django's add: an expired entry is replaced
                    self._write_stamp(path, when, now + timeout, os.replace)
        self._sweep_stamps()

    def _stamp_file(self, stamp):
        name = md5(self.make_key(stamp).encode(), usedforsecurity=False).hexdigest()
        return os.path.join(self._dir, name + self.stamp_suffix)

    def _stamp_files(self):
        return [
            os.path.join(self._dir, name)
            for name in glob.glob(f"*{self.stamp_suffix}", root_dir=self._dir)
        ]

    def _write_stamp(self, path, when, expires, put):
        self._createdir()
        handle, made = tempfile.mkstemp(dir=self._dir)
        os.close(handle)
        renamed = False
        try:
            os.utime(made, (expires, when))
            put(made, path)
            renamed = put is os.replace
        except FileExistsError:
            pass
        finally:
            if not renamed:
                os.remove(made)

    def _sweep_stamps(self):
        now = time.monotonic()
        if now < self._next_stamp_sweep:
            return
        self._next_stamp_sweep = now + self.STAMP_SWEEP_SECONDS
        for path in self._stamp_files():
            try:
                if os.stat(path).st_atime <= time.time():
                    os.remove(path)
            except FileNotFoundError:
                pass
