"""Tags with Polish letters get ASCII addresses, whoever adds them, and never break a page."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from taggit.models import Tag

from tests.factories import ArticleFactory
from tests.wire import ingest_ninjs, ninjs

pytestmark = pytest.mark.django_db


def test_a_tag_typed_in_polish_gets_a_transliterated_slug(politics):
    ArticleFactory(section=politics).tags.add("Łódź", "Gdańsk żegluga")
    assert sorted(Tag.objects.values_list("slug", flat=True)) == ["gdansk-zegluga", "lodz"]


def test_a_polish_wire_subject_becomes_an_ascii_tag(politics):
    ingest_ninjs(ninjs(subjects=[{"name": "Wybory w Łodzi"}]))
    assert list(Tag.objects.values_list("name", "slug")) == [("Wybory w Łodzi", "wybory-w-lodzi")]


def test_polish_and_plain_spellings_of_a_tag_get_different_slugs(politics):
    article = ArticleFactory(section=politics)
    article.tags.add("Lodz")
    article.tags.add("Łódź")
    assert dict(Tag.objects.values_list("name", "slug")) == {"Lodz": "lodz", "Łódź": "lodz-2"}


def test_a_tag_of_only_punctuation_still_gets_an_address(politics):
    ArticleFactory(section=politics).tags.add("!!!")
    assert Tag.objects.get().slug == "tag"


def test_article_with_a_polish_tag_links_to_its_ascii_tag_page(client, politics):
    article = ArticleFactory(section=politics, headline="Łódź trams")
    article.tags.add("Łódź")
    other = ArticleFactory(section=politics, headline="Łódź buses")
    other.tags.add("Łódź")

    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert '<a href="/tags/lodz/">Łódź</a>' in response.content.decode()
    assert client.get("/").status_code == 200
    assert "Łódź trams" in client.get("/tags/lodz/").content.decode()
    assert client.get("/feeds/tags/lodz/rss/").status_code == 200


def test_old_unicode_tag_addresses_redirect_permanently(client, politics):
    ArticleFactory(section=politics).tags.add("Łódź")
    response = client.get("/tags/łódź/")
    assert (response.status_code, response["Location"]) == (301, "/tags/lodz/")
    response = client.get("/feeds/tags/łódź/rss/")
    assert (response.status_code, response["Location"]) == (301, "/feeds/tags/lodz/rss/")
    assert client.get("/tags/żaden/").status_code == 404


def test_old_unicode_address_finds_the_polish_tag_beside_a_plain_one(client, politics):
    article = ArticleFactory(section=politics)
    article.tags.add("Lodz")
    article.tags.add("Łódź")
    response = client.get("/tags/łódź/")
    assert (response.status_code, response["Location"]) == (301, "/tags/lodz-2/")


def test_a_tag_whose_slug_cannot_be_reversed_is_shown_without_a_link(client, politics):
    article = ArticleFactory(section=politics, headline="Sopot pier")
    article.tags.add("Sopot", "Gdańsk")
    # A slug written past the model, e.g. by a raw update or an old fixture.
    Tag.objects.filter(name="Gdańsk").update(slug="gdańsk")

    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert '<a href="/tags/sopot/">Sopot</a>' in html
    assert "Gdańsk" in html
    assert 'href="/tags/gda' not in html


@pytest.mark.django_db(transaction=True)
def test_existing_unicode_tag_slugs_are_transliterated_by_a_migration():
    executor = MigrationExecutor(connection)
    before = [("articles", "0019_grant_live_entry_permissions")]
    after = [("articles", "0020_transliterate_tag_slugs")]
    try:
        executor.migrate(before)
        apps = executor.loader.project_state(before).apps
        tags = apps.get_model("taggit", "Tag").objects
        tags.create(name="Lodz", slug="lodz")
        tags.create(name="Łódź", slug="łódź")
        tags.create(name="Kraków", slug="kraków")
        tags.create(name="Budget", slug="budget")

        executor = MigrationExecutor(connection)
        executor.migrate(after)
        assert dict(Tag.objects.values_list("name", "slug")) == {
            "Lodz": "lodz",
            "Łódź": "lodz-2",
            "Kraków": "krakow",
            "Budget": "budget",
        }
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes("articles"))
