"""Cached pages change within a second of a publish, unpublish or correction: in Django's
page cache on files (the default) and on a real Redis, and through a real Varnish in front of
the site.

The changes are committed for real (transactional tests), as on the desk: the purge runs
when the transaction commits.
"""

import time
import urllib.error
import urllib.request

import pytest
from django.core.cache import caches
from django.test import Client

from articles.desk.workflow import article_add_correction, article_publish, article_unpublish
from articles.public import cache
from tests.cache_servers import redis_server, varnish
from tests.conftest import staff_member
from tests.factories import ArticleFactory, SectionFactory

SECOND = 1.0


def within(seconds, fetch, expected):
    """Fetch until `expected(response)` holds; fail if it takes longer than `seconds`."""
    started = time.monotonic()
    while True:
        response = fetch()
        if expected(response):
            return time.monotonic() - started
        assert time.monotonic() - started < seconds, "the cached page did not change in time"
        time.sleep(0.05)


def cached(reader, url):
    """Fetch until the page comes from the cache (a page rendered just after a purge is
    not kept: see CLOCK_SKEW_SECONDS; this machine may be slow)."""
    within(10, lambda: reader.get(url), lambda r: r["X-Page-Cache"] == "hit")
    return reader.get(url)


@pytest.fixture(params=["files", "redis"])
def page_cache_backend(request, settings, tmp_path):
    settings.NEWSROOM_PAGE_CACHE = True
    if request.param == "redis":
        with redis_server(tmp_path) as url:
            settings.CACHES = {
                **settings.CACHES,
                cache.PAGES: {
                    "BACKEND": "newsroom.cache.FailOpenRedisCache",
                    "LOCATION": url,
                    "KEY_PREFIX": "pages",
                },
            }
            yield request.param
        return
    caches[cache.PAGES].clear()
    yield request.param
    caches[cache.PAGES].clear()


@pytest.fixture
def desk(transactional_db):
    section = SectionFactory(name="Politics", slug="politics")
    return {
        "section": section,
        "editor": staff_member("edward", "Editors"),
        "live": ArticleFactory(section=section, headline="Coalition talks resume"),
        "draft": ArticleFactory(section=section, headline="Senate passes the budget", draft=True),
    }


def test_a_cached_page_changes_within_a_second(page_cache_backend, desk):
    reader = Client()
    live, draft, editor = desk["live"], desk["draft"], desk["editor"]
    warm = cached(reader, "/politics/")
    assert "Senate passes the budget" not in warm.content.decode()

    article_publish(article=draft, user=editor)
    within(SECOND, lambda: reader.get("/politics/"), lambda r: b"Senate passes" in r.content)

    cached(reader, live.get_absolute_url())
    article_add_correction(article=live, user=editor, text="Talks resume on Monday.")
    within(
        SECOND,
        lambda: reader.get(live.get_absolute_url()),
        lambda r: b"Talks resume on Monday." in r.content,
    )

    article_unpublish(article=live, user=editor)
    within(SECOND, lambda: reader.get(live.get_absolute_url()), lambda r: r.status_code == 410)
    assert b"Coalition talks resume" not in reader.get("/politics/").content


def test_the_redis_page_cache_is_shared(settings, tmp_path, desk):
    """What one worker kept, another serves: the point of Redis over one machine's files."""
    settings.NEWSROOM_PAGE_CACHE = True
    with redis_server(tmp_path) as url:
        settings.CACHES = {
            **settings.CACHES,
            cache.PAGES: {"BACKEND": "newsroom.cache.FailOpenRedisCache", "LOCATION": url},
        }
        Client().get("/politics/")
        assert caches[cache.PAGES]._cache.get_client().dbsize() > 0


# Varnish in front of the live test server.


def through(front, path, cookie=None, method="GET"):
    request = urllib.request.Request(front + path, method=method)  # noqa: S310 (loopback)
    if cookie:
        request.add_header("Cookie", cookie)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


@pytest.fixture
def front_cache(live_server, settings, tmp_path):
    port = int(live_server.url.rsplit(":", 1)[1])
    settings.NEWSROOM_PAGE_CACHE = True
    caches[cache.PAGES].clear()
    with varnish(tmp_path, port) as url:
        settings.FRONT_CACHE_URLS = [url]
        yield url


def test_varnish_shows_a_publish_within_a_second_and_never_a_stale_unpublished_article(
    front_cache, desk
):
    live, draft, editor = desk["live"], desk["draft"], desk["editor"]
    through(front_cache, "/politics/")
    status, headers, body = through(front_cache, "/politics/")
    assert headers["X-Front-Cache"] == "hit"
    assert "xkey" not in {name.lower() for name in headers}
    assert "Senate passes the budget" not in body

    article_publish(article=draft, user=editor)
    within(
        SECOND,
        lambda: through(front_cache, "/politics/"),
        lambda answer: "Senate passes the budget" in answer[2],
    )

    through(front_cache, live.get_absolute_url())
    assert through(front_cache, live.get_absolute_url())[1]["X-Front-Cache"] == "hit"
    article_unpublish(article=live, user=editor)
    # The purge is sent when the unpublish commits: the very next reader gets 410.
    status, headers, body = through(front_cache, live.get_absolute_url())
    assert status == 410
    assert "Coalition talks resume" not in through(front_cache, "/politics/")[2]


def test_varnish_never_caches_for_a_session(front_cache, desk):
    through(front_cache, "/politics/")
    status, headers, _ = through(front_cache, "/politics/", cookie="sessionid=abc")
    assert status == 200
    assert headers["X-Front-Cache"] == "miss"
    assert "no-store" in headers["Cache-Control"]


def test_varnish_purges_one_address(front_cache, desk):
    live = desk["live"]
    through(front_cache, live.get_absolute_url())
    status, _, _ = through(front_cache, live.get_absolute_url(), method="PURGE")
    assert status == 200
    assert through(front_cache, live.get_absolute_url())[1]["X-Front-Cache"] == "miss"
