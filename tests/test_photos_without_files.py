"""A wire picture known only by the agency's URL has no file yet: no page may break on it."""

import pytest
from django.urls import reverse

from articles.models import Article, Photo
from articles.wire.files import ingest_file
from tests.factories import ArticleFactory, PhotoFactory
from tests.wire import ingest_ninjs, ninjs

pytestmark = pytest.mark.django_db

NO_IMAGE_YET = "No image yet"


@pytest.fixture
def wire_picture_without_file(wire_samples):
    """TT's text item with a picture that comes as the agency's URL only."""
    ingest_file(wire_samples / "ninjs" / "examples" / "3.0_tt_text_image_3.json")
    photo = Photo.objects.get()
    assert not photo.image
    return photo


def test_admin_lists_show_a_placeholder_for_a_photo_without_a_file(
    editor_client, wire_picture_without_file
):
    for url in (
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_photo_changelist"),
    ):
        response = editor_client.get(url)
        assert response.status_code == 200, url
        assert NO_IMAGE_YET in response.content.decode(), url


def test_change_pages_say_the_photo_has_no_image_yet(editor_client, wire_picture_without_file):
    photo = wire_picture_without_file
    article = Article.objects.get()
    for url in (
        reverse("admin:articles_photo_change", args=[photo.pk]),
        reverse("admin:articles_article_change", args=[article.pk]),
    ):
        response = editor_client.get(url)
        assert response.status_code == 200, url
        assert NO_IMAGE_YET in response.content.decode(), url


@pytest.fixture
def live_article_whose_photo_lost_its_file(politics):
    photo = PhotoFactory(caption="Sopot pier at dawn")
    article = ArticleFactory(section=politics, headline="Sopot pier reopens", photo=photo)
    # Published with its file; the file is gone since (a wire rendition not fetched yet).
    Photo.objects.filter(pk=photo.pk).update(image="", content_hash="")
    return article


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/politics/",
        "/feeds/rss/",
        "/feeds/atom/",
        "/feeds/sections/politics/rss/",
        "/api/articles/",
        "/sitemap.xml",
        "/sitemap-articles.xml",
        "/sitemap-news.xml",
        "/search/?q=sopot",
    ],
)
def test_public_pages_leave_out_a_photo_without_a_file(
    client, live_article_whose_photo_lost_its_file, url
):
    response = client.get(url)
    assert response.status_code == 200
    assert "/media/renditions/" not in response.content.decode()


def test_article_page_and_api_leave_out_a_photo_without_a_file(
    client, live_article_whose_photo_lost_its_file
):
    article = live_article_whose_photo_lost_its_file
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sopot pier reopens" in html
    assert "Sopot pier at dawn" not in html  # no caption under a missing picture
    assert '"image"' not in html  # nor in JSON-LD
    detail = client.get(f"/api/articles/{article.pk}/")
    assert detail.status_code == 200
    assert "renditions" not in detail.content.decode()


PICTURE = {
    "uri": "urn:newsroom-test:picture:sejm",
    "type": "picture",
    "version": "1",
    "versioncreated": "2026-11-27T08:00:00Z",
    "headlines": [{"role": "main", "value": "The Sejm votes"}],
    "descriptions": [{"role": "caption", "value": "Posłowie głosują nad budżetem"}],
    "copyrightholder": "PAP",
    "renditions": [
        {"href": "https://pap.example/sejm.jpg", "contenttype": "image/jpeg", "width": 1600}
    ],
}


def test_a_picture_inside_a_text_item_and_then_alone_is_one_photo(politics):
    ingest_ninjs(ninjs(associations=[PICTURE]))
    ingest_ninjs(PICTURE)
    assert Photo.objects.count() == 1
    assert Article.objects.get().photo == Photo.objects.get()


def test_a_picture_alone_and_then_inside_a_text_item_is_one_photo(politics):
    ingest_ninjs(PICTURE)
    ingest_ninjs(ninjs(associations=[PICTURE]))
    assert Photo.objects.count() == 1
    assert Article.objects.get().photo == Photo.objects.get()


@pytest.mark.django_db(transaction=True)
def test_pictures_imported_before_photos_kept_guids_get_them_from_their_wire_items():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("articles", "0021_photo_wire_guid")]
    after = [("articles", "0022_photo_wire_guid_from_wire_items")]
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(before)
        apps = executor.loader.project_state(before).apps
        Photo_ = apps.get_model("articles", "Photo")
        alone = Photo_.objects.create(credit="PAP")
        uploaded = Photo_.objects.create(credit="Staff")
        apps.get_model("articles", "WireItem").objects.create(
            guid="urn:pap:pic:1", version="1", format="ninjs", photo=alone
        )
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        assert Photo.objects.get(pk=alone.pk).wire_guid == "urn:pap:pic:1"
        assert Photo.objects.get(pk=uploaded.pk).wire_guid == ""
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes("articles"))
