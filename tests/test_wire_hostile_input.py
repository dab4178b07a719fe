"""Hostile or broken wire input: refused or cleaned, reported, and never stops the batch."""

import json

import pytest
from django.db import DataError

from articles.models import Article
from articles.wire import store
from articles.wire.files import ingest_bytes, ingest_file, ingest_paths
from articles.wire.store import Outcome
from tests.wire import ingest_ninjs, ingest_xml, ninjs

pytestmark = pytest.mark.django_db

NEWS_ITEM = """<?xml version="1.0" encoding="UTF-8"?>
{doctype}
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:test:hostile" version="1"
    standard="NewsML-G2" standardversion="2.35">
  <itemMeta>
    <itemClass qcode="ninat:text"/>
    <provider qcode="nprov:PAP"/>
    <versionCreated>2026-11-27T08:00:00Z</versionCreated>
  </itemMeta>
  <contentMeta><headline>{headline}</headline></contentMeta>
</newsItem>
"""

XXE = NEWS_ITEM.format(
    doctype='<!DOCTYPE newsItem [<!ENTITY secret SYSTEM "file:///etc/passwd">]>',
    headline="&secret;",
)
BILLION_LAUGHS = NEWS_ITEM.format(
    doctype="""<!DOCTYPE newsItem [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>""",
    headline="&lol9;",
)


def test_xml_external_entities_are_refused_not_read():
    [outcome] = ingest_xml(XXE)
    assert outcome.status == Outcome.FAILED
    assert "refused unsafe XML" in outcome.reason
    assert not Article.objects.exists()


def test_billion_laughs_is_refused_without_expanding():
    [outcome] = ingest_xml(BILLION_LAUGHS)
    assert outcome.status == Outcome.FAILED
    assert "refused unsafe XML" in outcome.reason
    assert not Article.objects.exists()


def test_a_plain_news_item_in_the_same_shape_imports():
    """The hostile cases above fail for their entities, not for their shape."""
    [outcome] = ingest_xml(NEWS_ITEM.format(doctype="", headline="Budget vote tonight"))
    assert outcome.status == Outcome.IMPORTED
    assert outcome.article.headline == "Budget vote tonight"


def test_script_and_event_handlers_in_wire_html_never_reach_the_draft():
    body = (
        '<p onclick="steal()">Vote<script>alert(1)</script> counted.</p>'
        '<img src="x" onerror="alert(2)"><a href="javascript:alert(3)">link</a>'
    )
    [outcome] = ingest_ninjs(ninjs(bodies=[{"contenttype": "text/html", "value": body}]))
    assert outcome.status == Outcome.IMPORTED
    stored = Article.objects.get().body
    assert "script" not in stored
    assert "alert" not in stored
    assert "onclick" not in stored and "onerror" not in stored
    assert "Vote" in stored and "counted." in stored


def test_script_in_nitf_body_is_sanitised():
    item = NEWS_ITEM.format(doctype="", headline="Storm warning").replace(
        "</contentMeta>",
        """</contentMeta>
  <contentSet><inlineXML contenttype="application/nitf+xml">
    <nitf xmlns="http://iptc.org/std/NITF/2006-10-18/"><body><body.content>
      <p>Winds of 120 km/h.</p><script>alert(1)</script>
    </body.content></body></nitf>
  </inlineXML></contentSet>""",
    )
    [outcome] = ingest_xml(item)
    assert outcome.article.body == "<p>Winds of 120 km/h.</p>"


@pytest.mark.parametrize(
    ("item", "reason"),
    [
        ({"type": "text", "headlines": [{"value": "No uri"}]}, "has no uri"),
        (ninjs(headlines=[]), "has no headline"),
        (ninjs(headlines="Not a list"), "headlines must be a list of objects"),
        (ninjs(versioncreated=20261127), "must be an ISO 8601 date-time string, not int"),
        (ninjs(versioncreated="yesterday"), "is not an ISO 8601 date-time"),
        (ninjs(by=["Anna"]), "by/byline must be a string, not list"),
        (ninjs(type="video"), "“video” are not imported"),
        (["not", "an", "object"], "is a JSON object, not list"),
    ],
    ids=[
        "missing uri",
        "missing headline",
        "headlines of the wrong type",
        "date as a number",
        "date in words",
        "byline as a list",
        "video",
        "list instead of item",
    ],
)
def test_broken_item_is_reported_with_its_reason(item, reason):
    [outcome] = (
        ingest_ninjs(item, name="broken.json")
        if isinstance(item, dict)
        else [o for o in ingest_ninjs(ninjs(), item, name="broken.json") if o.status == "failed"]
    )
    assert outcome.status == Outcome.FAILED
    assert outcome.file == "broken.json"
    assert reason in outcome.reason


def test_a_broken_item_does_not_stop_the_rest_of_the_batch(tmp_path):
    (tmp_path / "a.json").write_text(json.dumps(ninjs(uri="urn:test:a")))
    (tmp_path / "b.json").write_text("{not json")
    (tmp_path / "c.json").write_text(json.dumps([ninjs(uri="urn:test:c"), {"uri": 7}]))
    (tmp_path / "d.xml").write_text("<newsItem><unclosed></newsItem>")

    outcomes = list(ingest_paths([tmp_path]))

    report = [(o.file.rsplit("/", 1)[-1], o.item, o.status) for o in outcomes]
    assert report == [
        ("a.json", "urn:test:a", Outcome.IMPORTED),
        ("b.json", "", Outcome.FAILED),
        ("c.json", "item 1", Outcome.IMPORTED),
        ("c.json", "item 2", Outcome.FAILED),
        ("d.xml", "", Outcome.FAILED),
    ]
    assert "not valid JSON" in outcomes[1].reason
    assert "not well-formed XML" in outcomes[4].reason
    assert Article.objects.count() == 2


def test_a_huge_file_is_refused_before_it_is_read(tmp_path, settings):
    settings.WIRE_MAX_FILE_BYTES = 1024
    huge = tmp_path / "huge.json"
    huge.write_text(json.dumps(ninjs(bodies=[{"value": "x" * 5000}])))
    [outcome] = ingest_file(huge)
    assert outcome.status == Outcome.FAILED
    assert "1,024-byte limit" in outcome.reason
    assert not Article.objects.exists()


def test_json_nested_too_deeply_is_reported_not_crashing():
    [outcome] = ingest_bytes(b"[" * 100_000 + b"]" * 100_000, name="deep.json")
    assert outcome.status == Outcome.FAILED
    assert "nested too deeply" in outcome.reason


def test_an_overlong_version_is_refused_on_every_database():
    [outcome] = ingest_ninjs(ninjs(version="9" * 500))
    assert outcome.status == Outcome.FAILED
    assert "version is too long" in outcome.reason


def test_a_database_error_fails_the_item_not_the_batch(monkeypatch):
    # Both the batch write and the item-by-item retry build the article's row with this.
    real = store.article_fields

    def fail_once(item):
        if item.guid == "urn:test:bad":
            raise DataError("value too long for type character varying(300)")
        return real(item)

    monkeypatch.setattr(store, "article_fields", fail_once)
    outcomes = ingest_ninjs(ninjs(uri="urn:test:bad"), ninjs(uri="urn:test:good"))
    assert [o.status for o in outcomes] == [Outcome.FAILED, Outcome.IMPORTED]
    assert "DataError" in outcomes[0].reason
    # The provider the failed item created was rolled back with it, and made again.
    assert [s.name for s in Article.objects.get().ordered_sources()] == ["PAP"]


def test_ninjs_1_html_description_becomes_a_plain_standfirst():
    item = {
        "uri": "urn:test:ninjs1",
        "headline": "Storm warning",
        "description_html": "<p>Winds of <b>120 km/h</b>.<script>alert(1)</script></p>",
        "body_html": "<p>Stay indoors.</p>",
    }
    [outcome] = ingest_ninjs(item)
    assert outcome.article.standfirst == "Winds of 120 km/h."
