"""A feed's worth of new agency copy is written together: the same copy as one by one, in a
number of statements that does not grow with the number of items."""

import json
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, Photo, Revision, WireItem
from articles.wire.files import ingest_paths
from articles.wire.store import Outcome
from tests.factories import ArticleFactory, SectionFactory
from tests.wire import ingest_ninjs, ninjs

pytestmark = pytest.mark.django_db


def write_items(folder, count, start=0, **fields):
    for n in range(start, start + count):
        item = ninjs(
            uri=f"urn:test:batch-{n}",
            headlines=[{"role": "main", "value": f"Sejm debates the budget, part {n}"}],
            copyrightholder=["PAP", "Reuters"][n % 2],
            subjects=[{"name": "Politics"}, {"name": f"topic {n % 3}"}],
            **fields,
        )
        if n % 5 == 0:
            item["associations"] = [
                {
                    "name": "mainpic",
                    "uri": f"urn:test:batch-photo-{n}",
                    "type": "picture",
                    "descriptions": [{"role": "caption", "value": f"Deputies, picture {n}"}],
                    "renditions": [{"name": "main", "href": f"https://img.example/{n}.jpg"}],
                }
            ]
        (folder / f"{n:04d}.json").write_text(json.dumps(item))


def queries_to_import(folder):
    with CaptureQueriesContext(connection) as queries:
        outcomes = list(ingest_paths([folder]))
    assert {o.status for o in outcomes} == {Outcome.IMPORTED}
    return len(queries)


def test_importing_three_times_the_items_takes_no_more_statements(tmp_path):
    small, large = tmp_path / "small", tmp_path / "large"
    small.mkdir()
    large.mkdir()
    write_items(small, 10)
    write_items(large, 30, start=100)
    # Providers and tags are new to the first import only: warm them up with one item.
    ingest_ninjs(
        ninjs(uri="urn:test:warm", copyrightholder="PAP", subjects=[{"name": "Politics"}])
    )
    ingest_ninjs(
        ninjs(
            uri="urn:test:warm-2",
            copyrightholder="Reuters",
            subjects=[{"name": "topic 0"}, {"name": "topic 1"}, {"name": "topic 2"}],
        )
    )
    assert queries_to_import(small) == queries_to_import(large)
    assert Article.objects.count() == 42


def test_batch_imported_copy_is_the_desk_draft_with_tags_source_photo_and_history(
    tmp_path, admin_client
):
    write_items(tmp_path, 5)
    outcomes = list(ingest_paths([tmp_path]))
    assert [o.status for o in outcomes] == [Outcome.IMPORTED] * 5
    article = Article.objects.get(wire_items__guid="urn:test:batch-0")
    assert article.status == Article.Status.DRAFT
    assert article.headline == "Sejm debates the budget, part 0"
    assert article.slug == "sejm-debates-the-budget-part-0"
    assert sorted(article.tags.names()) == ["Politics", "topic 0"]
    assert [s.name for s in article.ordered_sources()] == ["PAP"]
    assert article.photo.caption == "Deputies, picture 0"
    assert article.photo.wire_guid == "urn:test:batch-photo-0"
    revision = Revision.objects.get(article=article)
    assert revision.summary.startswith("Imported from PAP (version 1)")
    assert revision.data["tags"] == ["Politics", "topic 0"]
    assert revision.data["sources"] == [article.ordered_sources()[0].pk]
    # The desk can open it, and importing the same files again changes nothing.
    page = admin_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert page.status_code == 200
    assert "Sejm debates the budget, part 0" in page.content.decode()
    again = list(ingest_paths([tmp_path]))
    assert [o.status for o in again] == [Outcome.UNCHANGED] * 5
    assert Article.objects.count() == 5
    assert Photo.objects.count() == 1


def test_batch_imported_copy_is_found_by_search_once_published(tmp_path, client):
    write_items(tmp_path, 3)
    list(ingest_paths([tmp_path]))
    Article.objects.update(
        status=Article.Status.PUBLISHED,
        publish_at=datetime(2026, 11, 27, 8, tzinfo=UTC),
        section=SectionFactory(),
    )
    page = client.get(reverse("articles:search"), {"q": "topic 2"})
    assert [a.headline for a in page.context["page_obj"]] == ["Sejm debates the budget, part 2"]


def test_a_broken_item_in_a_batch_fails_alone_with_its_reason(tmp_path):
    write_items(tmp_path, 4)
    (tmp_path / "0002.json").write_text(json.dumps(ninjs(uri="urn:test:batch-2", headlines=[])))
    outcomes = list(ingest_paths([tmp_path]))
    assert [o.status for o in outcomes] == [
        Outcome.IMPORTED,
        Outcome.IMPORTED,
        Outcome.FAILED,
        Outcome.IMPORTED,
    ]
    assert outcomes[2].file.endswith("0002.json")
    assert outcomes[2].reason == "the text item has no headline"
    assert WireItem.objects.count() == 3


def test_the_same_headline_twice_in_a_batch_gets_two_addresses(tmp_path):
    for n in range(3):
        item = ninjs(uri=f"urn:test:same-{n}")
        (tmp_path / f"{n}.json").write_text(json.dumps(item))
    ArticleFactory(headline="Sejm passes the budget", slug="sejm-passes-the-budget")
    list(ingest_paths([tmp_path]))
    assert sorted(Article.objects.values_list("slug", flat=True)) == [
        "sejm-passes-the-budget",
        "sejm-passes-the-budget-2",
        "sejm-passes-the-budget-3",
        "sejm-passes-the-budget-4",
    ]


def test_a_new_version_in_the_same_batch_updates_the_draft_it_follows(tmp_path):
    first = ninjs(uri="urn:test:twice")
    second = ninjs(
        uri="urn:test:twice",
        version="2",
        headlines=[{"role": "main", "value": "Sejm passes the amended budget"}],
    )
    (tmp_path / "1.json").write_text(json.dumps(first))
    (tmp_path / "2.json").write_text(json.dumps(second))
    outcomes = list(ingest_paths([tmp_path]))
    assert [o.status for o in outcomes] == [Outcome.IMPORTED, Outcome.UPDATED]
    assert Article.objects.get().headline == "Sejm passes the amended budget"


def test_hostile_html_in_a_batch_is_stored_sanitised(tmp_path):
    payload = '<p>Vote</p><script>alert(1)</script><img src=x onerror="alert(2)">'
    write_items(
        tmp_path, 2, bodies=[{"role": "html", "contenttype": "text/html", "value": payload}]
    )
    list(ingest_paths([tmp_path]))
    for article in Article.objects.all():
        assert "<script" not in article.body and "onerror" not in article.body
        assert "Vote" in article.body
    for record in WireItem.objects.all():
        assert "<script" not in record.body and "onerror" not in record.body
