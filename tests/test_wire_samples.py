"""Every IPTC sample in shared/wire-samples imports, and becomes exactly what it says."""

from datetime import UTC, datetime

import pytest

from articles.models import Article, Photo, WireItem
from articles.wire.files import ingest_file, ingest_paths
from articles.wire.store import Outcome

pytestmark = pytest.mark.django_db


def imported(wire_samples, name):
    outcomes = ingest_file(wire_samples / name)
    assert [o.status for o in outcomes] == [Outcome.IMPORTED], outcomes
    return outcomes[0]


def sources(article):
    return [source.name for source in article.ordered_sources()]


def test_every_sample_item_imports_once(wire_samples):
    examples = [wire_samples / "ninjs" / "examples", wire_samples / "newsml-g2"]
    first = list(ingest_paths(examples))
    assert {o.status for o in first} == {Outcome.IMPORTED}, [str(o) for o in first]
    assert len(first) == 11
    assert Article.objects.count() == 7
    # Four stand-alone pictures and the two that arrive inside text items.
    assert Photo.objects.count() == 6

    again = list(ingest_paths(examples))
    assert {o.status for o in again} == {Outcome.UNCHANGED}
    assert (Article.objects.count(), Photo.objects.count(), WireItem.objects.count()) == (
        7,
        6,
        11,
    )


def test_wire_copy_arrives_as_drafts_in_the_wire_inbox(wire_samples):
    list(ingest_paths([wire_samples / "ninjs" / "examples", wire_samples / "newsml-g2"]))
    assert set(Article.objects.values_list("status", "section__slug")) == {("draft", "wire")}
    assert not Article.objects.published().exists()


def test_ninjs_1_composite_becomes_a_draft_with_its_picture(wire_samples):
    article = imported(wire_samples, "ninjs/examples/1.4_ninjsExComplex1.json").article
    assert article.headline == "Captain of wrecked cruise ship on trial in Italy"
    assert article.byline == "Paulo Santalucia and Frances d'Emilio"
    assert article.language == "en"
    assert article.body.startswith(
        "<p>GROSSETO, Italy (AP) -- The trial of the captain of the shipwrecked Costa Concordia"
    )
    assert article.body.count("<p>") == 4
    assert article.embargo_until is None
    assert sources(article) == ["ninjs.example.com"]
    photo = article.photo
    assert photo.caption.startswith("The Costa Concordia cruise ship lies on its side")
    assert photo.credit == "Paulo Santalucia/ninjs.example.com"
    assert photo.original_url == (
        "http://hosted.ap.org/photos/2/2643c588-dc8d-4923-bebd-e3b904edbb3a-big.jpg"
    )
    assert photo.provider.name == "ninjs.example.com"
    wire = article.wire_items.get()
    assert wire.guid == "http://ninjs.example.com/newsitems/20130709cplx123"
    assert wire.version_created == datetime(2013, 7, 9, 10, 37, tzinfo=UTC)
    assert wire.format == "ninjs"


def test_ninjs_1_picture_becomes_a_photo(wire_samples):
    photo = imported(wire_samples, "ninjs/examples/1.4_ninjsExSimplePhoto1.json").photo
    assert photo.credit == "Paulo Santalucia/ninjs.example.com"
    assert photo.caption.startswith("The Costa Concordia cruise ship lies on its side")
    assert photo.caption.endswith("the listing vessel early.")
    assert photo.original_url.endswith("2643c588-dc8d-4923-bebd-e3b904edbb3a-big.jpg")
    assert not photo.image
    assert not Article.objects.exists()


def test_ntb_ninjs_2_text_keeps_description_subjects_and_language(wire_samples):
    article = imported(wire_samples, "ninjs/examples/2.1_ntb_text.json").article
    assert article.headline == "Google har kjøpt giganttomt i Skien"
    assert article.standfirst == (
        "IT-giganten Google har kjøpt en tomt på nærmere 2.000 mål i Skien i tilfelle det "
        "blir behov for flere datasentre i Europa."
    )
    assert article.byline == "NTB"
    assert article.language == "nb-NO"
    assert sorted(article.tags.names()) == ["Industri", "Innenriks", "Olje og energi", "Teknologi"]
    assert sources(article) == ["NTB"]
    wire = article.wire_items.get()
    assert (wire.guid, wire.version) == ("urn:8d19cf88-b3ab-4972-8fec-1207599f2872", "6")
    assert wire.first_created == datetime(2019, 8, 9, 9, 30, 4, tzinfo=UTC)
    assert wire.version_created == datetime(2019, 8, 9, 9, 46, 53, tzinfo=UTC)


def test_dpa_ninjs_3_html_body_is_kept_as_paragraphs(wire_samples):
    article = imported(wire_samples, "ninjs/examples/3.0_dpa_text.json").article
    assert article.headline == "Faktencheck Derby-Elfmeter: Hat Schiedsrichter Zwayer recht?"
    assert article.byline == "Von Christian Hollmann, dpa"
    assert article.language == "de"
    assert article.body.startswith("<p>Für Lucien Favre war es «der größte Skandal")
    assert article.body.count("<p>") == 9
    assert "<section" not in article.body
    assert sources(article) == ["dpa"]
    wire = article.wire_items.get()
    assert wire.version == "2"
    assert wire.version_created == datetime(2019, 5, 10, 14, 2, 28, tzinfo=UTC)


def test_tt_ninjs_3_text_brings_its_picture_with_byline_credit(wire_samples):
    article = imported(wire_samples, "ninjs/examples/3.0_tt_text_image_3.json").article
    assert article.headline == "Militärövning i jätteformat hålls 2023"
    assert article.language == "sv"
    assert article.standfirst.startswith("Pandemin satte stopp för den stora internationella")
    assert sorted(article.tags.names()) == ["Krig, konflikter och oroligheter"]
    assert sources(article) == ["TT"]
    # The HTML body without the repeated headline and picture; the link survives.
    assert "<h1>" not in article.body and "<img" not in article.body
    assert article.body.count("<blockquote>") == 2
    assert 'href="https://www.sydostran.se/nyheter/' in article.body
    photo = article.photo
    assert photo.credit == "Karl Melander/TT"
    assert photo.caption.startswith("En stor internationell försvarsövning planeras 2023")
    assert photo.original_url.endswith("a001_NormalHires.jpg")
    assert photo.provider.name == "TT"


def test_ap_ninjs_3_picture_carries_credit_line_caption_and_terms(wire_samples):
    photo = imported(wire_samples, "ninjs/examples/3.0_ap_image.json").photo
    assert photo.credit == "ASSOCIATED PRESS"
    assert photo.caption.startswith("FILE - In this Monday, Nov. 11, 2019 file photo")
    assert photo.usage_terms.startswith("This content is intended for editorial use only.")
    assert photo.provider.name == "ASSOCIATED PRESS"
    # The largest image rendition, not the preview or the NITF caption.
    assert "download?role=main" in photo.original_url


def test_newsml_g2_news_item_keeps_embargo_service_and_subjects(wire_samples):
    article = imported(wire_samples, "newsml-g2/LISTING_1_A_NewsML-G2_News_Item.xml").article
    assert article.headline == 'Fed to halt QE to avert "bubble"'
    assert article.byline == "Meredith Jameson"
    assert article.language == "en-GB"
    assert article.embargo_until == datetime(2018, 10, 23, 12, 0, tzinfo=UTC)
    assert sorted(article.tags.names()) == ["economy, business and finance", "labour market"]
    assert sources(article) == ["REUTERS"]
    wire = article.wire_items.get()
    assert (wire.guid, wire.version, wire.format) == (
        "urn:newsml:acmenews.com:20161018:US-FINANCE-FED",
        "11",
        "newsml-g2",
    )
    assert wire.first_created == datetime(2016, 10, 18, 18, 12, 21, tzinfo=UTC)


def test_newsml_g2_text_document_with_nitf_body(wire_samples):
    article = imported(wire_samples, "newsml-g2/LISTING_2_NewsML-G2_Text_Document.xml").article
    assert article.headline == 'Fed to halt QE to avert "bubble"'
    assert article.byline == "By Meredith Jameson, Staff Reporter"
    assert article.language == "en-US"
    assert article.body.startswith("<p>(New York, NY - October 21) Et, sent luptat luptat,")
    assert article.body.count("<p>") == 2
    assert sorted(article.tags.names()) == [
        "central bank",
        "economy, business and finance",
        "money and monetary policy",
    ]
    assert sources(article) == ["www.acmenews.com"]


def test_nitf_content_set_imports_with_abstract_as_standfirst(wire_samples):
    name = "newsml-g2/LISTING_25_An_NITF_marked-up_article_conveyed_in_inlineXML.xml"
    article = imported(wire_samples, name).article
    assert article.headline == (
        "Arizona Diamondbacks (29-23) at Philadelphia Phillies (26-24), 7:05p.m."
    )
    assert article.byline == "Sports Network"
    assert article.standfirst.startswith("A pair of teams coming off big weekend sweeps")
    assert article.body.startswith("<p>(Sports Network) - With the Philadelphia Phillies")
    assert article.wire_items.get().guid.startswith("urn:sha256:")


def test_newsml_g2_photo_metadata_maps_to_the_photo(wire_samples):
    name = "newsml-g2/LISTING_26_Embedded_photo_metadata_fields_mapped_to_NewsML-G2.xml"
    photo = imported(wire_samples, name).photo
    assert photo.credit == "Acme/John Smith"
    assert photo.caption.startswith("A firefighter in a flameproof suit walks past the remains")
    assert photo.copyright_notice == "Copyright 2008 Thomson Reuters"
    assert photo.usage_terms == "NO ARCHIVAL OR WIRELESS USE"
    assert photo.provider.name == "acmenews"
    assert photo.original_url.endswith("/hires/20081208/USA-CRASH-MILITARY_001_HI.jpg")


def test_newsml_g2_getty_photo(wire_samples):
    photo = imported(wire_samples, "newsml-g2/LISTING_3_Photo_in_NewsML-G2.xml").photo
    assert photo.credit == "Getty Images"
    assert photo.caption.startswith("A general view of part of downtown, including Las Vegas")
    assert photo.caption.endswith("(Photo by Spencer Platt/Getty Images)")
    assert photo.copyright_notice.startswith("Copyright 2010 Getty Images.")
    assert photo.usage_terms.startswith("Contact your local office")
    assert photo.provider.name == "Getty Images Inc."
    # The high-resolution rendition is a relative file that is not shipped with the sample.
    assert photo.original_url == ""
    assert not photo.image
