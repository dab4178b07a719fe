"""Wire copy lands in a section by the desk's rules, else in the Wire inbox readers never see."""

import pytest

from articles.models import Article, Photo, Section, SectionRule
from articles.wire.store import Outcome, wire_inbox
from tests.factories import ArticleFactory, SectionFactory
from tests.wire import ingest_ninjs, ingest_xml, ninjs

pytestmark = pytest.mark.django_db

G2_WITH_SERVICE = """<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:test:svc"
    version="1"><itemMeta><itemClass qcode="ninat:text"/><provider qcode="nprov:PAP"/>
  <versionCreated>2026-11-27T08:00:00Z</versionCreated>
  <service qcode="svc:sport"><name>Sport service</name></service></itemMeta>
  <contentMeta><headline>Lech wins the derby</headline></contentMeta></newsItem>"""


@pytest.fixture
def wire():
    return wire_inbox()


def test_the_wire_inbox_exists_after_migrating():
    wire = Section.objects.get(slug="wire")
    assert wire.name == "Wire"
    assert wire.is_inbox


def test_without_a_matching_rule_copy_lands_in_the_wire_inbox(wire, politics):
    SectionRule.objects.create(match_on="subject", value="medtop:15000000", section=politics)
    [outcome] = ingest_ninjs(ninjs())
    assert outcome.article.section == wire


def test_subject_rule_routes_by_code_or_name(politics, world):
    SectionRule.objects.create(match_on="subject", value="politics", section=politics)
    [outcome] = ingest_ninjs(ninjs())
    assert outcome.article.section == politics


def test_provider_rule_routes_an_agency_to_its_section(world):
    SectionRule.objects.create(match_on="provider", value="pap", section=world)
    [outcome] = ingest_ninjs(ninjs())
    assert outcome.article.section == world


def test_service_rule_routes_newsml_g2_copy():
    sport = SectionFactory(name="Sport", slug="sport")
    SectionRule.objects.create(match_on="service", value="svc:sport", section=sport)
    [outcome] = ingest_xml(G2_WITH_SERVICE)
    assert outcome.status == Outcome.IMPORTED
    assert outcome.article.section == sport


def test_the_lowest_priority_number_wins(politics, world):
    SectionRule.objects.create(match_on="provider", value="PAP", section=world, priority=20)
    SectionRule.objects.create(match_on="subject", value="Politics", section=politics, priority=10)
    [outcome] = ingest_ninjs(ninjs())
    assert outcome.article.section == politics


def test_readers_never_see_the_inbox_even_when_copy_in_it_is_published(client, wire):
    copy = ArticleFactory(section=wire, headline="Unedited agency copy")
    assert not Article.objects.published().exists()
    assert client.get(copy.get_absolute_url()).status_code == 404
    assert client.get("/wire/").status_code == 404
    front = client.get("/").content.decode()
    assert "Unedited agency copy" not in front
    assert 'href="/wire/"' not in front


def test_a_wire_photo_not_yet_downloaded_leaves_pages_without_a_broken_image(client, politics):
    photo = Photo.objects.create(
        credit="PAP/Radek Pietruszka", original_url="https://pap.example/1.jpg"
    )
    article = ArticleFactory(section=politics, headline="Sejm votes", photo=photo)
    for url in ("/", politics.get_absolute_url(), article.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200
        assert "<img" not in response.content.decode()
