"""Every import says who made it, every change it makes keeps a revision, and a file's
claimed agency never outranks the person who uploaded it."""

import json
from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article, FeedEntry, WireItem
from tests.factories import SourceFactory
from tests.wire import ingest_ninjs, ninjs

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:articles_wireitem_import")


def upload(client, item, name="budget.json"):
    file = SimpleUploadedFile(name, json.dumps(item).encode(), "application/json")
    return client.post(IMPORT, {"files": [file]})


def ingest_command(tmp_path, item, name="budget.json"):
    (tmp_path / name).write_text(json.dumps(item))
    call_command("ingest", str(tmp_path / name), stdout=StringIO(), stderr=StringIO())


def test_an_uploaded_file_records_the_journalist_who_uploaded_it(journalist_client, journalist):
    assert upload(journalist_client, ninjs()).status_code == 200

    record = WireItem.objects.get()
    assert record.imported_by == journalist
    assert record.get_imported_via_display() == "admin upload"
    revision = record.article.revisions.get()
    assert revision.created_by == journalist
    assert revision.summary == "Imported from PAP (version 1), uploaded by jola"


def test_the_ingest_command_records_itself_as_the_importer(tmp_path):
    ingest_command(tmp_path, ninjs())

    record = WireItem.objects.get()
    assert record.imported_by is None
    assert record.get_imported_via_display() == "manage.py ingest"
    revision = record.article.revisions.get()
    assert revision.created_by is None
    assert revision.summary == "Imported from PAP (version 1) by manage.py ingest"


def test_a_newer_version_that_rewrites_the_draft_keeps_the_earlier_text_as_a_revision(
    tmp_path,
):
    ingest_command(tmp_path, ninjs())
    ingest_command(tmp_path, ninjs(version="2", headlines=[{"value": "Budget passes, 240-200"}]))

    article = Article.objects.get()
    assert article.headline == "Budget passes, 240-200"
    headlines = [r.data["headline"] for r in article.revisions.order_by("created_at", "id")]
    assert headlines == ["Sejm passes the budget", "Budget passes, 240-200"]
    assert article.revisions.first().summary.startswith("Updated from PAP (version 2)")


def test_a_forged_newer_version_uploaded_by_a_journalist_does_not_replace_agency_copy(
    tmp_path, journalist_client, editor_client
):
    ingest_command(tmp_path, ninjs())
    forged = ninjs(version="99", headlines=[{"value": "Government resigns"}])

    response = upload(journalist_client, forged)

    assert "flagged update" in response.content.decode()
    article = Article.objects.get()
    assert article.headline == "Sejm passes the budget"
    assert article.revisions.count() == 1
    flagged = article.wire_items.get(flagged_update=True)
    assert flagged.imported_by.username == "jola"
    page = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert "v99 claimed from PAP, imported by jola (admin upload)" in page.content.decode()


def test_the_same_person_uploading_the_next_version_updates_their_own_import(
    journalist_client,
):
    upload(journalist_client, ninjs())
    upload(journalist_client, ninjs(version="2", headlines=[{"value": "Budget passes"}]))
    assert Article.objects.get().headline == "Budget passes"


def test_the_wire_items_list_shows_who_imported_each_version(
    tmp_path, journalist_client, admin_client
):
    ingest_command(tmp_path, ninjs())
    upload(journalist_client, ninjs(uri="urn:test:other"))

    page = admin_client.get(reverse("admin:articles_wireitem_changelist"))

    assert page.status_code == 200
    text = page.content.decode()
    assert "jola (admin upload)" in text
    assert "manage.py ingest" in text


def test_a_draft_made_from_a_feed_entry_names_who_made_it(journalist_client, journalist):
    # The feed inbox is a desk of its own: this journalist has been given it.
    journalist.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_feedentry", "change_feedentry"])
    )
    entry = FeedEntry.objects.create(
        source=SourceFactory(name="Notes from Gdańsk"), guid="urn:feed:1", title="Port strike"
    )
    journalist_client.post(reverse("admin:articles_feedentry_create_draft"), {"entry": entry.pk})
    record = WireItem.objects.get()
    assert record.imported_by == journalist
    assert record.get_imported_via_display() == "feed inbox"
    assert record.article.revisions.get().created_by == journalist


def test_a_plain_import_still_updates_a_draft_nobody_touched():
    """ingest_bytes without a person is the command's path, as in the benchmark."""
    ingest_ninjs(ninjs())
    ingest_ninjs(ninjs(version="2", headlines=[{"value": "Budget passes"}]))
    assert Article.objects.get().headline == "Budget passes"
