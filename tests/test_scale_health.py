"""/healthz and /readyz: what a load balancer sees, each dependency with its state."""

import json

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import load_backend
from django.test import Client

from newsroom import routers
from tests.redis_server import redis_cache, redis_server  # noqa: F401 (fixtures)


def test_healthz_answers_without_touching_the_database(client):
    # No django_db mark: any query here would fail the test.
    response = client.get("/healthz", HTTP_HOST="10.20.30.40")  # a balancer probes by IP
    assert response.status_code == 200
    assert response.json() == {"status": "alive"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_lists_each_dependency_with_its_state(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/readyz", HTTP_HOST="10.20.30.40")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert {name: check["state"] for name, check in body["checks"].items()} == {
        "database": "up",
        "cache": "up",
        "storage": "up",
    }
    assert body["checks"]["database"]["required"] is True
    assert body["checks"]["cache"]["required"] is False
    assert "max-age=0" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_reaches_the_task_queue_when_tasks_are_queued(client, settings):
    settings.NEWSROOM_TASKS_BACKEND = "database"
    response = client.get("/readyz")
    assert response.status_code == 200
    queue = response.json()["checks"]["queue"]
    assert queue["state"] == "up"
    assert queue["required"] is True


@pytest.mark.django_db
def test_readyz_is_503_when_photo_storage_cannot_be_written(client, settings, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    settings.PHOTO_ORIGINALS_ROOT = blocker / "originals"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "not ready"
    assert response.json()["checks"]["storage"]["state"] == "down"


@pytest.mark.django_db
def test_readyz_reports_a_replica_down_without_its_address_or_password(client, settings):
    password = "replica-password-never-shown"
    settings_dict = {**connections[DEFAULT_DB_ALIAS].settings_dict}
    if connections[DEFAULT_DB_ALIAS].vendor == "postgresql":
        settings_dict.update(HOST="127.0.0.1", PORT="9", PASSWORD=password)
    else:
        settings_dict.update(NAME=f"/nonexistent-{password}/db.sqlite3")
    connections["replica_x"] = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(
        settings_dict, "replica_x"
    )
    settings.DATABASE_REPLICAS = ["replica_x"]
    routers.health.reset()
    try:
        response = client.get("/readyz")
    finally:
        connections["replica_x"].close()
        del connections["replica_x"]
        routers.health.reset()
    # Not required: without replicas, readers are served from the primary.
    assert response.status_code == 200
    assert response.json()["checks"]["replica_x"]["state"] == "down"
    assert password not in response.text
    assert "127.0.0.1" not in response.text


@pytest.mark.django_db
def test_readyz_with_redis_up_and_then_down(client, redis_cache):  # noqa: F811
    assert client.get("/readyz").json()["checks"]["cache"]["state"] == "up"
    redis_cache.stop()
    response = client.get("/readyz")
    # Pages still serve without the cache, so the site stays in the balancer's pool.
    assert response.status_code == 200
    cache = response.json()["checks"]["cache"]
    assert cache["state"] == "down"
    assert redis_cache.url not in json.dumps(cache)


def test_healthz_refuses_nothing_but_shows_nothing_either(client):
    """Anyone may probe; the answer names no version, host or setting."""
    response = client.get("/healthz", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert response.status_code == 200
    assert set(response.json()) == {"status"}


@pytest.fixture
def failing_site(settings):
    settings.ROOT_URLCONF = "tests.scale_urls"
    return Client(raise_request_exception=False)  # as a real server answers


def test_a_database_that_stops_answering_is_a_clear_503(failing_site):
    response = failing_site.get("/test-database-gone")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-cache" in response["Cache-Control"]
    assert "nothing you sent was saved" in response.text
    assert "server closed the connection" not in response.text


def test_any_other_failure_is_still_an_ordinary_500(failing_site):
    response = failing_site.get("/test-plain-bug")
    assert response.status_code == 500
    assert "Back in a moment" not in response.text
