"""NewsML-G2 beyond single items: messages carrying several items, packages tying a
picture to its text, XHTML and plain-text bodies."""

import pytest

from articles.models import Article, Photo
from articles.wire.store import Outcome
from tests.wire import ingest_xml

pytestmark = pytest.mark.django_db

NAR = "http://iptc.org/std/nar/2006-10-01/"


def news_item(guid, item_class, headline, content="", extra_meta=""):
    return f"""<newsItem guid="{guid}" version="2" standard="NewsML-G2" standardversion="2.35">
  <rightsInfo><copyrightHolder><name>PAP</name></copyrightHolder>
    <copyrightNotice>Copyright 2026 PAP</copyrightNotice></rightsInfo>
  <itemMeta><itemClass qcode="ninat:{item_class}"/><provider qcode="nprov:PAP"><name>PAP</name>
    </provider><versionCreated>2026-11-27T10:00:00+01:00</versionCreated>{extra_meta}</itemMeta>
  <contentMeta><headline>{headline}</headline>
    <creator><name>Radek Pietruszka</name></creator>
    <description role="drol:caption">Deputies during the vote</description>
    <creditline>PAP/Radek Pietruszka</creditline></contentMeta>
  <contentSet>{content}</contentSet>
</newsItem>"""


TEXT = news_item(
    "urn:pap:text:1",
    "text",
    "Sejm passes the budget",
    '<inlineXML contenttype="application/xhtml+xml"><html xmlns="http://www.w3.org/1999/xhtml">'
    "<head><title>x</title></head><body><p>The vote was <b>240</b> to 200.</p>"
    '<p onclick="x()">Next step: the Senate.</p></body></html></inlineXML>',
)
PICTURE = news_item(
    "urn:pap:pic:1",
    "picture",
    "Sejm vote",
    '<remoteContent rendition="rnd:highRes" href="https://pap.example/pic1.jpg"'
    ' contenttype="image/jpeg" width="3000" height="2000"/>'
    '<remoteContent rendition="rnd:thumbnail" href="https://pap.example/pic1-t.jpg"'
    ' contenttype="image/jpeg" width="300" height="200"/>',
)
PACKAGE = """<packageItem guid="urn:pap:pkg:1" version="1" standard="NewsML-G2"
    standardversion="2.35"><itemMeta><itemClass qcode="ninat:composite"/>
  <provider qcode="nprov:PAP"/><versionCreated>2026-11-27T10:00:00Z</versionCreated></itemMeta>
  <groupSet root="G1"><group id="G1" role="group:main">
    <itemRef residref="urn:pap:text:1"/><itemRef residref="urn:pap:pic:1"/>
  </group></groupSet></packageItem>"""


def message(*items):
    return (
        f'<newsMessage xmlns="{NAR}"><header><sent>2026-11-27T10:00:00Z</sent></header>'
        f"<itemSet>{''.join(items)}</itemSet></newsMessage>"
    )


def test_a_package_brings_its_picture_into_the_text_draft():
    outcomes = ingest_xml(message(TEXT, PICTURE, PACKAGE))
    assert [(o.item, o.status) for o in outcomes] == [("urn:pap:text:1", Outcome.IMPORTED)]
    article = Article.objects.get()
    assert article.headline == "Sejm passes the budget"
    assert article.body == "<p>The vote was 240 to 200.</p><p>Next step: the Senate.</p>"
    assert article.byline == "Radek Pietruszka"
    photo = article.photo
    assert photo.credit == "PAP/Radek Pietruszka"
    assert photo.caption == "Deputies during the vote"
    assert photo.copyright_notice == "Copyright 2026 PAP"
    assert photo.original_url == "https://pap.example/pic1.jpg"
    assert Photo.objects.count() == 1


def test_a_message_without_a_package_imports_each_item_on_its_own():
    outcomes = ingest_xml(message(TEXT, PICTURE))
    assert [(o.item, o.status) for o in outcomes] == [
        ("urn:pap:text:1", Outcome.IMPORTED),
        ("urn:pap:pic:1", Outcome.IMPORTED),
    ]
    assert Article.objects.get().photo is None
    assert Photo.objects.get().credit == "PAP/Radek Pietruszka"


def test_a_broken_item_in_a_message_is_reported_and_the_rest_imports():
    broken = '<newsItem guid="urn:pap:broken" version="1"><itemMeta/></newsItem>'
    outcomes = ingest_xml(message(broken, TEXT))
    assert [(o.item, o.status) for o in outcomes] == [
        ("urn:pap:broken", Outcome.FAILED),
        ("urn:pap:text:1", Outcome.IMPORTED),
    ]
    assert "lacks itemMeta or contentMeta" in outcomes[0].reason


def test_plain_text_inline_data_becomes_paragraphs():
    item = news_item(
        "urn:pap:text:2",
        "text",
        "Storm warning",
        '<inlineData contenttype="text/plain">Winds of 120 km/h.\n\nStay indoors &amp; safe.'
        "</inlineData>",
    ).replace("<newsItem ", f'<newsItem xmlns="{NAR}" ', 1)
    [outcome] = ingest_xml(item)
    assert outcome.article.body == "<p>Winds of 120 km/h.</p><p>Stay indoors &amp; safe.</p>"


def test_a_non_numeric_newsml_version_is_refused():
    item = news_item("urn:pap:text:3", "text", "Odd version").replace(
        'version="2"', 'version="two"'
    )
    [outcome] = ingest_xml(item.replace("<newsItem ", f'<newsItem xmlns="{NAR}" ', 1))
    assert outcome.status == Outcome.FAILED
    assert "version must be a whole number" in outcome.reason


def test_an_unknown_root_element_is_reported():
    [outcome] = ingest_xml("<catalog/>")
    assert outcome.status == Outcome.FAILED
    assert "is not a NewsML-G2 newsItem" in outcome.reason


def test_a_newsml_g2_cancellation_is_flagged_not_applied():
    ingest_xml(message(TEXT))
    cancelled = TEXT.replace('version="2"', 'version="3"').replace(
        "</versionCreated>", '</versionCreated><pubStatus qcode="stat:canceled"/>'
    )
    [outcome] = ingest_xml(message(cancelled))
    assert outcome.status == Outcome.FLAGGED
    assert Article.objects.get().headline == "Sejm passes the budget"
