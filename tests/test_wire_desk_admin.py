"""The desk imports wire files from the admin and sees what each item became."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article, FeedEntry, Photo, Source
from tests.factories import SourceFactory, UserFactory
from tests.wire import ingest_ninjs, ninjs

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:articles_wireitem_import")


def upload(name, content):
    return SimpleUploadedFile(name, content if isinstance(content, bytes) else content.encode())


def test_upload_page_imports_files_and_reports_each_item(admin_client, wire_samples):
    files = [
        upload("budget.json", json.dumps(ninjs())),
        upload(
            "photo.xml", (wire_samples / "newsml-g2/LISTING_3_Photo_in_NewsML-G2.xml").read_bytes()
        ),
        upload("broken.json", '{"uri": "urn:x", "headlines": 5}'),
    ]
    response = admin_client.post(IMPORT, {"files": files})
    assert response.status_code == 200
    report = [(o.status, o.file, o.item) for o in response.context["outcomes"]]
    assert report == [
        ("imported", "budget.json", "urn:newsroom-test:budget"),
        ("imported", "photo.xml", "tag:gettyimages.com,2010:GYI0062134533"),
        ("failed", "broken.json", "urn:x"),
    ]
    page = response.content.decode()
    assert "1 failed" in page
    assert "headlines must be a list of objects" in page
    article = Article.objects.get()
    assert reverse("admin:articles_article_change", args=[article.pk]) in page
    assert Photo.objects.get().credit == "Getty Images"


def test_uploading_the_same_file_again_reports_unchanged(admin_client):
    admin_client.post(IMPORT, {"files": [upload("a.json", json.dumps(ninjs()))]})
    response = admin_client.post(IMPORT, {"files": [upload("a.json", json.dumps(ninjs()))]})
    assert [o.status for o in response.context["outcomes"]] == ["unchanged"]
    assert Article.objects.count() == 1


def test_an_oversized_upload_is_refused_unread(admin_client, settings):
    settings.WIRE_MAX_FILE_BYTES = 100
    response = admin_client.post(IMPORT, {"files": [upload("big.json", json.dumps(ninjs()))]})
    [outcome] = response.context["outcomes"]
    assert outcome.status == "failed"
    assert "100-byte limit" in outcome.reason


def test_staff_without_permission_to_add_articles_cannot_import(client):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(IMPORT).status_code == 403


def test_wire_items_list_links_to_the_import_page(admin_client):
    response = admin_client.get(reverse("admin:articles_wireitem_changelist"))
    assert IMPORT in response.content.decode()


def test_flagged_update_shows_on_the_article_page(admin_client):
    [first] = ingest_ninjs(ninjs())
    first.article.headline = "Edited by the desk"
    first.article.save()
    ingest_ninjs(ninjs(version="2", headlines=[{"value": "Agency rewrite"}]))
    page = admin_client.get(
        reverse("admin:articles_article_change", args=[first.article.pk])
    ).content.decode()
    assert (
        "Flagged update:</strong> IPTC NINJS v2 claimed from PAP, imported by manage.py ingest"
        in page
    )
    assert "Agency rewrite" in page


def test_a_source_gets_a_feed_url_in_the_admin(admin_client):
    response = admin_client.post(
        reverse("admin:articles_source_add"),
        {"name": "Reuters", "url": "https://www.reuters.com/", "feed_url": "reuters.com/rss"},
    )
    assert response.status_code == 302
    assert Source.objects.get().feed_url == "https://reuters.com/rss"


def test_wire_items_list_costs_the_same_queries_for_many_items(
    admin_client, django_assert_max_num_queries
):
    ingest_ninjs(*[ninjs(uri=f"urn:test:{n}") for n in range(15)])
    ingest_ninjs(ninjs(uri="urn:test:pic", type="picture", by="Radek Pietruszka"))
    # Session, user, counts, the page, the date hierarchy and the filters: 8 for any number.
    with django_assert_max_num_queries(8):
        response = admin_client.get(reverse("admin:articles_wireitem_changelist"))
    assert response.content.decode().count("urn:test:") == 0  # headlines, not guids
    assert len(response.context["cl"].result_list) == 16


def test_feed_inbox_list_costs_the_same_queries_for_many_entries(
    admin_client, django_assert_max_num_queries
):
    source = SourceFactory(name="Reuters")
    for n in range(15):
        FeedEntry.objects.create(source=source, guid=f"g{n}", title=f"Entry {n}")
    with django_assert_max_num_queries(8):
        response = admin_client.get(reverse("admin:articles_feedentry_changelist"))
    assert response.content.decode().count("Create draft</button>") == 15
