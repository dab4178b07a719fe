"""The benchmark's generated newsroom is a real one: its pages show what readers would see."""

import pytest
from django.db import connection
from django.urls import reverse

from articles.models import Article, Photo
from articles.photos.storage import rendition_storage
from articles.public.search import index_article, search_articles
from bench.newsroom import generate, make_photos
from tests.factories import ArticleFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def newsroom(media_root):
    generate(articles=90, photos=2, tags=12, authors=3)


def test_generated_articles_are_published_in_every_section(newsroom, client):
    assert Article.objects.published().count() == 90
    page = client.get("/politics/")
    assert page.status_code == 200
    assert "Talks on the" in page.content.decode()


def test_a_generated_article_page_shows_its_byline_sources_and_tags(newsroom, client):
    article = Article.objects.published().order_by("-publish_at").first()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Reporter" in html and "Nowak" in html
    assert "Source:" in html
    assert "/tags/" in html


def test_generated_articles_are_found_by_search(newsroom, client):
    page = client.get(reverse("articles:search"), {"q": "negotiators"})
    assert page.context["page_obj"].paginator.count == 90


def search_rows():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid, headline, standfirst, byline_tags, body FROM article_fts ORDER BY rowid"
        )
        return cursor.fetchall()


def test_generated_search_rows_are_the_ones_the_indexer_writes(newsroom):
    if connection.vendor != "sqlite":
        pytest.skip("the FTS5 table is SQLite's; PostgreSQL's vectors are written with the rows")
    generated = search_rows()
    assert len(generated) == 90
    assert any("lodz" in row[3] for row in generated)  # a tag name, folded
    for article in Article.objects.all():
        index_article(article)
    assert search_rows() == generated


def test_generated_articles_are_found_by_any_form_of_their_words(newsroom):
    newest = Article.objects.order_by("-id").first()
    assert len(search_articles("negotiator")) == 90
    assert len(search_articles("bridging")) == 90
    assert [article.pk for article in search_articles(f"day {newest.pk}")] == [newest.pk]
    in_headline = set(
        Article.objects.filter(headline__contains="Łódź").values_list("pk", flat=True)
    )
    assert len(in_headline) == 6
    assert in_headline <= {article.pk for article in search_articles("lodz")}
    assert len(search_articles("zzzyzx")) == 0


def test_every_generated_author_has_articles_with_photos_and_without(newsroom):
    for author in {article.created_by for article in Article.objects.select_related("created_by")}:
        theirs = Article.objects.filter(authors=author)
        assert theirs.filter(photo__isnull=False).count() == 20, author
        assert theirs.filter(photo__isnull=True).count() == 10, author


def test_generating_twice_adds_to_the_archive_without_clashing(newsroom):
    generate(articles=10, photos=0, tags=12, authors=3)
    assert Article.objects.published().count() == 100
    assert Article.objects.values("slug").distinct().count() == 100


def test_a_photo_copied_from_an_encoded_picture_has_renditions_of_its_own(media_root, client):
    source = SourceFactory()
    first, second = (Photo.objects.get(pk=pk) for pk in make_photos(2, [source], distinct=1))
    names = [r.file.name for r in second.renditions.all()]
    assert len(names) == first.renditions.count() > 0
    assert all(f"/{second.pk}/" in name for name in names)
    assert all(rendition_storage().exists(name) for name in names)
    article = ArticleFactory(photo=second)
    html = client.get(article.get_absolute_url()).content.decode()
    assert f"/{second.pk}/" in html
    assert f"/{first.pk}/" not in html
