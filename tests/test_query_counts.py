"""Every public page costs a constant number of queries, however much it lists."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from articles.public import keyset
from tests.factories import (
    ArticleFactory,
    PhotoFactory,
    SectionFactory,
    SourceFactory,
    UserFactory,
    published_front,
)

pytestmark = pytest.mark.django_db


def fill(section, count):
    now = timezone.now()
    for i in range(count):
        article = ArticleFactory(
            section=section, publish_at=now - timedelta(minutes=i + 1), photo=PhotoFactory()
        )
        article.tags.add(f"tag-{i}", "budget")
        for position in range(3):
            source = SourceFactory(name=f"Agency {position}")
            article.source_links.create(source=source, position=position)


@pytest.mark.parametrize("count", [3, 25])
def test_front_page_queries_do_not_grow_with_articles(
    client, django_assert_max_num_queries, count
):
    for _ in range(4):
        fill(SectionFactory(), count)
    # Navigation, banner, front slots, latest, section blocks, every photo's renditions.
    with django_assert_max_num_queries(6):
        assert client.get("/").status_code == 200


@pytest.mark.parametrize("count", [3, 25])
def test_front_page_with_a_full_front_costs_what_an_empty_one_does(
    client, django_assert_max_num_queries, count
):
    for _ in range(4):
        fill(SectionFactory(), count)
    published_front(list(Article.objects.all()[:count]), photo=PhotoFactory())
    with django_assert_max_num_queries(6):
        page = client.get("/").content.decode()
    assert page.count('class="card card-lead"') == 1


@pytest.mark.parametrize("count", [3, 25])
def test_section_page_queries_do_not_grow_with_articles(
    client, politics, django_assert_max_num_queries, count
):
    fill(politics, count)
    published_front(list(Article.objects.all()[:count]), section=politics, photo=PhotoFactory())
    # Navigation (the section is one of it), banner, its front's slots, count, page, renditions.
    with django_assert_max_num_queries(6):
        assert client.get("/politics/").status_code == 200


@pytest.mark.parametrize("count", [3, 25])
def test_article_page_queries_do_not_grow_with_articles(
    client, wire_article, django_assert_max_num_queries, count
):
    fill(wire_article.section, count)
    wire_article.tags.add("kremlin", "diplomacy", "talks")
    for article in Article.objects.exclude(pk=wire_article.pk)[:5]:
        article.tags.add("kremlin")
    # Eleven for the page, one for the breaking-news banner.
    with django_assert_max_num_queries(12):
        assert client.get(wire_article.get_absolute_url()).status_code == 200


def plan(queryset):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Statistics of this test's rows (ANALYZE counts its own transaction's), not of
            # whatever earlier tests left when autovacuum last looked: with those, the
            # status index filtering by section could cost the planner as little.
            cursor.execute("ANALYZE articles_article")
            # Tiny test tables would be scanned and sorted anyway; ask what the planner can
            # use to serve the order.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
            return queryset.explain()
    return queryset.explain()


def test_section_listing_is_served_by_the_section_index(politics, world):
    fill(politics, 3)
    fill(world, 12)
    queryset = Article.objects.published().filter(section=politics).for_listing()[:20]
    explained = plan(queryset)
    assert "article_section_publish_idx" in explained
    assert "TEMP B-TREE" not in explained.upper()


def test_more_in_block_is_served_by_the_section_index(wire_article, world):
    fill(wire_article.section, 3)
    fill(world, 12)
    explained = plan(Article.section_newest(wire_article.section_id, 6))
    assert "article_section_publish_idx" in explained
    assert "TEMP B-TREE" not in explained.upper()


def test_latest_articles_are_served_by_the_status_index(politics):
    fill(politics, 3)
    explained = plan(Article.objects.published().for_listing()[:10])
    assert "article_status_publish_idx" in explained


# Every public page type, with a newsroom of `count` articles a section: the same number of
# queries whatever `count` is. The breaking-news banner costs one query on every HTML page.
def newsroom(count):
    """Two sections of `count` articles, tagged "budget" and written by one journalist."""
    writer = UserFactory(username="anna", first_name="Anna", last_name="Nowak")
    photos = [PhotoFactory() for _ in range(4)]
    source = SourceFactory(name="PAP")
    now = timezone.now()
    for section in (SectionFactory(name="Politics", slug="politics"), SectionFactory()):
        for i in range(count):
            article = ArticleFactory(
                section=section,
                publish_at=now - timedelta(minutes=i + 1),
                photo=photos[i % len(photos)],
            )
            article.tags.add(f"tag-{i}", "budget")
            article.authors.add(writer)
            article.source_links.create(source=source, position=0)
    return writer


def deep_section_page(client):
    """A section page reached by following "Older stories" twice, as readers get there."""
    url = "/politics/"
    for _ in range(2):
        html = client.get(url).content.decode()
        url = "/politics/?" + re.search(r'href="\?(before=[^"]+)" rel="next"', html).group(1)
    return url


def public_pages(client, writer):
    article = Article.objects.filter(section__slug="politics").first()
    return {
        "front": "/",
        "section": "/politics/",
        "deep section": deep_section_page(client),
        "article": article.get_absolute_url(),
        "tag": "/tags/budget/",
        "author": writer.author_profile.get_absolute_url(),
        "search": "/search/?q=budget",
        "rss": "/feeds/sections/politics/rss/",
        "sitemap": "/sitemap-articles.xml",
        "api list": "/api/articles/",
        "api detail": f"/api/articles/{article.pk}/",
    }


# Navigation and the banner on every HTML page; then the page's own queries. The article
# page asks whether the article is published, then reads it (with whether it has
# corrections), its photo's renditions, sources, tags, authors with profiles, "More in" (its
# section's newest) and "Related".
QUERIES = {
    "front": 6,  # + front slots, latest, section blocks, renditions
    "section": 5,  # + its front's slots, one keyset page, renditions (the section: navigation)
    "deep section": 5,  # the same, from a cursor: no count, no OFFSET
    "article": 10,
    "tag": 7,  # + tag, archive and tag sizes (which plan lists it), keyset page, renditions
    "author": 5,  # + profile, one keyset page, renditions
    "search": 5,  # + bounded count, page, renditions
    "rss": 7,  # navigation and banner (the section), newest ids, their articles, renditions,
    # tags, authors with profiles
    "sitemap": 2,  # id bounds, one id range
    "api list": 8,  # ETag state and count in one aggregate, the page's ids, its articles
    "api detail": 6,  # the article's dates (its ETag), then the article with prefetches
}


def test_a_corrected_article_costs_one_query_more_and_shows_its_corrections(client, editor):
    writer = newsroom(45)
    article_url = public_pages(client, writer)["article"]
    article = Article.objects.get(pk=int(re.search(r"/(\d+)-", article_url).group(1)))
    article.corrections.create(text="An earlier version gave the wrong date.", created_by=editor)
    article.corrections.create(text="The minister is called Anna Nowak.", created_by=editor)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(article_url).content.decode()
    assert len(queries.captured_queries) == QUERIES["article"] + 1
    assert html.index("An earlier version gave the wrong date.") < html.index(
        "The minister is called Anna Nowak."
    )


def on_this_database(queries):
    """On SQLite, search first reads where its window of the newest matches by id starts,
    then the window's published articles (articles.public.search._sqlite_newest_matches):
    two more. (A third looks for stories published late when the window is full.)"""
    if connection.vendor == "sqlite":
        return {**queries, "search": queries["search"] + 2}
    return queries


def queries_spent(client, pages):
    """{page: the queries one reader's request of it made}."""
    spent = {}
    for page, url in pages.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        spent[page] = len(queries.captured_queries)
    return spent


@pytest.mark.parametrize("count", [45, 65])
def test_every_public_page_costs_the_same_queries_at_any_size(client, count):
    assert queries_spent(client, public_pages(client, newsroom(count))) == on_this_database(
        QUERIES
    )


@pytest.mark.parametrize(
    "page", ["front", "section", "deep section", "tag", "author", "search", "rss", "sitemap"]
)
def test_listing_pages_never_read_an_article_body(client, page):
    url = public_pages(client, newsroom(45))[page]
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    # Search reads the start of each body for its snippets, as SUBSTR(body, ...) or LEFT(...).
    whole_body = re.compile(r'(?<!\()"articles_article"\."body"')
    assert [q["sql"] for q in queries.captured_queries if whole_body.search(q["sql"])] == []


def test_an_older_stories_page_is_served_by_the_section_index(politics, world):
    fill(politics, 3)
    fill(world, 12)
    newest = Article.objects.published().filter(section=politics).first()
    listing = Article.objects.published().filter(section=politics).for_cards()
    explained = plan(keyset.older_than(listing, newest.publish_at, newest.pk)[:21])
    assert "article_section_publish_idx" in explained
    assert "TEMP B-TREE" not in explained.upper()
    assert "OFFSET" not in str(keyset.older_than(listing, newest.publish_at, newest.pk)[:21].query)


def test_related_walks_each_tag_newest_first_along_its_index(wire_article):
    """A tag on 100,000 articles: its newest are read in index order, never all sorted."""
    fill(wire_article.section, 3)
    wire_article.tags.add("budget", "kremlin")
    explained = plan(wire_article.related())
    assert "articles_taggeditem_newest_idx" in explained


# As in production once readers have been by (NEWSROOM_SITE_CACHE): the navigation and
# banner are kept, two queries fewer on every HTML page; and so are the cards, so a listing
# whose cards are all kept reads no renditions. None fewer on the other pages.
QUERIES_WITH_SITE_CACHE = {
    "front": 1,  # latest: the front's slots and each section's newest are kept
    "section": 1,  # one keyset page: the section is the navigation's, its front's slots kept
    "deep section": 1,
    "article": 1,  # whether it is published: the article, "More in" and "Related" are kept
    "tag": 4,  # tag, archive and tag sizes, keyset page
    "author": 2,  # profile, keyset page
    "search": 3,  # search results show the reader's words: their cards are drawn each time
    "rss": 1,  # newest ids: the section is the navigation's, each item is kept
    "sitemap": 2,
    "api list": 1,  # the page's ids: the count, ETag state and each article's NINJS are kept
    "api detail": 1,  # its dates: its NINJS is kept
}


@pytest.mark.parametrize("count", [45, 65])
def test_with_the_site_cache_every_page_costs_fewer_queries(client, settings, count):
    settings.NEWSROOM_SITE_CACHE = True
    caches["pages"].clear()
    pages = public_pages(client, newsroom(count))
    # Time stands still: the minutely re-read of the next scheduled change (three queries,
    # whichever page comes first after a minute) is not what this counts.
    with time_machine.travel(timezone.now(), tick=False):
        queries_spent(client, pages)  # readers have been by
        spent = queries_spent(client, pages)
    caches["pages"].clear()
    assert spent == on_this_database(QUERIES_WITH_SITE_CACHE)


def test_the_front_pages_section_blocks_are_served_by_the_section_index(politics, world):
    fill(politics, 3)
    fill(world, 3)
    explained = plan(Article.objects.published().newest_per_section([politics, world], 4))
    assert "article_section_publish_idx" in explained
    assert "TEMP B-TREE" not in explained.upper()


def test_a_large_tags_page_reads_the_archive_newest_first(politics, monkeypatch):
    """A tag on a tenth of a million articles: no sort of all of them for 20 cards."""
    from taggit.models import Tag

    from articles import querysets

    fill(politics, 3)
    monkeypatch.setattr(querysets, "LISTING_READS", 0)
    budget = Tag.objects.get(name="budget")
    explained = plan(Article.objects.published().tagged(budget).for_listing()[:21])
    assert "article_status_publish_idx" in explained
    assert "TEMP B-TREE" not in explained.upper()
