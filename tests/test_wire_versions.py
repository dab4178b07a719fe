"""The same wire item twice changes nothing; a newer version never overwrites anyone's work."""

import pytest

from articles.models import Article, Photo, WireItem
from articles.wire.store import Outcome
from tests.wire import ingest_ninjs, ninjs

pytestmark = pytest.mark.django_db


def statuses(outcomes):
    return [outcome.status for outcome in outcomes]


def test_the_same_item_imported_twice_creates_nothing_new():
    assert statuses(ingest_ninjs(ninjs())) == [Outcome.IMPORTED]
    assert statuses(ingest_ninjs(ninjs())) == [Outcome.UNCHANGED]
    assert Article.objects.count() == 1
    assert WireItem.objects.count() == 1


def test_a_newer_version_updates_a_draft_nobody_touched():
    [first] = ingest_ninjs(ninjs())
    [second] = ingest_ninjs(
        ninjs(version="2", headlines=[{"value": "Sejm passes the budget after all-night session"}])
    )
    assert second.status == Outcome.UPDATED
    assert second.article == first.article
    article = Article.objects.get()
    assert article.headline == "Sejm passes the budget after all-night session"
    assert list(article.wire_items.values_list("version", "flagged_update")) == [
        ("2", False),
        ("1", False),
    ]


def test_a_newer_version_of_an_edited_draft_is_kept_beside_it_flagged():
    [first] = ingest_ninjs(ninjs())
    article = first.article
    article.headline = "Budget passes: what it means for you"
    article.save()

    [second] = ingest_ninjs(
        ninjs(version="2", headlines=[{"value": "Sejm passes budget, 240-200"}])
    )

    assert second.status == Outcome.FLAGGED
    article.refresh_from_db()
    assert article.headline == "Budget passes: what it means for you"
    flagged = article.wire_items.get(flagged_update=True)
    assert (flagged.version, flagged.headline) == ("2", "Sejm passes budget, 240-200")
    # The flagged version is remembered: importing it again changes nothing.
    assert statuses(ingest_ninjs(ninjs(version="2"))) == [Outcome.UNCHANGED]


def test_a_newer_version_of_a_published_article_never_changes_it():
    [first] = ingest_ninjs(ninjs())
    article = first.article
    article.status = Article.Status.PUBLISHED
    article.save()

    [second] = ingest_ninjs(ninjs(version="3", headlines=[{"value": "Changed by the agency"}]))

    assert second.status == Outcome.FLAGGED
    assert Article.objects.get().headline == "Sejm passes the budget"


def test_an_older_version_arriving_late_changes_nothing():
    ingest_ninjs(ninjs(version="5", headlines=[{"value": "Fifth take"}]))
    [late] = ingest_ninjs(ninjs(version="4", headlines=[{"value": "Fourth take"}]))
    assert late.status == Outcome.UNCHANGED
    assert Article.objects.get().headline == "Fifth take"


def test_versions_without_numbers_are_ordered_by_their_creation_time():
    item = ninjs(version=None, versioncreated="2026-11-27T08:00:00Z")
    del item["version"]
    ingest_ninjs(item)
    newer = {**item, "versioncreated": "2026-11-27T09:00:00Z", "headlines": [{"value": "Later"}]}
    assert statuses(ingest_ninjs(newer)) == [Outcome.UPDATED]
    assert statuses(ingest_ninjs(newer)) == [Outcome.UNCHANGED]
    assert Article.objects.get().headline == "Later"


def test_an_agency_kill_is_flagged_beside_the_draft_never_applied():
    [first] = ingest_ninjs(ninjs())
    [kill] = ingest_ninjs(ninjs(version="2", pubstatus="canceled"))
    assert kill.status == Outcome.FLAGGED
    article = Article.objects.get()
    assert article.headline == "Sejm passes the budget"
    flagged = article.wire_items.get(flagged_update=True)
    assert flagged.headline == "CANCELED by the agency: Sejm passes the budget"


def test_a_withheld_item_never_seen_before_is_not_imported():
    [outcome] = ingest_ninjs(ninjs(pubstatus="withheld"))
    assert outcome.status == Outcome.FAILED
    assert "marked the item “withheld”" in outcome.reason
    assert not Article.objects.exists()


PICTURE = {"type": "picture", "uri": "urn:newsroom-test:photo", "by": "Radek Pietruszka"}


def test_a_newer_picture_updates_a_photo_nobody_edited():
    ingest_ninjs(ninjs(**PICTURE, descriptions=[{"role": "caption", "value": "First caption"}]))
    [second] = ingest_ninjs(
        ninjs(**PICTURE, version="2", descriptions=[{"role": "caption", "value": "Corrected"}])
    )
    assert second.status == Outcome.UPDATED
    assert Photo.objects.get().caption == "Corrected"


def test_a_newer_picture_never_overwrites_an_edited_caption():
    [first] = ingest_ninjs(ninjs(**PICTURE, descriptions=[{"role": "caption", "value": "Agency"}]))
    first.photo.caption = "Posłowie w Sejmie (desk's caption)"
    first.photo.save()
    [second] = ingest_ninjs(
        ninjs(**PICTURE, version="2", descriptions=[{"role": "caption", "value": "Corrected"}])
    )
    assert second.status == Outcome.FLAGGED
    assert Photo.objects.get().caption == "Posłowie w Sejmie (desk's caption)"
    assert Photo.objects.count() == 1
