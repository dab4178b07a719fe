"""Addresses readers use: old links keep working, unpublished ones answer 404."""

import pytest
from django.core.cache import caches
from django.urls import set_script_prefix

from articles.models import Article
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


def test_article_url_has_section_and_slug(wire_article):
    assert wire_article.get_absolute_url() == (
        f"/politics/{wire_article.pk}-kremlin-talks-end-without-agreement/"
    )


def test_remembered_addresses_follow_the_script_prefix(wire_article):
    """Addresses are reversed once per process, but a site mounted under a prefix still
    gets its own."""
    plain = wire_article.get_absolute_url()
    set_script_prefix("/news/")
    try:
        assert wire_article.get_absolute_url() == f"/news{plain}"
        assert wire_article.section.get_absolute_url() == "/news/politics/"
    finally:
        set_script_prefix("/")
    assert wire_article.get_absolute_url() == plain


def test_changed_slug_redirects_old_url_permanently(client, wire_article):
    old_url = wire_article.get_absolute_url()
    wire_article.slug = "kremlin-talks-collapse"
    wire_article.save()
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == wire_article.get_absolute_url()
    assert client.get(response["Location"]).status_code == 200


def test_changed_section_redirects_old_url_permanently(client, wire_article, world):
    old_url = wire_article.get_absolute_url()
    wire_article.section = world
    wire_article.save()
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"].startswith("/world/")


def test_draft_answers_404(client, politics):
    article = ArticleFactory(section=politics, draft=True)
    assert client.get(article.get_absolute_url()).status_code == 404


def test_future_article_answers_404(client, politics):
    article = ArticleFactory(section=politics, future=True)
    assert client.get(article.get_absolute_url()).status_code == 404


def test_article_taken_back_to_draft_answers_404(client, wire_article):
    url = wire_article.get_absolute_url()
    wire_article.status = Article.Status.DRAFT
    wire_article.save()
    assert client.get(url).status_code == 404


def test_unknown_section_answers_404_with_the_site_page(client, politics):
    response = client.get("/no-such-section/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.parametrize("site_cache", [False, True])
def test_a_desk_inbox_has_no_section_page(client, settings, site_cache):
    settings.NEWSROOM_SITE_CACHE = site_cache
    caches["pages"].clear()
    SectionFactory(name="Wire", slug="wire", is_inbox=True)
    assert client.get("/wire/").status_code == 404
    caches["pages"].clear()


def test_wrong_id_answers_404(client, wire_article):
    assert client.get(f"/politics/{wire_article.pk + 100}-kremlin/").status_code == 404
