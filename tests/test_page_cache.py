"""Readers' pages are cached and revalidated; every change a reader could see purges them.

Each purge test first loads the pages so they are cached, then makes the change the way the
desk does, and asserts what the next reader gets. A change made behind the desk's back (a
raw `update()`, which purges nothing) shows that a page really came from the cache.
"""

import pickle
import re
import time
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache import caches
from django.test import Client
from django.utils import timezone
from taggit.models import Tag

from articles.desk.workflow import (
    article_add_correction,
    article_publish,
    article_restore,
    article_trash,
    article_unpublish,
)
from articles.fronts.services import add_to_front, arrange, publish_front, take_down_banner
from articles.live.services import post_entry
from articles.models import Article, ArticleStatus, BreakingNews, Front, Photo
from articles.photos.changes import photo_change
from articles.public import cache, keyset, seo
from articles.public.sitemaps import ArticleSitemap
from tests.cache_servers import redis_server
from tests.factories import (
    ArticleFactory,
    PhotoFactory,
    SourceFactory,
    UserFactory,
    live_blog,
    published_front,
)
from tests.test_no_leak import PUBLIC_SURFACES, SECRET
from tests.test_settings import STRONG_KEY, run_django

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache(settings):
    """The page cache as in production: on, and empty (the site's chrome kept too)."""
    settings.NEWSROOM_PAGE_CACHE = True
    settings.NEWSROOM_SITE_CACHE = True
    caches[cache.PAGES].clear()
    yield
    caches[cache.PAGES].clear()


@pytest.fixture
def reader():
    return Client()


@pytest.fixture
def story(politics):
    article = ArticleFactory(
        section=politics,
        headline="Budget vote delayed",
        photo=PhotoFactory(caption="The old caption"),
    )
    article.tags.add("Budget")
    article.authors.add(UserFactory(username="anna", first_name="Anna", last_name="Nowak"))
    return article


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def shows(client, url, article):
    """The page names the article, by headline or (sitemaps) by address."""
    content = page(client, url)
    return article.headline in content or article.get_absolute_url() in content


def rename_behind_the_desks_back(article, headline):
    """A raw update sends no signal: only a page rendered afresh could show it."""
    Article.objects.filter(pk=article.pk).update(headline=headline)


# Headers and conditional requests.


def test_reader_page_carries_shared_cache_headers(page_cache, reader, story):
    response = reader.get(story.get_absolute_url())
    control = response["Cache-Control"]
    assert "public" in control
    assert "s-maxage=300" in control
    assert "stale-while-revalidate=30" in control
    assert "max-age=0" in control
    assert response["ETag"].startswith('"')  # strong: no W/
    assert response["Last-Modified"]
    # One shared copy for every reader: nothing on it depends on a cookie.
    assert "Cookie" not in response.get("Vary", "")
    keys = response["xkey"].split()
    assert response["Surrogate-Key"] == response["xkey"]
    assert f"article-{story.pk}" in keys
    assert f"section-{story.section_id}" in keys
    assert not response.cookies


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/politics/",
        "/tags/budget/",
        "/authors/anna-nowak/",
        "/feeds/rss/",
        "/feeds/sections/politics/atom/",
        "/sitemap.xml",
        "/sitemap-articles.xml",
        "/sitemap-news.xml",
        "/api/articles/",
    ],
)
def test_every_reader_page_type_answers_conditional_requests(page_cache, reader, story, url):
    first = reader.get(url)
    assert first.status_code == 200
    assert "public" in first["Cache-Control"]
    by_etag = reader.get(url, headers={"if-none-match": first["ETag"]})
    assert by_etag.status_code == 304
    assert by_etag.content == b""
    by_date = reader.get(url, headers={"if-modified-since": first["Last-Modified"]})
    assert by_date.status_code == 304


def test_a_changed_page_answers_the_old_etag_in_full(
    page_cache, reader, story, editor, django_capture_on_commit_callbacks
):
    first = reader.get(story.get_absolute_url())
    committed(
        django_capture_on_commit_callbacks,
        lambda: article_add_correction(
            article=story, user=editor, text="The vote is on Friday, not Thursday."
        ),
    )
    again = reader.get(story.get_absolute_url(), headers={"if-none-match": first["ETag"]})
    assert again.status_code == 200
    assert "not Thursday" in again.content.decode()


def test_conditional_requests_work_with_the_cache_off_too(reader, story):
    first = reader.get(story.get_absolute_url())
    assert "no-cache" in first["Cache-Control"]
    assert (
        reader.get(story.get_absolute_url(), headers={"if-none-match": first["ETag"]}).status_code
        == 304
    )


def test_second_reader_gets_the_cached_page(page_cache, reader, story):
    assert "Budget vote delayed" in page(reader, story.get_absolute_url())
    rename_behind_the_desks_back(story, "Rewritten without a purge")
    response = Client().get(story.get_absolute_url())
    assert "Budget vote delayed" in response.content.decode()
    assert response["X-Page-Cache"] == "hit"


def test_pages_are_rendered_fresh_when_the_cache_is_off(reader, story):
    page(reader, story.get_absolute_url())
    rename_behind_the_desks_back(story, "Rewritten without a purge")
    assert "Rewritten without a purge" in page(reader, story.get_absolute_url())


def test_staff_never_get_a_cached_page(page_cache, reader, story, editor_client):
    page(reader, story.get_absolute_url())
    page(reader, "/politics/")
    rename_behind_the_desks_back(story, "What the desk sees now")
    response = editor_client.get(story.get_absolute_url())
    assert "<h1>What the desk sees now</h1>" in article_of(response.content.decode())
    assert "What the desk sees now</a>" in editor_client.get("/politics/").content.decode()
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]
    assert "xkey" not in response
    # ...and the staff view was not kept for readers.
    assert "Budget vote delayed" in page(reader, story.get_absolute_url())


def test_a_staff_page_view_is_never_kept_for_readers(page_cache, reader, story, editor_client):
    editor_client.get(story.get_absolute_url())
    rename_behind_the_desks_back(story, "Rendered for the reader")
    assert "Rendered for the reader" in page(reader, story.get_absolute_url())


def test_a_visitor_with_a_session_is_not_served_the_shared_copy(page_cache, reader, story):
    page(reader, story.get_absolute_url())
    rename_behind_the_desks_back(story, "Fresh for the session")
    visitor = Client()
    visitor.cookies["sessionid"] = "anything"
    response = visitor.get(story.get_absolute_url())
    assert "Fresh for the session" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_unknown_query_parameters_are_not_kept(page_cache, reader, story):
    page(reader, "/politics/?utm_source=x")
    # A page read behind a tracking tag is rendered again (its cards may be kept).
    again = reader.get("/politics/?utm_source=x")
    assert again["X-Page-Cache"] == "miss"
    assert "Budget vote delayed" in again.content.decode()
    assert reader.get("/politics/")["X-Page-Cache"] == "miss"


def test_older_stories_pages_are_kept_and_purged_like_first_pages(
    page_cache, reader, story, politics, editor, django_capture_on_commit_callbacks
):
    older = ArticleFactory(
        section=politics,
        headline="An older budget story",
        publish_at=story.publish_at - timedelta(days=1),
    )
    url = f"/politics/?{keyset.link('before', story)}"
    assert "An older budget story" in page(reader, url)
    rename_behind_the_desks_back(older, "Renamed behind the desk")
    assert "An older budget story" in page(reader, url)

    with django_capture_on_commit_callbacks(execute=True):
        article_unpublish(article=older, user=editor, note="Withdrawn")

    assert "Renamed behind the desk" not in page(reader, url)


def test_search_is_not_cached(page_cache, reader, story):
    response = reader.get("/search/", {"q": "budget"})
    assert "xkey" not in response
    assert "public" not in response.get("Cache-Control", "")


def test_admin_pages_are_not_cached(page_cache, editor_client):
    response = editor_client.get("/admin/")
    assert "xkey" not in response
    assert "private" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


# Purges: the page a reader gets changes with every kind of change.


def committed(django_capture_on_commit_callbacks, change):
    """Make a change and run what waits for its commit (the purge), as the desk would."""
    with django_capture_on_commit_callbacks(execute=True):
        return change()


LISTINGS = [
    "/",
    "/politics/",
    "/tags/budget/",
    "/authors/anna-nowak/",
    "/feeds/rss/",
    "/feeds/sections/politics/rss/",
    "/sitemap-articles.xml",
    "/sitemap-news.xml",
    "/api/articles/",
]


def tagged_draft(politics):
    draft = ArticleFactory(section=politics, headline="Senate passes the budget", draft=True)
    draft.tags.add("Budget")
    draft.authors.add(UserFactory(username="anna"))
    return draft


def scheduled_draft(django_capture_on_commit_callbacks, politics, editor, go_live):
    """A tagged draft, approved to go live at `go_live`, as the desk schedules it."""
    draft = tagged_draft(politics)
    committed(
        django_capture_on_commit_callbacks,
        lambda: article_publish(article=draft, user=editor, at=go_live),
    )
    return draft


def test_publishing_reaches_every_listing(
    page_cache, reader, story, politics, editor, django_capture_on_commit_callbacks
):
    draft = tagged_draft(politics)
    for url in LISTINGS:
        assert not shows(reader, url, draft)
    committed(
        django_capture_on_commit_callbacks,
        lambda: article_publish(article=draft, user=editor),
    )
    for url in LISTINGS:
        assert shows(reader, url, draft), url
    # The other article's "More in" and "Related" blocks show it too.
    assert "Senate passes the budget" in page(reader, story.get_absolute_url())


def test_unpublishing_removes_the_article_everywhere(
    page_cache, reader, story, editor, django_capture_on_commit_callbacks
):
    other = ArticleFactory(section=story.section, headline="Opposition walks out")
    for url in [*LISTINGS, story.get_absolute_url(), other.get_absolute_url()]:
        assert shows(reader, url, story), url
    committed(
        django_capture_on_commit_callbacks,
        lambda: article_unpublish(article=story, user=editor),
    )
    for url in [*LISTINGS[:2], *LISTINGS[4:], other.get_absolute_url()]:
        assert not shows(reader, url, story), url
    # Its tag and author have nothing else published: their pages are gone.
    assert reader.get("/tags/budget/").status_code == 404
    assert reader.get(story.get_absolute_url()).status_code == 410


def test_trash_and_restore_purge(
    page_cache, reader, story, editor, django_capture_on_commit_callbacks
):
    assert "Budget vote delayed" in page(reader, "/politics/")
    committed(
        django_capture_on_commit_callbacks, lambda: article_trash(article=story, user=editor)
    )
    assert "Budget vote delayed" not in page(reader, "/politics/")
    assert reader.get(story.get_absolute_url()).status_code == 410
    story.refresh_from_db()
    committed(
        django_capture_on_commit_callbacks, lambda: article_restore(article=story, user=editor)
    )
    assert "Budget vote delayed" in page(reader, "/politics/")
    assert reader.get(story.get_absolute_url()).status_code == 200


def test_a_correction_shows_at_once(
    page_cache, reader, story, editor, django_capture_on_commit_callbacks
):
    assert "Corrections" not in page(reader, story.get_absolute_url())
    committed(
        django_capture_on_commit_callbacks,
        lambda: article_add_correction(
            article=story, user=editor, text="The vote is on Friday, not Thursday."
        ),
    )
    assert "not Thursday" in page(reader, story.get_absolute_url())


def test_a_photo_caption_change_reaches_the_article_and_its_cards(
    page_cache, reader, story, editor, django_capture_on_commit_callbacks
):
    assert "The old caption" in page(reader, story.get_absolute_url())
    page(reader, "/api/articles/")
    committed(
        django_capture_on_commit_callbacks,
        lambda: photo_change(
            photo=story.photo,
            user=editor,
            values={"caption": "The new caption", "credit": "Reuters/New Credit"},
        ),
    )
    article_page = page(reader, story.get_absolute_url())
    assert "The new caption" in article_page
    assert "Reuters/New Credit" in article_page
    assert "Reuters/New Credit" in page(reader, "/api/articles/")


def test_publishing_a_front_arrangement_purges_the_front(
    page_cache, reader, story, politics, editor, django_capture_on_commit_callbacks
):
    second = ArticleFactory(section=politics, headline="Opposition walks out")
    published_front([story])
    assert "Override: walkout" not in page(reader, "/")
    front = Front.objects.get(section=None)

    def rearrange():
        slot = add_to_front(front=front, article=second, user=editor)
        draft = slot.revision
        rows = [(slot, {"headline": "Override: walkout"})]
        rows += [(other, {}) for other in draft.slots.exclude(pk=slot.pk)]
        arrange(front=front, user=editor, rows=rows)
        publish_front(front=front, user=editor)

    committed(django_capture_on_commit_callbacks, rearrange)
    assert "Override: walkout" in page(reader, "/")


def test_a_breaking_news_banner_reaches_every_page_and_leaves_it(
    page_cache, reader, story, editor, django_capture_on_commit_callbacks
):
    urls = ["/", "/politics/", story.get_absolute_url(), "/tags/budget/"]
    for url in urls:
        assert "Breaking news:" not in page(reader, url)
    now = timezone.now()
    banner = committed(
        django_capture_on_commit_callbacks,
        lambda: BreakingNews.objects.create(
            text="Parliament dissolved", link="/politics/", expires_at=now + timedelta(hours=1)
        ),
    )
    for url in urls:
        assert "Parliament dissolved" in page(reader, url), url
    committed(
        django_capture_on_commit_callbacks,
        lambda: take_down_banner(banner=banner, user=editor),
    )
    for url in urls:
        assert "Parliament dissolved" not in page(reader, url), url


def test_a_live_entry_reaches_the_live_page(
    page_cache, reader, politics, editor, django_capture_on_commit_callbacks
):
    blog = live_blog(section=politics, headline="Budget night, live")
    assert "The speaker calls the vote" not in page(reader, blog.get_absolute_url())
    committed(
        django_capture_on_commit_callbacks,
        lambda: post_entry(article=blog, user=editor, body="<p>The speaker calls the vote.</p>"),
    )
    assert "The speaker calls the vote" in page(reader, blog.get_absolute_url())
    assert "The speaker calls the vote" in page(reader, "/api/articles/")


def test_renaming_a_tag_reaches_its_articles(
    page_cache, reader, story, django_capture_on_commit_callbacks
):
    assert "Budget" in page(reader, story.get_absolute_url())
    tag = Tag.objects.get(name="Budget")

    def rename():
        tag.name = "State budget"
        tag.save()

    committed(django_capture_on_commit_callbacks, rename)
    assert "State budget" in page(reader, story.get_absolute_url())
    assert "State budget" in page(reader, f"/tags/{tag.slug}/")


def test_a_renamed_source_reaches_the_sources_line(
    page_cache, reader, story, django_capture_on_commit_callbacks
):
    pap = SourceFactory(name="PAP")
    committed(
        django_capture_on_commit_callbacks,
        lambda: story.source_links.create(source=pap, position=0),
    )
    assert "Source: PAP" in page(reader, story.get_absolute_url())
    api = f"/api/articles/{story.pk}/"
    assert '"PAP"' in page(reader, api)

    def rename():
        pap.name = "Polska Agencja Prasowa"
        pap.url = "https://www.pap.pl/"
        pap.save()

    committed(django_capture_on_commit_callbacks, rename)
    html = page(reader, story.get_absolute_url())
    assert (
        '<a href="https://www.pap.pl/" rel="nofollow noopener">Polska Agencja Prasowa</a>' in html
    )
    assert "Polska Agencja Prasowa" in page(reader, api)


def test_a_renamed_photo_provider_reaches_the_articles_image_credit(
    page_cache, reader, politics, django_capture_on_commit_callbacks
):
    epa = SourceFactory(name="EPA")
    article = ArticleFactory(section=politics, photo=PhotoFactory(creator="", provider=epa))
    credit = '"creator": {{"@type": "Organization", "name": "{}"}}'
    assert credit.format("EPA") in page(reader, article.get_absolute_url())

    def rename():
        epa.name = "European Pressphoto Agency"
        epa.save()

    committed(django_capture_on_commit_callbacks, rename)
    assert credit.format("European Pressphoto Agency") in page(reader, article.get_absolute_url())


def test_a_source_taken_off_an_article_leaves_its_page(
    page_cache, reader, story, django_capture_on_commit_callbacks
):
    link = committed(
        django_capture_on_commit_callbacks,
        lambda: story.source_links.create(source=SourceFactory(name="Reuters"), position=0),
    )
    assert "Source: Reuters" in page(reader, story.get_absolute_url())
    committed(django_capture_on_commit_callbacks, link.delete)
    assert "Source: Reuters" not in page(reader, story.get_absolute_url())


def test_an_authors_new_name_reaches_their_pages(
    page_cache, reader, story, django_capture_on_commit_callbacks
):
    anna = story.authors.get()
    # No printed byline: the article credits its author by her name.
    Article.objects.filter(pk=story.pk).update(byline="")
    assert "<h1>Anna Nowak</h1>" in page(reader, "/authors/anna-nowak/")
    assert 'By <a href="/authors/anna-nowak/">Anna Nowak</a>' in page(
        reader, story.get_absolute_url()
    )

    def rename():
        anna.first_name = "Joanna"
        anna.save()

    committed(django_capture_on_commit_callbacks, rename)
    # Her page keeps its address: she has published.
    assert "<h1>Joanna Nowak</h1>" in page(reader, "/authors/anna-nowak/")
    assert 'By <a href="/authors/anna-nowak/">Joanna Nowak</a>' in page(
        reader, story.get_absolute_url()
    )


def test_signing_in_purges_nothing(
    page_cache, reader, story, editor, django_capture_on_commit_callbacks
):
    page(reader, "/authors/anna-nowak/")
    anna = story.authors.get()
    rename_behind_the_desks_back(story, "Not seen: nothing was purged")
    committed(
        django_capture_on_commit_callbacks,
        lambda: anna.save(update_fields=["last_login"]),
    )
    assert reader.get("/authors/anna-nowak/")["X-Page-Cache"] == "hit"


def test_saving_a_draft_purges_nothing_readers_see(
    page_cache, reader, story, politics, django_capture_on_commit_callbacks
):
    page(reader, "/politics/")
    rename_behind_the_desks_back(story, "Not purged by a draft")
    committed(
        django_capture_on_commit_callbacks,
        lambda: ArticleFactory(section=politics, headline="Just a draft", draft=True),
    )
    assert "Budget vote delayed" in page(reader, "/politics/")


# Scheduled publication: nothing is saved at go-live, the page's lifetime knows.


def test_a_scheduled_article_goes_live_by_itself(
    page_cache, reader, story, politics, editor, django_capture_on_commit_callbacks
):
    go_live = timezone.now() + timedelta(seconds=90)
    scheduled_draft(django_capture_on_commit_callbacks, politics, editor, go_live)
    response = reader.get("/politics/")
    assert "Senate passes the budget" not in response.content.decode()
    assert "s-maxage=300" not in response["Cache-Control"]
    assert "stale-while-revalidate=0" in response["Cache-Control"]
    with time_machine.travel(go_live + timedelta(seconds=1)):
        for url in ["/politics/", "/", "/feeds/rss/", "/tags/budget/"]:
            assert "Senate passes the budget" in page(reader, url), url


def test_a_page_lifetime_is_capped_by_the_next_go_live(page_cache, reader, story, politics):
    ArticleFactory(
        section=politics, headline="Later", publish_at=timezone.now() + timedelta(seconds=60)
    )
    response = reader.get("/politics/")
    s_maxage = int(response["Cache-Control"].split("s-maxage=")[1].split(",")[0])
    assert 55 <= s_maxage <= 60


# Fail open.


def test_pages_still_serve_when_redis_is_down(settings, reader, story, caplog):
    settings.NEWSROOM_PAGE_CACHE = True
    settings.CACHES = {
        **settings.CACHES,
        cache.PAGES: {
            "BACKEND": "newsroom.cache.FailOpenRedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # the discard port: nothing answers there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        },
    }
    response = reader.get(story.get_absolute_url())
    assert response.status_code == 200
    assert "Budget vote delayed" in response.content.decode()
    assert "Redis cache unavailable" in caplog.text
    with caplog.at_level("WARNING"):
        cache.purge_keys({cache.article_key(story.pk)})  # nothing raised: the desk goes on


def test_an_unpublished_article_is_never_served_from_a_stale_copy(
    page_cache, reader, story, editor, django_capture_on_commit_callbacks
):
    assert reader.get(story.get_absolute_url()).status_code == 200
    committed(
        django_capture_on_commit_callbacks,
        lambda: article_unpublish(article=story, user=editor),
    )
    assert Article.objects.get(pk=story.pk).status == ArticleStatus.UNPUBLISHED
    response = reader.get(story.get_absolute_url())
    assert response.status_code == 410
    assert "Budget vote delayed" not in response.content.decode()


# The shared no-leak surfaces, cached while the article was live, then after it is hidden.

HIDING = {
    "unpublished": lambda article, editor: article_unpublish(article=article, user=editor),
    "put in the trash": lambda article, editor: article_trash(article=article, user=editor),
}


@pytest.mark.parametrize("hiding", list(HIDING))
@pytest.mark.parametrize("surface", list(PUBLIC_SURFACES))
def test_a_hidden_article_never_reaches_a_reader_through_a_cached_page(
    page_cache, reader, politics, editor, surface, hiding, django_capture_on_commit_callbacks
):
    hidden = ArticleFactory(section=politics, headline=SECRET)
    published = ArticleFactory(section=politics, headline="Budget committee meets")
    url = PUBLIC_SURFACES[surface](hidden, published)
    reader.get(url)
    assert reader.get(url).status_code == 200
    committed(django_capture_on_commit_callbacks, lambda: HIDING[hiding](hidden, editor))
    content = page(reader, url)
    assert SECRET not in content
    assert hidden.get_absolute_url() not in content


# A cached page costs no query; hostile input is never kept for others.


@pytest.mark.parametrize("url", ["/", "/politics/", "/tags/budget/", "/feeds/rss/"])
def test_a_cached_page_costs_no_database_query(
    page_cache, reader, story, url, django_assert_num_queries
):
    reader.get(url)
    with django_assert_num_queries(0):
        response = reader.get(url)
    assert response["X-Page-Cache"] == "hit"


def test_a_cached_article_page_costs_no_database_query(
    page_cache, reader, story, django_assert_num_queries
):
    reader.get(story.get_absolute_url())
    with django_assert_num_queries(0):
        assert reader.get(story.get_absolute_url()).status_code == 200
    with django_assert_num_queries(0):
        assert reader.head(story.get_absolute_url()).status_code == 200


def test_a_hostile_headline_stays_escaped_in_the_cached_copy(page_cache, reader, politics):
    article = ArticleFactory(section=politics, headline='<script>alert("x")</script> Vote')
    fresh = page(reader, article.get_absolute_url())
    kept = reader.get(article.get_absolute_url())
    assert kept["X-Page-Cache"] == "hit"
    assert kept.content.decode() == fresh
    assert '<script>alert("x")</script>' not in fresh
    assert "&lt;script&gt;" in fresh


@pytest.mark.parametrize(
    "query",
    ["?q=%3Cscript%3Ealert(1)%3C/script%3E", "?page=%3Cscript%3E", "?page=1&callback=x"],
)
def test_hostile_query_strings_are_never_kept(page_cache, reader, story, query):
    first = reader.get("/politics/" + query)
    assert b"<script>alert(1)" not in first.content
    again = reader.get("/politics/" + query)
    assert again.get("X-Page-Cache") != "hit"


def test_another_host_name_is_refused_not_cached(page_cache, reader, story):
    response = reader.get("/politics/", headers={"host": "evil.example"})
    assert response.status_code == 400
    assert "Budget vote delayed" in page(reader, "/politics/")


# Settings: on in production, off for development, Redis when configured.


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"SECRET_KEY": STRONG_KEY}, "True newsroom.cache.PagesFileCache"),
        ({"DEBUG": "1"}, "False newsroom.cache.PagesFileCache"),
        (
            {"SECRET_KEY": STRONG_KEY, "REDIS_URL": "redis://127.0.0.1:6379/0"},
            "True newsroom.cache.FailOpenRedisCache",
        ),
    ],
)
def test_the_page_cache_setting(env, expected):
    result = run_django(
        "shell",
        "--verbosity=0",
        "-c",
        "from django.conf import settings; "
        "print(settings.NEWSROOM_PAGE_CACHE, settings.CACHES['pages']['BACKEND'])",
        **env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_the_file_pages_cache_counts_its_folder_now_and_then_and_stays_bounded(
    tmp_path, monkeypatch
):
    from newsroom import cache as backends

    store = backends.PagesFileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 30}})
    for n in range(60):
        store.set(f"card:{n}:en:Europe/Warsaw", n)
    # Counted at the first write only: no listing of the folder on every write.
    assert len(list(tmp_path.iterdir())) == 60
    later = time.monotonic() + backends.PagesFileCache.CULL_CHECK_SECONDS + 1
    monkeypatch.setattr(backends.time, "monotonic", lambda: later)
    store.set("card:60:en:Europe/Warsaw", 60)
    # Culled as Django culls: a third of what was there.
    assert len(list(tmp_path.iterdir())) == 60 - 60 // 3 + 1
    assert store.get("card:60:en:Europe/Warsaw") == 60


def test_the_file_pages_cache_never_culls_a_purge_stamp(tmp_path, monkeypatch):
    from newsroom import cache as backends

    store = backends.PagesFileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 30}})
    store.set_stamps(["purged:article-7"], 1_800_000_000.0, timeout=600)
    later = time.monotonic() + backends.PagesFileCache.CULL_CHECK_SECONDS + 1
    monkeypatch.setattr(backends.time, "monotonic", lambda: later)
    for n in range(60):  # culled, as Django culls, on the way
        store.set(f"card:{n}:en:Europe/Warsaw", n)
        later += backends.PagesFileCache.CULL_CHECK_SECONDS + 1
    assert len(store._list_cache_files()) < 60
    found = store.get_many_and_stamps([], ["purged:article-7"])
    assert found == {"purged:article-7": 1_800_000_000.0}


@pytest.fixture(params=["files", "redis"])
def stamp_store(request, tmp_path):
    """A pages cache of each kind production uses, empty."""
    from newsroom import cache as backends

    if request.param == "files":
        yield backends.PagesFileCache(str(tmp_path / "pages"), {})
        return
    with redis_server(tmp_path) as url:
        store = backends.FailOpenRedisCache(url, {"KEY_PREFIX": "pages"})
        yield store
        store.close()


def test_a_first_stamp_never_overwrites_a_purge(stamp_store):
    store = stamp_store
    store.add_stamps(["purged:site"], 0, timeout=600)
    store.set_stamps(["purged:article-7"], 1_800_000_000.5, timeout=600)
    store.add_stamps(["purged:article-7", "purged:site", "purged:front"], 0, timeout=600)
    found = store.get_many_and_stamps([], ["purged:article-7", "purged:site", "purged:front"])
    assert found == {"purged:article-7": 1_800_000_000.5, "purged:site": 0, "purged:front": 0}
    store.set_stamps(["purged:site"], 1_800_000_001.0, timeout=600)
    assert store.get_many_and_stamps([], ["purged:site"]) == {"purged:site": 1_800_000_001.0}


def test_expired_stamps_read_as_purged_and_are_swept_from_the_folder(tmp_path, monkeypatch):
    from newsroom import cache as backends

    store = backends.PagesFileCache(str(tmp_path), {})
    start = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        store.set_stamps(["purged:article-7"], start.timestamp(), timeout=60)
        store.set_stamps(["purged:article-8"], start.timestamp(), timeout=600)
    assert len(list(tmp_path.glob("*.stamp"))) == 2
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        found = store.get_many_and_stamps([], ["purged:article-7", "purged:article-8"])
        assert found == {"purged:article-8": start.timestamp()}
        store.add_stamps(["purged:article-9"], 0, timeout=600)  # not yet: swept once a minute
        assert len(list(tmp_path.glob("*.stamp"))) == 3
        later = time.monotonic() + backends.PagesFileCache.STAMP_SWEEP_SECONDS + 1
        monkeypatch.setattr(backends.time, "monotonic", lambda: later)
        store.add_stamps(["purged:article-7"], 0, timeout=600)  # an expired stamp is replaced
        assert store.get_many_and_stamps([], ["purged:article-7"]) == {"purged:article-7": 0}
    with time_machine.travel(start + timedelta(seconds=601), tick=False):
        later += backends.PagesFileCache.STAMP_SWEEP_SECONDS + 1
        store.set_stamps(["purged:front"], start.timestamp() + 601, timeout=600)
        # Left: the stamps written at 61 s, the one just written.
        assert len(list(tmp_path.glob("*.stamp"))) == 3
    with time_machine.travel(start + timedelta(seconds=700), tick=False):
        later += backends.PagesFileCache.STAMP_SWEEP_SECONDS + 1
        store.set_stamps(["purged:front"], start.timestamp() + 700, timeout=600)
        assert len(list(tmp_path.glob("*.stamp"))) == 1
    store.clear()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("who", ["anonymous", "journalist", "editor"])
def test_nobody_purges_through_the_site_itself(page_cache, reader, story, who, journalist, editor):
    """Purges go to Varnish from the site's own code; the site answers PURGE with 405."""
    if who != "anonymous":
        reader.force_login(journalist if who == "journalist" else editor)
    page(Client(), "/politics/")
    rename_behind_the_desks_back(story, "Purged by a stranger")
    response = reader.generic("PURGE", "/politics/", headers={"xkey-purge": "site"})
    assert response.status_code == 405
    assert "Budget vote delayed" in page(Client(), "/politics/")


def test_a_purge_made_by_another_process_reaches_this_ones_pages(page_cache, reader, story):
    """gunicorn runs several workers: one that unpublishes must stop them all serving the
    page. By default the pages live in files every process on the machine shares."""
    url = story.get_absolute_url()
    cached(reader, url)
    result = run_django(
        "shell",
        "-c",
        f"from articles.public.cache import purge_keys; purge_keys(['article-{story.pk}'])",
        SECRET_KEY=STRONG_KEY,
        PAGE_CACHE_DIR=str(caches[cache.PAGES]._dir),
    )
    assert result.returncode == 0, result.stderr
    assert reader.get(url)["X-Page-Cache"] == "miss"


def cached(reader, url):
    """Fetch until the page comes from the cache (one rendered within CLOCK_SKEW_SECONDS
    of a purge is not kept)."""
    for _ in range(40):
        if reader.get(url).get("X-Page-Cache") == "hit":
            return
        time.sleep(0.05)
    raise AssertionError(f"{url} never came from the cache")


# The site's chrome (navigation, banner): read once, even when pages are rendered each time.


@pytest.fixture
def site_cache(settings):
    """Pages rendered each time, the navigation and banner kept: the benchmark's uncached
    figures, and production between a purge and the next page kept."""
    settings.NEWSROOM_SITE_CACHE = True
    caches[cache.PAGES].clear()
    yield
    caches[cache.PAGES].clear()


def test_the_navigation_and_banner_are_read_once(
    site_cache, reader, story, django_assert_num_queries
):
    page(reader, "/politics/")
    # One keyset page: no navigation (nor the section, one of it), no banner, no front
    # slots (kept), and no renditions (the cards were kept).
    with django_assert_num_queries(1):
        assert "Politics" in page(reader, "/politics/")


def test_a_banner_and_a_renamed_section_reach_the_next_page(
    site_cache, reader, story, politics, editor, django_capture_on_commit_callbacks
):
    assert "Breaking news:" not in page(reader, "/")
    now = timezone.now()
    banner = committed(
        django_capture_on_commit_callbacks,
        lambda: BreakingNews.objects.create(
            text="Parliament dissolved", link="/politics/", expires_at=now + timedelta(hours=1)
        ),
    )
    assert "Parliament dissolved" in page(reader, story.get_absolute_url())
    politics.name = "Polityka"
    committed(django_capture_on_commit_callbacks, politics.save)
    assert ">Polityka</a>" in page(reader, "/")
    committed(
        django_capture_on_commit_callbacks,
        lambda: take_down_banner(banner=banner, user=editor),
    )
    assert "Parliament dissolved" not in page(reader, "/")


def test_a_scheduled_banner_goes_up_and_expires_by_itself(
    site_cache, reader, story, django_capture_on_commit_callbacks
):
    starts = timezone.now() + timedelta(minutes=10)
    committed(
        django_capture_on_commit_callbacks,
        lambda: BreakingNews.objects.create(
            text="Polls close", starts_at=starts, expires_at=starts + timedelta(minutes=30)
        ),
    )
    assert "Polls close" not in page(reader, "/")
    with time_machine.travel(starts + timedelta(seconds=1)):
        assert "Polls close" in page(reader, "/")
    with time_machine.travel(starts + timedelta(minutes=31)):
        assert "Polls close" not in page(reader, "/")


def test_a_banner_about_an_unpublished_article_leaves_with_it(
    site_cache, reader, story, editor, django_capture_on_commit_callbacks
):
    committed(
        django_capture_on_commit_callbacks,
        lambda: BreakingNews.objects.create(
            text="Budget vote delayed",
            article=story,
            expires_at=timezone.now() + timedelta(hours=1),
        ),
    )
    assert 'class="breaking-news"' in page(reader, "/politics/")
    committed(
        django_capture_on_commit_callbacks,
        lambda: article_unpublish(article=story, user=editor),
    )
    assert 'class="breaking-news"' not in page(reader, "/politics/")


# The API list's count over the whole archive: read once per change, not per request.


def api_count(reader):
    return reader.get("/api/articles/").json()["count"]


def test_the_api_lists_count_is_read_once_until_a_change(
    site_cache, reader, story, politics, editor, django_capture_on_commit_callbacks
):
    assert api_count(reader) == 1
    draft = tagged_draft(politics)
    # Behind the desk's back: nothing purged, the kept count stands.
    Article.objects.filter(pk=story.pk).update(deleted_at=timezone.now())
    assert api_count(reader) == 1
    Article.objects.filter(pk=story.pk).update(deleted_at=None)
    committed(
        django_capture_on_commit_callbacks,
        lambda: article_publish(article=draft, user=editor),
    )
    assert api_count(reader) == 2
    committed(
        django_capture_on_commit_callbacks,
        lambda: article_unpublish(article=story, user=editor),
    )
    assert api_count(reader) == 1


def test_the_api_lists_count_follows_a_scheduled_go_live(
    site_cache, reader, story, politics, editor, django_capture_on_commit_callbacks
):
    go_live = timezone.now() + timedelta(minutes=5)
    scheduled_draft(django_capture_on_commit_callbacks, politics, editor, go_live)
    assert api_count(reader) == 1
    with time_machine.travel(go_live + timedelta(seconds=1)):
        assert api_count(reader) == 2


def test_each_api_filter_keeps_its_own_count(site_cache, reader, story, politics, world):
    ArticleFactory(section=world, headline="Elsewhere")
    assert reader.get("/api/articles/?section=politics").json()["count"] == 1
    assert reader.get("/api/articles/?section=world").json()["count"] == 1
    assert api_count(reader) == 2


# Cards: rendered once per article until what they show changes, on pages rendered each time.

CARD_LISTINGS = ["/", "/politics/", "/tags/budget/", "/authors/anna-nowak/"]


def test_a_page_whose_cards_were_all_kept_reads_no_renditions(
    site_cache, reader, story, django_assert_num_queries
):
    first = page(reader, "/politics/")
    # One keyset page: its front's slots, the cards and their pictures are kept.
    with django_assert_num_queries(1):
        again = page(reader, "/politics/")
    assert again == first
    assert 'type="image/webp"' in again


def test_a_purge_stamp_outlives_every_copy_made_before_it_and_is_then_let_go(
    page_cache, reader, story, settings
):
    url = story.get_absolute_url()
    page(reader, url)
    purged = timezone.now()
    cache.purge_keys([cache.article_key(story.pk)])
    stamp = cache.stamp_key(cache.article_key(story.pk))
    lifetime = timedelta(seconds=settings.NEWSROOM_PAGE_CACHE_SECONDS)
    store = caches[cache.PAGES]
    with time_machine.travel(purged + lifetime + timedelta(seconds=1)):
        assert stamp in store.get_many_and_stamps([], [stamp])
        assert reader.get(url)["X-Page-Cache"] == "miss"
    with time_machine.travel(purged + 2 * lifetime + timedelta(seconds=1)):
        assert stamp not in store.get_many_and_stamps([], [stamp])


def cache_requests(monkeypatch):
    """The requests a page makes to the pages cache, each a list of what it asked for (kept
    parts and purge stamps read together count once)."""
    store = caches[cache.PAGES]
    requests, inside = [], []
    get_many, get_many_and_stamps = store.get_many, store.get_many_and_stamps

    def counted_get_many(keys):
        if not inside:
            requests.append(list(keys))
        return get_many(keys)

    def counted_get_many_and_stamps(names, stamps):
        requests.append([*names, *stamps])
        inside.append(True)
        try:
            return get_many_and_stamps(names, stamps)
        finally:
            inside.pop()

    monkeypatch.setattr(store, "get_many", counted_get_many)
    monkeypatch.setattr(store, "get_many_and_stamps", counted_get_many_and_stamps)
    return requests


def test_a_page_reads_each_purge_stamp_once(site_cache, reader, story, politics, monkeypatch):
    for n in range(6):
        ArticleFactory(section=politics, headline=f"Council session {n}")
    page(reader, "/")
    requests = cache_requests(monkeypatch)
    again = page(reader, "/")
    asked = [key for request in requests for key in request]
    assert "Council session 5" in again
    # Every card, the section's newest and the chrome show `site`: its stamp is read once.
    assert asked.count(cache.stamp_key(cache.SITE)) == 1
    assert asked.count(cache.stamp_key(cache.article_key(story.pk))) == 1


@pytest.mark.parametrize("url", ["/", "/politics/"])
def test_a_listings_cards_cost_the_same_cache_requests_however_many(
    site_cache, reader, politics, monkeypatch, url
):
    def counted():
        requests = cache_requests(monkeypatch)
        html = page(reader, url)
        monkeypatch.undo()
        return html, len(requests)

    ArticleFactory(section=politics, headline="Council session 0", photo=PhotoFactory())
    page(reader, url)
    html, few = counted()
    assert html.count('<article class="card') >= 1
    for n in range(1, 12):
        ArticleFactory(section=politics, headline=f"Council session {n}", photo=PhotoFactory())
    page(reader, url)
    html, many = counted()
    assert len(set(re.findall(r"Council session \d+", html))) >= 5
    assert many == few


def test_a_headline_written_as_a_cards_marker_is_only_text(site_cache, reader, politics):
    ArticleFactory(section=politics, headline="<!--kept:00000000:0--> Budget")
    for _ in range(2):  # drawn, then kept
        html = page(reader, "/politics/")
        assert "&lt;!--kept:00000000:0--&gt; Budget" in html


def test_an_edited_headline_reaches_every_card_at_once(
    site_cache, reader, story, django_capture_on_commit_callbacks
):
    for url in CARD_LISTINGS:
        assert "Budget vote delayed" in page(reader, url), url
    rename_behind_the_desks_back(story, "Budget vote held at dawn")
    # The listing is read afresh, but its card was kept: nobody said it changed.
    assert "Budget vote held at dawn" not in page(reader, "/politics/")
    story.refresh_from_db()
    story.headline = "Budget vote postponed to Friday"
    committed(django_capture_on_commit_callbacks, story.save)
    for url in CARD_LISTINGS:
        html = page(reader, url)
        assert "Budget vote postponed to Friday" in html, url
        assert "Budget vote delayed" not in html, url


def test_a_change_to_the_photo_renders_its_cards_again(
    site_cache, reader, story, editor, django_capture_on_commit_callbacks
):
    for url in CARD_LISTINGS:
        page(reader, url)
    rename_behind_the_desks_back(story, "Budget vote held at dawn")
    committed(
        django_capture_on_commit_callbacks,
        lambda: photo_change(photo=story.photo, user=editor, values={"caption": "New caption"}),
    )
    for url in CARD_LISTINGS:
        assert "Budget vote held at dawn" in page(reader, url), url


def test_a_renamed_section_reaches_the_cards_labels(
    site_cache, reader, story, politics, django_capture_on_commit_callbacks
):
    label = '<p class="section-label"><a href="/politics/">{}</a></p>'
    assert label.format("Politics") in page(reader, "/")
    politics.name = "Polityka"
    committed(django_capture_on_commit_callbacks, politics.save)
    html = page(reader, "/")
    assert label.format("Polityka") in html
    assert label.format("Politics") not in html


def test_a_card_kept_for_one_listing_shows_as_that_listing_needs(site_cache, reader, story):
    """The front labels each card with its section and uses smaller headings; the section
    page does not: each way of showing it is kept apart."""
    front = page(reader, "/")
    section = page(reader, "/politics/")
    assert '<h3 class="card-headline"><a href="' in front
    assert '<p class="section-label">' in front
    assert '<h2 class="card-headline"><a href="' in section
    assert '<p class="section-label">' not in section


def test_search_results_show_the_readers_own_words_not_a_kept_card(site_cache, reader, story):
    page(reader, "/politics/")
    for word in ("debate", "deputies"):
        html = page(reader, f"/search/?q={word}")
        assert f"<mark>{word}</mark>" in html.lower(), word


def test_a_hostile_headline_stays_escaped_in_a_kept_card(site_cache, reader, politics):
    ArticleFactory(section=politics, headline='<script>alert("x")</script> Vote')
    fresh = page(reader, "/politics/")
    kept = page(reader, "/politics/")
    assert kept == fresh
    assert '<script>alert("x")</script>' not in kept
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Vote" in kept


def test_a_card_rendered_from_rows_read_before_a_purge_is_not_kept(
    site_cache, reader, story, django_capture_on_commit_callbacks
):
    """A slow page read the article, then the desk changed it before the card was drawn:
    the card shows what the page read, and the next page draws it afresh."""
    from articles.templatetags import fragments

    draw = fragments.KeptCardNode.render

    def change_while_drawing(node, context):
        if not getattr(change_while_drawing, "done", False):
            change_while_drawing.done = True
            story.refresh_from_db()
            story.headline = "Budget vote postponed to Friday"
            committed(django_capture_on_commit_callbacks, story.save)
            time.sleep(cache.CLOCK_SKEW_SECONDS + 0.05)
        return draw(node, context)

    fragments.KeptCardNode.render = change_while_drawing
    try:
        assert "Budget vote delayed" in page(reader, "/politics/")
    finally:
        fragments.KeptCardNode.render = draw
    assert "Budget vote postponed to Friday" in page(reader, "/politics/")


# An article page's "More in" (its section's newest, kept once for the section) and "Related"
# (kept for the article): read again only when what they list changes.


def more_in(html):
    return html.partition('class="more-in"')[2].partition("</section>")[0]


def related(html):
    return html.partition('class="related"')[2].partition("</section>")[0]


@pytest.fixture
def neighbour(story, politics):
    """An older Politics article on the same tag: in both of the story's lists."""
    other = ArticleFactory(
        section=politics,
        headline="Opposition walks out",
        publish_at=story.publish_at - timedelta(hours=1),
    )
    other.tags.add("Budget")
    return other


def test_an_article_pages_lists_are_kept_until_what_they_list_changes(
    site_cache, reader, story, neighbour, django_capture_on_commit_callbacks
):
    url = story.get_absolute_url()
    html = page(reader, url)
    assert "Opposition walks out" in more_in(html)
    assert "Opposition walks out" in related(html)
    rename_behind_the_desks_back(neighbour, "Opposition walks out again")
    html = page(reader, url)
    assert "Opposition walks out again" not in html
    neighbour.refresh_from_db()
    neighbour.headline = "Opposition returns to the chamber"
    committed(django_capture_on_commit_callbacks, neighbour.save)
    html = page(reader, url)
    assert "Opposition returns to the chamber" in more_in(html)
    assert "Opposition returns to the chamber" in related(html)


def test_a_publish_in_the_section_reaches_more_in_and_leaves_related_kept(
    site_cache, reader, story, neighbour, politics, editor, django_capture_on_commit_callbacks
):
    url = story.get_absolute_url()
    page(reader, url)
    rename_behind_the_desks_back(neighbour, "Opposition walks out again")
    draft = ArticleFactory(section=politics, headline="Senate sits late", draft=True)
    committed(
        django_capture_on_commit_callbacks, lambda: article_publish(article=draft, user=editor)
    )
    html = page(reader, url)
    # The section's newest were read again; Related, on another tag, was not.
    assert "Senate sits late" in more_in(html)
    assert "Opposition walks out again" in more_in(html)
    assert "Opposition walks out</a>" in related(html)


def test_an_article_moved_to_another_section_leaves_more_in(
    site_cache, reader, story, neighbour, world, django_capture_on_commit_callbacks
):
    url = story.get_absolute_url()
    page(reader, url)
    neighbour.section = world
    committed(django_capture_on_commit_callbacks, neighbour.save)
    html = page(reader, url)
    assert "Opposition walks out" not in more_in(html)
    assert "Opposition walks out" in related(html)


def test_an_untagged_article_leaves_related_and_a_tagged_one_joins_it(
    site_cache, reader, story, neighbour, world, django_capture_on_commit_callbacks
):
    url = story.get_absolute_url()
    elsewhere = ArticleFactory(section=world, headline="Brussels approves the plan")
    assert "Brussels approves the plan" not in related(page(reader, url))
    committed(django_capture_on_commit_callbacks, lambda: neighbour.tags.remove("Budget"))
    assert "Opposition walks out" not in related(page(reader, url))
    committed(django_capture_on_commit_callbacks, lambda: elsewhere.tags.add("Budget"))
    assert "Brussels approves the plan" in related(page(reader, url))


def test_an_unpublished_article_leaves_both_lists_at_once(
    site_cache, reader, story, neighbour, editor, django_capture_on_commit_callbacks
):
    url = story.get_absolute_url()
    page(reader, url)
    committed(
        django_capture_on_commit_callbacks,
        lambda: article_unpublish(article=neighbour, user=editor),
    )
    assert "Opposition walks out" not in page(reader, url)


def test_a_scheduled_article_joins_more_in_by_itself(
    site_cache, reader, story, politics, editor, django_capture_on_commit_callbacks
):
    url = story.get_absolute_url()
    go_live = timezone.now() + timedelta(minutes=5)
    scheduled_draft(django_capture_on_commit_callbacks, politics, editor, go_live)
    assert "Senate passes the budget" not in page(reader, url)
    with time_machine.travel(go_live + timedelta(seconds=1)):
        html = page(reader, url)
    assert "Senate passes the budget" in more_in(html)
    assert "Senate passes the budget" in related(html)


# The API: each article's NINJS is kept until what it shows changes, for partners polling.


def api_urls(article):
    return ["/api/articles/", f"/api/articles/{article.pk}/"]


@pytest.fixture
def cited_story(story):
    """The story with a source (linked before any reader came: nothing to purge)."""
    story.source_links.create(source=SourceFactory(name="PAP"), position=0)
    return story


def test_an_articles_ninjs_is_kept_until_the_article_changes(
    site_cache, reader, cited_story, django_capture_on_commit_callbacks
):
    for url in api_urls(cited_story):
        assert "Budget vote delayed" in page(reader, url)
    rename_behind_the_desks_back(cited_story, "Budget vote held at dawn")
    for url in api_urls(cited_story):
        assert "Budget vote held at dawn" not in page(reader, url), url
    cited_story.refresh_from_db()
    cited_story.headline = "Budget vote postponed to Friday"
    committed(django_capture_on_commit_callbacks, cited_story.save)
    for url in api_urls(cited_story):
        assert "Budget vote postponed to Friday" in page(reader, url), url


def new_caption(story, editor):
    photo_change(photo=story.photo, user=editor, values={"caption": "The new caption"})
    return "The new caption"


def renamed_tag(story, editor):
    tag = Tag.objects.get(name="Budget")
    tag.name = "State budget"
    tag.save()
    return "State budget"


def renamed_source(story, editor):
    source = story.ordered_sources()[0]
    source.name = "Polska Agencja Prasowa"
    source.save()
    return "Polska Agencja Prasowa"


def added_source(story, editor):
    story.source_links.create(source=SourceFactory(name="Reuters"), position=1)
    return "Reuters"


def renamed_section(story, editor):
    story.section.name = "Polityka"
    story.section.save()
    return "Polityka"


def posted_live_entry(story, editor):
    opened = timezone.now() - timedelta(minutes=30)
    Article.objects.filter(pk=story.pk).update(is_live_blog=True, coverage_started_at=opened)
    story.refresh_from_db()
    post_entry(article=story, user=editor, body="<p>The speaker calls the vote.</p>")
    return "The speaker calls the vote."


@pytest.mark.parametrize(
    "change",
    [new_caption, renamed_tag, renamed_source, added_source, renamed_section, posted_live_entry],
)
def test_every_change_an_articles_ninjs_shows_reaches_the_api(
    site_cache, reader, cited_story, editor, change, django_capture_on_commit_callbacks
):
    for url in api_urls(cited_story):
        page(reader, url)
    rename_behind_the_desks_back(cited_story, "Budget vote held at dawn")
    shown = committed(django_capture_on_commit_callbacks, lambda: change(cited_story, editor))
    for url in api_urls(cited_story):
        html = page(reader, url)
        assert shown in html, url
        assert "Budget vote held at dawn" in html, url


def test_an_unpublished_article_leaves_the_api_at_once(
    site_cache, reader, cited_story, editor, django_capture_on_commit_callbacks
):
    for url in api_urls(cited_story):
        page(reader, url)
    committed(
        django_capture_on_commit_callbacks,
        lambda: article_unpublish(article=cited_story, user=editor),
    )
    assert "Budget vote delayed" not in page(reader, "/api/articles/")
    assert reader.get(f"/api/articles/{cited_story.pk}/").status_code == 404


def test_each_host_gets_its_own_addresses_in_the_ninjs(site_cache, reader, cited_story):
    for url in api_urls(cited_story):
        assert "http://testserver/" in page(reader, url)
        html = reader.get(url, HTTP_HOST="localhost").content.decode()
        assert "http://localhost/" in html
        assert "http://testserver/" not in html


# Feeds: each item is kept until what it shows changes; every change purges the feeds, and
# a render then reads only the articles that changed.

FEED_URLS = ["/feeds/rss/", "/feeds/sections/politics/atom/", "/feeds/tags/budget/rss/"]


def test_a_kept_feed_item_is_written_as_its_own_feed_writes_it(site_cache, reader, story):
    written = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)
    Article.objects.filter(pk=story.pk).update(publish_at=written, updated_at=written)
    rss, atom = "/feeds/sections/politics/rss/", "/feeds/sections/politics/atom/"
    first = [page(reader, rss), page(reader, atom)]
    kept = [page(reader, rss), page(reader, atom)]  # each item's XML, as kept
    assert kept == first
    assert "<item><title>Budget vote delayed</title>" in kept[0]
    assert "<entry><title>Budget vote delayed</title>" in kept[1]
    # The feed's own date is still its newest item's, not the moment it was written.
    assert "<lastBuildDate>Wed, 04 Mar 2026 05:06:07 +0000</lastBuildDate>" in kept[0]
    assert "</id><updated>2026-03-04T05:06:07+00:00</updated><subtitle>" in kept[1]


def renamed_author(story, editor):
    anna = story.authors.get()
    anna.first_name = "Joanna"
    anna.save()
    return "Joanna Nowak"


@pytest.fixture
def credited_story(story):
    """The story credited by its author's name, no printed byline, as readers first saw it."""
    Article.objects.filter(pk=story.pk).update(byline="")
    story.refresh_from_db()
    return story


@pytest.mark.parametrize(
    "change",
    [new_caption, renamed_tag, renamed_author, renamed_section, posted_live_entry],
)
def test_every_change_a_feed_item_shows_reaches_the_feeds(
    site_cache, reader, credited_story, editor, change, django_capture_on_commit_callbacks
):
    for url in FEED_URLS:
        assert "Budget vote delayed" in page(reader, url)
    rename_behind_the_desks_back(credited_story, "Budget vote held at dawn")
    for url in FEED_URLS:
        assert "Budget vote held at dawn" not in page(reader, url), url
    shown = committed(django_capture_on_commit_callbacks, lambda: change(credited_story, editor))
    for url in FEED_URLS:
        xml = page(reader, url)
        assert shown in xml, url
        assert "Budget vote held at dawn" in xml, url


def test_an_edited_or_unpublished_article_reaches_the_feeds_at_once(
    site_cache, reader, credited_story, editor, django_capture_on_commit_callbacks
):
    for url in FEED_URLS:
        page(reader, url)
    credited_story.headline = "Budget vote postponed to Friday"
    committed(django_capture_on_commit_callbacks, credited_story.save)
    for url in FEED_URLS:
        assert "Budget vote postponed to Friday" in page(reader, url), url
    committed(
        django_capture_on_commit_callbacks,
        lambda: article_unpublish(article=credited_story, user=editor),
    )
    assert "Budget vote postponed to Friday" not in page(reader, "/feeds/rss/")


def test_a_kept_value_made_by_another_release_is_not_read(site_cache, reader, story, monkeypatch):
    """Kept values are pickles of the code's objects: a release reads only its own."""
    page(reader, "/politics/")
    rename_behind_the_desks_back(story, "Budget vote held at dawn")
    assert "Budget vote held at dawn" not in page(reader, "/politics/")
    monkeypatch.setattr(cache, "code_fingerprint", lambda: "next-release")
    assert "Budget vote held at dawn" in page(reader, "/politics/")


def test_the_code_fingerprint_follows_the_code_and_templates(settings, tmp_path):
    (tmp_path / "articles").mkdir()
    (tmp_path / "templates").mkdir()
    (tmp_path / "articles" / "feeds.py").write_text("class FeedItem: pass\n")
    (tmp_path / "templates" / "card.html").write_text("<h2>{{ article.headline }}</h2>\n")
    settings.BASE_DIR = tmp_path

    def fingerprint():
        cache.code_fingerprint.cache_clear()
        return cache.code_fingerprint()

    first = fingerprint()
    assert fingerprint() == first
    (tmp_path / "templates" / "card.html").write_text("<h3>{{ article.headline }}</h3>\n")
    second = fingerprint()
    assert second != first
    (tmp_path / "articles" / "feeds.py").write_text("class FeedItem:\n    images = []\n")
    assert fingerprint() not in {first, second}
    cache.code_fingerprint.cache_clear()


def test_a_publish_reads_its_sections_block_again_and_leaves_the_others_kept(
    site_cache, reader, story, world, editor, django_capture_on_commit_callbacks
):
    """The front's section blocks are each section's kept newest, shared with every article
    page's "More in": a publish in Politics reads Politics' again, and World's stays."""
    ArticleFactory(section=world, headline="Brussels approves the plan")
    assert "Brussels approves the plan" in page(reader, "/")
    # Behind the desk's back: nothing purged, so World's kept newest do not show it.
    ArticleFactory(section=world, headline="Floods in the south")
    draft = ArticleFactory(section=story.section, headline="Senate sits late", draft=True)
    committed(
        django_capture_on_commit_callbacks, lambda: article_publish(article=draft, user=editor)
    )
    html = page(reader, "/")
    world_block = html.partition('id="section-world"')[2].partition("</section>")[0]
    politics_block = html.partition('id="section-politics"')[2].partition("</section>")[0]
    assert "Senate sits late" in politics_block
    assert "Brussels approves the plan" in world_block
    assert "Floods in the south" not in world_block


# The article page: the article as the page shows it is kept from one reader to the next,
# until what it shows changes; whether readers may see it is asked every time.


@pytest.fixture
def full_story(cited_story):
    """The cited story credited by its author's name, its photo by its provider (in its
    structured data), as readers first saw it."""
    Article.objects.filter(pk=cited_story.pk).update(byline="")
    Photo.objects.filter(pk=cited_story.photo_id).update(
        creator="", provider=SourceFactory(name="EPA")
    )
    cited_story.refresh_from_db()
    return cited_story


def test_an_article_page_keeps_its_article_until_it_changes(
    site_cache,
    reader,
    full_story,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    url = full_story.get_absolute_url()
    assert "Budget vote delayed" in page(reader, url)
    rename_behind_the_desks_back(full_story, "Budget vote held at dawn")
    with django_assert_num_queries(1):  # whether it is still published
        assert "Budget vote held at dawn" not in page(reader, url)
    full_story.refresh_from_db()
    full_story.headline = "Budget vote postponed to Friday"
    committed(django_capture_on_commit_callbacks, full_story.save)
    assert "Budget vote postponed to Friday" in page(reader, url)


def corrected(story, editor):
    story.corrections.create(text="An earlier version gave the wrong date.", created_by=editor)
    return "An earlier version gave the wrong date."


def renamed_provider(story, editor):
    provider = story.photo.provider
    provider.name = "European Pressphoto Agency"
    provider.save()
    return "European Pressphoto Agency"


@pytest.mark.parametrize(
    "change",
    [
        new_caption,
        renamed_tag,
        renamed_source,
        added_source,
        renamed_section,
        posted_live_entry,
        renamed_author,
        corrected,
        renamed_provider,
    ],
)
def test_every_change_an_article_page_shows_reaches_it(
    site_cache, reader, full_story, editor, change, django_capture_on_commit_callbacks
):
    url = full_story.get_absolute_url()
    page(reader, url)
    rename_behind_the_desks_back(full_story, "Budget vote held at dawn")
    shown = committed(django_capture_on_commit_callbacks, lambda: change(full_story, editor))
    html = page(reader, url)
    # The provider is named in the structured data only; the rest in the article itself.
    shown_in = html if change is renamed_provider else article_of(html)
    assert shown in shown_in
    assert "<h1>Budget vote held at dawn</h1>" in article_of(html)
    # The head (link previews, structured data) is kept with the article, and goes with it.
    assert '<meta property="og:title" content="Budget vote held at dawn">' in head_of(html)
    assert '"headline": "Budget vote held at dawn"' in head_of(html)


def article_of(html):
    """The page's <article> element: what it shows of the article but the head's tags."""
    return html.split('<article class="article">', 1)[1].split("</article>", 1)[0]


def head_of(html):
    return html.split("</head>", 1)[0]


def test_an_article_pages_head_is_drawn_once_until_the_article_changes(
    site_cache, reader, full_story, monkeypatch, django_capture_on_commit_callbacks
):
    drawn = []
    news_article = seo.news_article
    monkeypatch.setattr(seo, "news_article", lambda *a: drawn.append(1) or news_article(*a))
    url = full_story.get_absolute_url()
    first = page(reader, url)
    assert (len(drawn), page(reader, url)) == (1, first)
    full_story.headline = "Budget vote postponed to Friday"
    committed(django_capture_on_commit_callbacks, full_story.save)
    assert '"headline": "Budget vote postponed to Friday"' in head_of(page(reader, url))
    assert len(drawn) == 2


def test_each_host_gets_its_own_addresses_in_a_kept_article_head(site_cache, reader, full_story):
    url = full_story.get_absolute_url()
    for _ in range(2):  # drawn, then kept
        assert f'content="http://testserver{url}"' in head_of(page(reader, url))
        html = head_of(reader.get(url, HTTP_HOST="localhost").content.decode())
        assert f'content="http://localhost{url}"' in html
        assert "http://testserver/" not in html


def test_a_hostile_headline_stays_escaped_in_a_kept_article_head(site_cache, reader, politics):
    story = ArticleFactory(
        section=politics, headline='</script><script>alert("x")</script> Budget vote'
    )
    url = story.get_absolute_url()
    fresh = page(reader, url)
    kept = page(reader, url)
    assert kept == fresh
    assert "<script>alert" not in kept
    assert "&lt;/script&gt;&lt;script&gt;alert(&quot;x&quot;)" in head_of(kept)
    assert "\\u003C/script\\u003E\\u003Cscript\\u003Ealert" in head_of(kept)


def test_a_kept_article_never_outlives_its_publication(site_cache, reader, story):
    """Even a withdrawal that purged nothing (a raw update) takes the page down at once."""
    url = story.get_absolute_url()
    page(reader, url)
    Article.objects.filter(pk=story.pk).update(status=ArticleStatus.UNPUBLISHED)
    assert reader.get(url).status_code == 410


def test_a_kept_article_holds_nothing_of_its_authors_accounts(site_cache, reader, story):
    author = story.authors.get()
    author.email = "anna.nowak@example.org"
    author.set_password("correct horse battery staple")
    author.save()
    page(reader, story.get_absolute_url())
    entry = caches[cache.PAGES].get(cache.kept_name(f"article-page:{story.pk}"))
    kept = pickle.dumps(entry)
    assert b"Nowak" in kept
    assert author.password.encode() not in kept
    assert b"anna.nowak@example.org" not in kept


# Parts of pages every reader gets alike are kept (kept_fragment); the desk's previews
# neither keep nor read them.


@pytest.mark.parametrize("preview_first", [True, False])
def test_a_desk_preview_of_a_move_never_reaches_readers_more_in(
    site_cache, reader, story, neighbour, world, editor, rf, preview_first
):
    from articles.desk.revisions import snapshot_article
    from articles.desk.views import render_preview

    ArticleFactory(section=world, headline="Brussels approves the plan")
    url = story.get_absolute_url()
    moved = snapshot_article(story)
    moved["section"] = world.pk
    revision = story.revisions.create(data=moved, created_by=editor)
    request = rf.get(url)
    request.user = editor

    def preview():
        return render_preview(request, revision).render().content.decode()

    if preview_first:
        assert "More in World" in preview()
    assert "More in Politics" in more_in(page(reader, url))
    assert "More in World" in preview()
    assert "More in Politics" in more_in(page(reader, url))


def test_each_section_page_marks_its_own_section_in_a_kept_masthead(
    site_cache, reader, story, world
):
    ArticleFactory(section=world, headline="Brussels approves the plan")
    for _ in range(2):  # drawn, then kept
        politics, elsewhere = page(reader, "/politics/"), page(reader, "/world/")
        assert '"/politics/" aria-current="page"' in politics
        assert '"/world/" aria-current="page"' in elsewhere
        assert "aria-current" not in page(reader, story.get_absolute_url())


def test_hostile_names_stay_escaped_in_kept_blocks_and_masthead(
    site_cache, reader, story, politics, django_capture_on_commit_callbacks
):
    hostile = '<script>alert("x")</script>'
    escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
    politics.name = f"{hostile} Politics"
    committed(django_capture_on_commit_callbacks, politics.save)
    neighbour = ArticleFactory(section=politics, headline=f"{hostile} Vote")
    neighbour.tags.add("Budget")
    url = story.get_absolute_url()
    fresh = page(reader, url)
    kept = page(reader, url)
    assert kept == fresh
    assert hostile not in kept
    assert f"{escaped} Vote" in more_in(kept)
    assert f"{escaped} Vote" in related(kept)
    assert f"More in {escaped} Politics" in kept
    assert f">{escaped} Politics</a>" in kept.split("</header>")[0]


# The sitemap index: kept until the sitemaps are purged or a scheduled go-live comes.


def index_entries(client, host="testserver"):
    xml = client.get("/sitemap.xml", HTTP_HOST=host).content.decode()
    return re.findall(r"<loc>([^<]+)</loc>(?:<lastmod>([^<]+)</lastmod>)?", xml)


def test_a_kept_sitemap_index_reads_nothing_until_a_publish_reaches_it(
    site_cache,
    reader,
    story,
    politics,
    editor,
    monkeypatch,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    monkeypatch.setattr(ArticleSitemap, "limit", 1)
    before = index_entries(reader)
    with django_assert_num_queries(0):
        assert index_entries(reader) == before
    assert [loc for loc, _ in before][1:] == ["http://testserver/sitemap-articles.xml"]
    draft = tagged_draft(politics)
    committed(
        django_capture_on_commit_callbacks, lambda: article_publish(article=draft, user=editor)
    )
    after = index_entries(reader)
    assert [loc for loc, _ in after][1:] == [
        "http://testserver/sitemap-articles.xml",
        "http://testserver/sitemap-articles.xml?p=2",
    ]
    draft.refresh_from_db()
    assert datetime.fromisoformat(after[-1][1]) == draft.last_modified


def test_a_scheduled_go_live_reaches_a_kept_sitemap_index_by_itself(
    site_cache, reader, story, politics, editor, django_capture_on_commit_callbacks
):
    go_live = timezone.now() + timedelta(minutes=10)
    scheduled_draft(django_capture_on_commit_callbacks, politics, editor, go_live)
    before = index_entries(reader)
    assert datetime.fromisoformat(before[-1][1]) < go_live
    with time_machine.travel(go_live + timedelta(seconds=1), tick=False):
        assert datetime.fromisoformat(index_entries(reader)[-1][1]) == go_live


def test_each_host_gets_its_own_addresses_in_a_kept_sitemap_index(site_cache, reader, story):
    for _ in range(2):  # drawn, then kept
        assert {loc.split("/")[2] for loc, _ in index_entries(reader)} == {"testserver"}
        assert {loc.split("/")[2] for loc, _ in index_entries(reader, "localhost")} == {
            "localhost"
        }


# A front's slots are kept until its arrangement is published again, what a slot shows
# changes, or a pin runs out.


def top_stories(html):
    found = re.search(r'<section class="top-stories".*?</section>', html, re.S)
    return found.group(0) if found else ""


def test_a_sections_front_reaches_its_page_once_published(
    site_cache, reader, story, neighbour, politics, django_capture_on_commit_callbacks
):
    committed(django_capture_on_commit_callbacks, lambda: published_front([story], politics))
    assert "Budget vote delayed" in top_stories(page(reader, "/politics/"))
    committed(django_capture_on_commit_callbacks, lambda: published_front([neighbour], politics))
    html = page(reader, "/politics/")
    assert "Opposition walks out" in top_stories(html)
    assert "Budget vote delayed" not in top_stories(html)


def test_a_pinned_slot_leaves_its_front_by_itself_when_the_pin_runs_out(
    site_cache, reader, story, politics, django_capture_on_commit_callbacks
):
    until = timezone.now() + timedelta(minutes=5)
    committed(
        django_capture_on_commit_callbacks,
        lambda: published_front([story], politics, pinned_until=until),
    )
    assert "Budget vote delayed" in top_stories(page(reader, "/politics/"))
    with time_machine.travel(until + timedelta(seconds=1)):
        assert "Budget vote delayed" not in top_stories(page(reader, "/politics/"))


def test_an_unpublished_slot_leaves_its_front_at_once(
    site_cache, reader, story, politics, editor, django_capture_on_commit_callbacks
):
    committed(django_capture_on_commit_callbacks, lambda: published_front([story], politics))
    committed(django_capture_on_commit_callbacks, lambda: published_front([story]))
    for url in ["/politics/", "/"]:
        assert "Budget vote delayed" in top_stories(page(reader, url)), url
    committed(
        django_capture_on_commit_callbacks, lambda: article_unpublish(article=story, user=editor)
    )
    for url in ["/politics/", "/"]:
        assert "Budget vote delayed" not in page(reader, url), url
