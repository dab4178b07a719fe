"""Search engines and link previews read a title, description, canonical URL, OpenGraph and
Twitter tags on every page, and schema.org structured data on articles and sections."""

import json
from datetime import datetime, timedelta
from html.parser import HTMLParser

import pytest

from articles.models import Source
from articles.photos import renditions
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

CREDIT = "EPA/PHOTOGRAPHER NAME / SPUTNIK / KREMLIN POOL MANDATORY CREDIT Dostawca: PAP/EPA."


class HeadReader(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta, self.links, self.json_ld, self.title = [], [], [], ""
        self._in = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            self.meta.append((attrs.get("property") or attrs.get("name"), attrs.get("content")))
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in = "json_ld"
            self.json_ld.append("")
        elif tag == "title":
            self._in = "title"

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "json_ld":
            self.json_ld[-1] += data
        elif self._in == "title":
            self.title += data


def read(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    reader = HeadReader()
    reader.feed(response.content.decode())
    reader.structured = [json.loads(text) for text in reader.json_ld]
    reader.tags = {}
    for key, value in reader.meta:
        reader.tags.setdefault(key, []).append(value)
    return reader


def one(reader, key):
    assert len(reader.tags.get(key, [])) == 1, (key, reader.tags.get(key))
    return reader.tags[key][0]


def canonical(reader):
    (link,) = [link["href"] for link in reader.links if link.get("rel") == "canonical"]
    return link


@pytest.fixture
def tagged_wire_article(wire_article):
    wire_article.tags.add("Kremlin", "Diplomacy")
    Source.objects.filter(name="Reuters").update(url="https://www.reuters.com/")
    return wire_article


def page_urls(article):
    return {
        "front page": "/",
        "section": "/politics/",
        "article": article.get_absolute_url(),
        "search": "/search/?q=kremlin",
        "tag": "/tags/kremlin/",
        "author": "/authors/anna-nowak/",
    }


@pytest.mark.parametrize("page", ["front page", "section", "article", "search", "tag", "author"])
def test_every_page_has_title_description_canonical_and_social_tags(
    client, tagged_wire_article, page
):
    tagged_wire_article.authors.add(
        UserFactory(username="anna", first_name="Anna", last_name="Nowak")
    )
    url = page_urls(tagged_wire_article)[page]
    reader = read(client, url)
    assert reader.title.strip().endswith("The Daily Wire")
    assert one(reader, "description")
    assert canonical(reader).startswith("http://testserver/")
    assert one(reader, "og:title")
    assert one(reader, "og:description")
    assert one(reader, "og:url") == canonical(reader)
    assert one(reader, "og:site_name") == "The Daily Wire"
    assert one(reader, "twitter:card") in {"summary", "summary_large_image"}
    assert one(reader, "twitter:title") == one(reader, "og:title")


def test_canonical_url_keeps_page_and_query_only(client, politics, settings):
    for _ in range(settings.NEWSROOM_SECTION_PAGE_SIZE + 1):
        ArticleFactory(section=politics)
    older = client.get("/politics/?page=2")["Location"]
    assert canonical(read(client, f"{older}&utm_source=x")) == f"http://testserver{older}"
    assert canonical(read(client, "/politics/?utm_source=x")) == "http://testserver/politics/"
    assert canonical(read(client, "/search/?q=budget&utm_source=x")) == (
        "http://testserver/search/?q=budget"
    )


def test_article_has_opengraph_article_tags(client, tagged_wire_article):
    reader = read(client, tagged_wire_article.get_absolute_url())
    photo = tagged_wire_article.photo
    assert one(reader, "og:type") == "article"
    assert one(reader, "og:title") == "Kremlin talks end without agreement"
    assert one(reader, "og:description") == "Negotiators left after six hours."
    wide = f"http://testserver{renditions.largest(photo, '16:9').file.url}"
    assert reader.tags["og:image"][0] == wide
    assert "/media/photos/" not in str(reader.tags["og:image"])
    assert set(reader.tags["og:image:alt"]) == {"Two delegations seated at a long table"}
    assert reader.tags["og:image:width"][0] == "640"
    published = datetime.fromisoformat(one(reader, "article:published_time"))
    assert published == tagged_wire_article.publish_at
    assert one(reader, "article:section") == "Politics"
    assert sorted(reader.tags["article:tag"]) == ["Diplomacy", "Kremlin"]
    modified = datetime.fromisoformat(one(reader, "article:modified_time"))
    assert modified == tagged_wire_article.last_modified
    assert one(reader, "twitter:card") == "summary_large_image"
    assert one(reader, "twitter:image") == wide


def test_article_json_ld_is_a_news_article_with_credit_sources_and_publisher(
    client, tagged_wire_article
):
    tagged_wire_article.authors.add(
        UserFactory(username="anna", first_name="Anna", last_name="Nowak")
    )
    tagged_wire_article.byline = ""  # no printed byline: the staff author is credited
    tagged_wire_article.save()
    reader = read(client, tagged_wire_article.get_absolute_url())
    (data,) = [item for item in reader.structured if item["@type"] == "NewsArticle"]
    url = f"http://testserver{tagged_wire_article.get_absolute_url()}"
    assert data["@context"] == "https://schema.org"
    assert data["headline"] == "Kremlin talks end without agreement"
    assert data["url"] == url
    assert data["mainEntityOfPage"]["@id"] == url
    assert data["datePublished"].startswith(tagged_wire_article.publish_at.strftime("%Y-%m-%dT"))
    modified = datetime.fromisoformat(data["dateModified"])  # JSON keeps milliseconds
    assert abs(modified - tagged_wire_article.last_modified) < timedelta(milliseconds=1)
    assert data["author"] == [
        {"@type": "Person", "name": "Anna Nowak", "url": "http://testserver/authors/anna-nowak/"}
    ]
    assert data["publisher"]["@type"] == "NewsMediaOrganization"
    assert data["publisher"]["name"] == "The Daily Wire"
    assert data["publisher"]["logo"]["url"] == "http://testserver/static/img/logo.png"
    assert data["articleSection"] == "Politics"
    assert data["isAccessibleForFree"] is True
    assert sorted(data["keywords"]) == ["Diplomacy", "Kremlin"]
    assert data["isBasedOn"] == [
        {"@type": "CreativeWork", "name": "abcnews.go.com"},
        {"@type": "CreativeWork", "name": "Reuters", "url": "https://www.reuters.com/"},
    ]
    shapes = [round(image["width"] / image["height"], 2) for image in data["image"]]
    assert shapes == [round(16 / 9, 2), round(4 / 3, 2), 1.0]
    photo = tagged_wire_article.photo
    assert (
        data["image"][0]["url"] == f"http://testserver{renditions.largest(photo, '16:9').file.url}"
    )
    for image in data["image"]:
        assert image["@type"] == "ImageObject"
        assert "/renditions/" in image["url"]
        assert image["creditText"] == CREDIT
        assert image["copyrightNotice"] == CREDIT
        assert image["width"] * image["height"] >= 50_000


def test_json_ld_credits_the_printed_byline_as_the_page_does(client, wire_article):
    wire_article.authors.add(UserFactory(username="anna"))
    reader = read(client, wire_article.get_absolute_url())
    (data,) = [item for item in reader.structured if item["@type"] == "NewsArticle"]
    assert data["author"] == [{"@type": "Person", "name": "Staff and wire reports"}]


def test_json_ld_cannot_be_broken_out_of_by_a_headline(client, politics):
    article = ArticleFactory(
        section=politics, headline="</script><script>alert(1)</script> & more"
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert "</script><script>alert(1)" not in html
    reader = read(client, article.get_absolute_url())
    (data,) = [item for item in reader.structured if item["@type"] == "NewsArticle"]
    assert data["headline"] == "</script><script>alert(1)</script> & more"


def test_section_page_carries_breadcrumbs(client, politics):
    ArticleFactory(section=politics)
    reader = read(client, "/politics/")
    (data,) = reader.structured
    assert data["@type"] == "BreadcrumbList"
    assert [
        (item["position"], item["name"], item["item"]) for item in data["itemListElement"]
    ] == [
        (1, "The Daily Wire", "http://testserver/"),
        (2, "Politics", "http://testserver/politics/"),
    ]


def test_article_without_photo_has_no_image_tags(client, politics):
    article = ArticleFactory(section=politics, photo=None)
    reader = read(client, article.get_absolute_url())
    assert "og:image" not in reader.tags
    assert one(reader, "twitter:card") == "summary"
    (data,) = [item for item in reader.structured if item["@type"] == "NewsArticle"]
    assert "image" not in data


def test_not_found_page_has_a_title_and_description_but_no_canonical(client):
    response = client.get("/politics/1-nothing/")
    assert response.status_code == 404
    reader = HeadReader()
    reader.feed(response.content.decode())
    assert "Page not found" in reader.title
    assert not [link for link in reader.links if link.get("rel") == "canonical"]
