"""Feed readers and aggregators get every published article with its photo and credit."""

from datetime import timedelta

import feedparser
import pytest
from django.core.cache import caches
from django.utils import timezone

from articles.photos import renditions
from tests.factories import ArticleFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db

FEEDS = {
    "site RSS": "/feeds/rss/",
    "site Atom": "/feeds/atom/",
    "Politics RSS": "/feeds/sections/politics/rss/",
    "Politics Atom": "/feeds/sections/politics/atom/",
    "kremlin tag RSS": "/feeds/tags/kremlin/rss/",
    "kremlin tag Atom": "/feeds/tags/kremlin/atom/",
}


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


@pytest.mark.parametrize("url", list(FEEDS.values()), ids=list(FEEDS))
def test_feed_item_carries_headline_standfirst_link_dates_author_categories_and_photo(
    client, wire_article, url
):
    wire_article.tags.add("Kremlin", "Diplomacy")
    entry = fetch(client, url).entries[0]
    assert entry.title == "Kremlin talks end without agreement"
    assert entry.summary == "Negotiators left after six hours."
    assert entry.link == f"http://testserver{wire_article.get_absolute_url()}"
    assert entry.published_parsed[:5] == wire_article.publish_at.utctimetuple()[:5]
    if url.endswith("/atom/"):  # RSS 2.0 has no element for the update time.
        assert entry.updated_parsed[:5] == wire_article.updated_at.utctimetuple()[:5]
    assert entry.author == "Staff and wire reports"
    assert {tag.term for tag in entry.tags} == {"Politics", "Kremlin", "Diplomacy"}
    photo_url = f"http://testserver{renditions.largest(wire_article.photo, '16:9').file.url}"
    assert [link.href for link in entry.links if link.rel == "enclosure"] == [photo_url]
    assert entry.media_content[0]["url"] == photo_url
    assert entry.media_content[0]["width"] == "640"
    assert entry.media_credit[0]["content"] == (
        "EPA/PHOTOGRAPHER NAME / SPUTNIK / KREMLIN POOL MANDATORY CREDIT Dostawca: PAP/EPA."
    )


def test_feed_credits_the_printed_byline_over_staff_authors(client, politics):
    article = ArticleFactory(section=politics, byline="By Anna Nowak, Reuters")
    article.authors.add(UserFactory(first_name="Jan", last_name="Kowalski"))
    assert fetch(client, "/feeds/rss/").entries[0].author == "Anna Nowak, Reuters"


def test_feed_credits_staff_authors_when_there_is_no_printed_byline(client, politics):
    article = ArticleFactory(section=politics, byline="")
    article.authors.add(UserFactory(first_name="Jan", last_name="Kowalski"))
    assert fetch(client, "/feeds/rss/").entries[0].author == "Jan Kowalski"


def test_article_without_photo_has_no_enclosure(client, politics):
    ArticleFactory(section=politics, photo=None)
    entry = fetch(client, "/feeds/rss/").entries[0]
    assert not [link for link in entry.links if link.rel == "enclosure"]
    assert "media_content" not in entry


def test_section_feed_lists_only_its_section_newest_first(client, politics, world):
    now = timezone.now()
    ArticleFactory(section=politics, headline="Older", publish_at=now - timedelta(hours=3))
    ArticleFactory(section=politics, headline="Newer", publish_at=now - timedelta(hours=1))
    ArticleFactory(section=world, headline="Abroad")
    feed = fetch(client, "/feeds/sections/politics/atom/")
    assert [entry.title for entry in feed.entries] == ["Newer", "Older"]
    assert feed.feed.title == "Politics | The Daily Wire"


def test_tag_feed_lists_only_tagged_articles(client, politics):
    ArticleFactory(section=politics, headline="Tagged").tags.add("Elections")
    ArticleFactory(section=politics, headline="Untagged")
    feed = fetch(client, "/feeds/tags/elections/rss/")
    assert [entry.title for entry in feed.entries] == ["Tagged"]


def test_unknown_section_or_tag_feed_answers_404(client, politics):
    assert client.get("/feeds/sections/nowhere/rss/").status_code == 404
    assert client.get("/feeds/tags/nothing/atom/").status_code == 404


def test_pages_link_their_feeds(client, wire_article):
    wire_article.tags.add("Kremlin")
    front = client.get("/").content.decode()
    assert 'type="application/rss+xml" title="The Daily Wire (RSS)" href="/feeds/rss/"' in front
    assert 'type="application/atom+xml" title="The Daily Wire (Atom)" href="/feeds/atom/"' in front
    section = client.get("/politics/").content.decode()
    assert 'href="/feeds/sections/politics/rss/"' in section
    assert 'href="/feeds/sections/politics/atom/"' in section
    tag = client.get("/tags/kremlin/").content.decode()
    assert 'href="/feeds/tags/kremlin/rss/"' in tag
    assert 'href="/feeds/tags/kremlin/atom/"' in tag


@pytest.mark.parametrize("site_cache", [False, True])
def test_a_desk_inbox_has_no_feed_and_a_new_section_has_one_at_once(
    client, settings, site_cache, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_SITE_CACHE = site_cache
    caches["pages"].clear()
    wire = SectionFactory(name="Wire", slug="wire", is_inbox=True)
    ArticleFactory(section=wire, headline="Raw agency copy")
    assert client.get("/feeds/sections/wire/rss/").status_code == 404
    assert client.get("/feeds/sections/health/rss/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        health = SectionFactory(name="Health", slug="health")
    ArticleFactory(section=health, headline="Clinics extend hours")
    entries = fetch(client, "/feeds/sections/health/rss/").entries
    assert [entry.title for entry in entries] == ["Clinics extend hours"]


@pytest.mark.parametrize("count", [3, 25])
@pytest.mark.parametrize("url", ["/feeds/rss/", "/feeds/sections/politics/atom/"])
def test_feed_queries_do_not_grow_with_articles(
    client, politics, django_assert_max_num_queries, count, url
):
    from tests.test_query_counts import fill

    fill(politics, count)
    # The navigation and banner (where a section feed finds its section, as the section
    # page does; kept in production); the newest ids; the articles, their renditions, tags
    # and authors.
    with django_assert_max_num_queries(7):
        assert len(fetch(client, url).entries) == count


def test_tag_feed_of_a_tag_only_drafts_carry_answers_404_like_the_tag_page(client, politics):
    ArticleFactory(section=politics, draft=True).tags.add("Resignation scoop")
    ArticleFactory(section=politics, future=True).tags.add("Resignation scoop")
    assert client.get("/tags/resignation-scoop/").status_code == 404
    assert client.get("/feeds/tags/resignation-scoop/rss/").status_code == 404
    assert client.get("/feeds/tags/resignation-scoop/atom/").status_code == 404


def test_tag_feed_of_a_tag_a_live_article_also_carries_lists_only_that_one(client, politics):
    ArticleFactory(section=politics, draft=True, headline="Minister to resign").tags.add(
        "Resignation scoop"
    )
    ArticleFactory(section=politics, headline="Budget passes").tags.add("Resignation scoop")
    feed = fetch(client, "/feeds/tags/resignation-scoop/rss/")
    assert [entry.title for entry in feed.entries] == ["Budget passes"]
