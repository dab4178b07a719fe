"""Read replicas: readers read from a healthy replica; staff, writes and the admin never do.

The "replica" here is a second connection alias to the test database (a real replication
pair runs in `make stack-test`), so every query is counted on the alias it really ran on.
A replica that is down is an alias whose server cannot be reached.
"""

import logging
import time

import pytest
from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.utils import load_backend
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from newsroom import routers
from tests.factories import ArticleFactory
from tests.test_settings import run_django

ALIAS = "replica_test"


def add_replica(settings, **overrides):
    # A connection made here, not listed in DATABASES: Django's test case lets it connect.
    settings_dict = {**connections[DEFAULT_DB_ALIAS].settings_dict, **overrides}
    connections[ALIAS] = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(
        settings_dict, ALIAS
    )
    settings.DATABASE_REPLICAS = [ALIAS]
    settings.DATABASE_ROUTERS = ["newsroom.routers.ReplicaRouter"]
    routers.health.reset()


def remove_replica():
    connections[ALIAS].close()
    del connections[ALIAS]
    routers.health.reset()


def unreachable():
    """Settings for a replica whose server does not answer."""
    if connections[DEFAULT_DB_ALIAS].vendor == "postgresql":
        return {"HOST": "127.0.0.1", "PORT": "9", "OPTIONS": {"connect_timeout": 1}}
    return {"NAME": "/nonexistent-newsroom-replica/db.sqlite3"}


@pytest.fixture
def replica(settings, transactional_db):
    add_replica(settings)
    yield ALIAS
    remove_replica()


@pytest.fixture
def article(replica, politics):
    return ArticleFactory(section=politics, headline="Turnout hits a record")


def queries_on_each(client, url):
    with (
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as primary,
        CaptureQueriesContext(connections[ALIAS]) as on_replica,
    ):
        response = client.get(url)
    return response, len(primary), len(on_replica)


def test_a_readers_article_page_is_read_from_the_replica(client, article):
    response, primary, on_replica = queries_on_each(client, article.get_absolute_url())
    assert response.status_code == 200
    assert "Turnout hits a record" in response.text
    assert on_replica > 0
    assert primary == 0


def test_a_readers_front_page_is_read_from_the_replica(client, article):
    response, primary, on_replica = queries_on_each(client, "/")
    assert "Turnout hits a record" in response.text
    assert (primary, on_replica > 0) == (0, True)


def test_a_signed_in_journalist_reads_everything_from_the_primary(journalist_client, article):
    for url in (article.get_absolute_url(), "/", "/admin/articles/article/"):
        response, primary, on_replica = queries_on_each(journalist_client, url)
        assert response.status_code == 200, url
        assert on_replica == 0, url
        assert primary > 0, url


def test_staff_read_their_own_edit_at_once(journalist_client, article):
    """Sticky: after a write, the signed-in person's next page comes from the primary."""
    Article.objects.filter(pk=article.pk).update(headline="Turnout: final figures")
    response, _, on_replica = queries_on_each(journalist_client, article.get_absolute_url())
    assert "Turnout: final figures" in response.text
    assert on_replica == 0


def test_the_sign_in_page_is_read_from_the_primary(client, article):
    response, _, on_replica = queries_on_each(client, "/admin/login/")
    assert response.status_code == 200
    assert on_replica == 0


def test_writes_go_to_the_primary_even_inside_a_readers_request(replica):
    token = routers.replica_reads_allowed.set(True)
    try:
        assert router.db_for_read(Article) == ALIAS
        assert router.db_for_write(Article) == DEFAULT_DB_ALIAS
    finally:
        routers.replica_reads_allowed.reset(token)


def test_commands_and_workers_read_from_the_primary(replica):
    # Outside a reader's request (management commands, task workers) nothing is marked.
    assert router.db_for_read(Article) == DEFAULT_DB_ALIAS


def test_migrations_run_on_the_primary_only(replica):
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "articles", model_name="article")
    assert not router.allow_migrate(ALIAS, "articles", model_name="article")


def test_a_replica_that_is_down_is_skipped_and_readers_still_get_pages(
    settings, client, politics, caplog
):
    add_replica(settings, **unreachable())
    try:
        ArticleFactory(section=politics, headline="Polls close at nine")
        with caplog.at_level(logging.WARNING, logger="newsroom.routers"):
            for _ in range(3):
                response = client.get("/")
                assert response.status_code == 200
                assert "Polls close at nine" in response.text
        # Probed once, not on every query or request, while within the check interval.
        unreachable_logs = [r for r in caplog.records if "unreachable" in r.getMessage()]
        assert len(unreachable_logs) == 1
        assert routers.health.state(ALIAS)["healthy"] is False
    finally:
        remove_replica()


def test_a_replica_lagging_past_the_limit_is_skipped(settings, client, article, monkeypatch):
    settings.DATABASE_REPLICA_MAX_LAG = 30
    # The lag query needs real streaming replication (see make stack-test); here only the
    # measurement is replaced, the decision is the router's own.
    monkeypatch.setattr(routers, "replica_lag_seconds", lambda connection: 95.0)
    response, primary, on_replica = queries_on_each(client, article.get_absolute_url())
    assert "Turnout hits a record" in response.text
    assert (on_replica, primary > 0) == (0, True)


def test_a_replica_back_in_step_is_used_again(settings, client, article, monkeypatch):
    settings.DATABASE_REPLICA_CHECK_SECONDS = 0
    monkeypatch.setattr(routers, "replica_lag_seconds", lambda connection: 95.0)
    assert queries_on_each(client, "/")[2] == 0
    monkeypatch.setattr(routers, "replica_lag_seconds", lambda connection: 2.0)
    assert queries_on_each(client, "/")[2] > 0


def test_replica_urls_turn_the_router_on_and_nothing_else_does():
    show = (
        "from django.conf import settings; "
        "print(sorted(settings.DATABASES), getattr(settings, 'DATABASE_ROUTERS', []))"
    )
    on = run_django(
        "shell",
        "-c",
        show,
        DEBUG="1",
        DATABASE_REPLICA_URLS="postgres://r@10.0.0.2:5432/news, postgres://r@10.0.0.3/news",
    )
    assert on.returncode == 0, on.stderr
    assert "['default', 'replica_0', 'replica_1'] ['newsroom.routers.ReplicaRouter']" in on.stdout
    off = run_django("shell", "-c", show, DEBUG="1")
    assert "['default'] []" in off.stdout


def test_a_replica_dying_between_probes_gives_a_clear_503_then_pages_again(settings, politics):
    client = Client(raise_request_exception=False)  # as a real server answers
    add_replica(settings, **unreachable())
    try:
        ArticleFactory(section=politics, headline="Count continues overnight")
        # The last probe (a moment ago) found it well; it died since.
        routers.health._states[ALIAS] = {
            "checked_at": time.monotonic(),
            "healthy": True,
            "lag": 0.0,
            "error": "",
        }
        response = client.get("/")
        assert response.status_code == 503
        assert response["Retry-After"] == "30"
        assert "database is not answering" in response.text
        assert "nothing you sent was saved" in response.text
        # The failure makes the next request probe again: it is served from the primary.
        response = client.get("/")
        assert response.status_code == 200
        assert "Count continues overnight" in response.text
    finally:
        remove_replica()
