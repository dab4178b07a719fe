"""With REDIS_URL, staff sessions live in Redis and the database (cached_db)."""

import pytest
import redis

from tests.redis_server import redis_cache, redis_server  # noqa: F401 (fixtures)
from tests.test_settings import run_django


@pytest.fixture
def redis_sessions(settings, redis_cache):  # noqa: F811
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.SESSION_CACHE_ALIAS = "default"
    return redis_cache


def sign_in(client, user):
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": user.username, "password": "correct horse battery staple"},
    )
    assert response.status_code == 302, response.text


def test_a_staff_session_survives_redis_losing_everything(client, journalist, redis_sessions):
    sign_in(client, journalist)
    keys = redis.Redis.from_url(redis_sessions.url)
    assert any(b"django.contrib.sessions" in key for key in keys.keys("*"))
    # Redis restarted with an empty memory (web processes restart the same way: nothing
    # of a session is kept in a process).
    redis_sessions.stop()
    redis_sessions.start()
    response = client.get("/admin/")
    assert response.status_code == 200
    assert 'id="user-tools"' in response.text  # signed in, not the sign-in form
    assert 'name="password"' not in response.text


def test_signing_out_ends_the_session_in_redis_and_the_database(
    client, journalist, redis_sessions
):
    sign_in(client, journalist)
    client.post("/admin/logout/")
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_redis_url_turns_on_cached_db_sessions_and_nothing_else_does():
    show = "from django.conf import settings; print(settings.SESSION_ENGINE)"
    on = run_django("shell", "-c", show, DEBUG="1", REDIS_URL="redis://127.0.0.1:6399/0")
    assert on.stdout.splitlines()[-1] == "django.contrib.sessions.backends.cached_db", on.stderr
    off = run_django("shell", "-c", show, DEBUG="1")
    assert off.stdout.splitlines()[-1] == "django.contrib.sessions.backends.db"
