"""Fixtures for a throwaway redis-server (Debian's `redis-server`) on a free loopback port."""

import pytest
from django.core.cache import caches

from tests.cache_servers import RedisServer


@pytest.fixture
def redis_server(tmp_path):
    """Skips locally without redis-server; under CI=true a missing server fails the run."""
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_cache(settings, redis_server):
    """CACHES and REDIS_URL pointed at the throwaway server, as REDIS_URL does in production."""
    settings.REDIS_URL = redis_server.url
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_server.url,
        }
    }
    yield redis_server
    caches["default"].close()
