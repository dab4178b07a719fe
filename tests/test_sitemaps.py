"""Search engines and Google News find every published article through the sitemaps."""

import xml.etree.ElementTree as ET  # noqa: S405 (parses the site's own output)
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.public.sitemaps import ArticleSitemap
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)  # noqa: S314


def test_sitemap_index_links_section_and_article_sitemaps(client, wire_article):
    index = parse(client, "/sitemap.xml")
    locations = [loc.text for loc in index.findall("sm:sitemap/sm:loc", NS)]
    assert locations == [
        "http://testserver/sitemap-sections.xml",
        "http://testserver/sitemap-articles.xml",
    ]


def test_sitemap_index_dates_articles_by_their_latest_change(client, politics):
    now = timezone.now()
    ArticleFactory(section=politics, publish_at=now - timedelta(days=3))
    ArticleFactory(section=politics, publish_at=now - timedelta(days=1))
    ArticleFactory(section=politics, future=True)
    index = parse(client, "/sitemap.xml")
    lastmods = [lastmod.text for lastmod in index.findall("sm:sitemap/sm:lastmod", NS)]
    assert datetime.fromisoformat(lastmods[-1]) == now - timedelta(days=1)


def test_article_sitemap_lists_published_articles_with_lastmod(client, wire_article):
    urls = parse(client, "/sitemap-articles.xml").findall("sm:url", NS)
    assert [url.find("sm:loc", NS).text for url in urls] == [
        f"http://testserver{wire_article.get_absolute_url()}"
    ]
    lastmod = urls[0].find("sm:lastmod", NS).text
    assert lastmod == timezone.localdate(wire_article.publish_at).isoformat()


def test_section_sitemap_lists_sections(client, politics, world):
    urls = parse(client, "/sitemap-sections.xml").findall("sm:url/sm:loc", NS)
    assert [url.text for url in urls] == [
        "http://testserver/politics/",
        "http://testserver/world/",
    ]


def test_large_sites_split_the_article_sitemap_into_pages(client, politics, monkeypatch):
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    now = timezone.now()
    for i in range(5):
        ArticleFactory(section=politics, publish_at=now - timedelta(hours=i + 1))
    index = parse(client, "/sitemap.xml")
    locations = [loc.text for loc in index.findall("sm:sitemap/sm:loc", NS)]
    assert locations[1:] == [
        "http://testserver/sitemap-articles.xml",
        "http://testserver/sitemap-articles.xml?p=2",
        "http://testserver/sitemap-articles.xml?p=3",
    ]
    assert len(parse(client, "/sitemap-articles.xml?p=3").findall("sm:url", NS)) == 1


def test_every_page_of_the_article_sitemap_is_dated_by_its_latest_change(
    client, politics, monkeypatch
):
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    now = timezone.now()
    for i in range(5):
        ArticleFactory(section=politics, publish_at=now - timedelta(hours=i + 1))
    entries = parse(client, "/sitemap.xml").findall("sm:sitemap", NS)
    article_pages = [
        entry.find("sm:lastmod", NS).text
        for entry in entries
        if "sitemap-articles" in entry.find("sm:loc", NS).text
    ]
    assert len(article_pages) == 3
    assert {datetime.fromisoformat(date) for date in article_pages} == {now - timedelta(hours=1)}


def test_news_sitemap_lists_the_last_two_days_with_publication_details(client, politics):
    now = timezone.now()
    fresh = ArticleFactory(
        section=politics, headline="Ministers & unions agree", publish_at=now - timedelta(hours=3)
    )
    ArticleFactory(section=politics, headline="Old news", publish_at=now - timedelta(days=3))
    urls = parse(client, "/sitemap-news.xml").findall("sm:url", NS)
    assert len(urls) == 1
    url = urls[0]
    assert url.find("sm:loc", NS).text == f"http://testserver{fresh.get_absolute_url()}"
    assert url.find("news:news/news:publication/news:name", NS).text == "The Daily Wire"
    assert url.find("news:news/news:publication/news:language", NS).text == "en"
    assert url.find("news:news/news:title", NS).text == "Ministers & unions agree"
    published = url.find("news:news/news:publication_date", NS).text
    assert datetime.fromisoformat(published) == fresh.publish_at


@pytest.mark.parametrize(
    "language_code, expected", [("en", "en"), ("en-gb", "en"), ("pl", "pl"), ("zh-TW", "zh-tw")]
)
def test_news_sitemap_names_the_language_as_google_news_expects(
    client, politics, settings, language_code, expected
):
    settings.LANGUAGE_CODE = language_code
    ArticleFactory(section=politics)
    language = parse(client, "/sitemap-news.xml").find(
        "sm:url/news:news/news:publication/news:language", NS
    )
    assert language.text == expected


def test_news_sitemap_holds_at_most_1000_articles(client, politics):
    from articles.models import Article

    now = timezone.now()
    Article.objects.bulk_create(
        Article(
            section=politics,
            headline=f"Flash {i}",
            slug=f"flash-{i}",
            status=Article.Status.PUBLISHED,
            publish_at=now - timedelta(minutes=i + 1),
        )
        for i in range(1005)
    )
    assert len(parse(client, "/sitemap-news.xml").findall("sm:url", NS)) == 1000


def test_robots_txt_names_both_sitemaps(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/sitemap-news.xml" in lines
    assert "Disallow: /admin/" in lines


@pytest.mark.parametrize("count", [3, 25])
@pytest.mark.parametrize("url", ["/sitemap-articles.xml", "/sitemap-news.xml", "/sitemap.xml"])
def test_sitemap_queries_do_not_grow_with_articles(
    client, politics, django_assert_max_num_queries, count, url
):
    from tests.test_query_counts import fill

    fill(politics, count)
    with django_assert_max_num_queries(3):
        assert client.get(url).status_code == 200


def test_a_deep_article_sitemap_page_reads_an_id_range_not_an_offset(
    client, politics, monkeypatch
):
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    articles = [ArticleFactory(section=politics) for _ in range(7)]
    ArticleFactory(section=politics, draft=True)
    with CaptureQueriesContext(connection) as queries:
        page = parse(client, "/sitemap-articles.xml?p=4")
    listed = [loc.text for loc in page.findall("sm:url/sm:loc", NS)]
    assert listed == [f"http://testserver{articles[6].get_absolute_url()}"]
    assert not any("OFFSET" in query["sql"].upper() for query in queries.captured_queries)
    assert not any('"body"' in query["sql"] for query in queries.captured_queries)
    assert client.get("/sitemap-articles.xml?p=5").status_code == 404
    assert client.get("/sitemap-articles.xml?p=x").status_code == 404
