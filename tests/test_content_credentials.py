"""Content credentials: agencies' C2PA manifests are read and checked; renditions are signed."""

import json
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils.html import escape
from PIL import Image

from articles.desk.revisions import record_revision
from articles.models import Rendition
from articles.photos import metadata
from articles.photos.credentials import read_credentials
from articles.photos.signing_keys import new_signing_identity
from articles.photos.uploads import photo_from_upload
from articles.wire.files import ingest_bytes
from tests.credentials_samples import (
    AGENCY,
    GENERATED,
    agency_signed,
    manifest_store,
    tampered,
)
from tests.factories import ArticleFactory, PhotoFactory
from tests.photo_files import CAMERA_SERIAL, camera_exif, image_bytes, upload, xmp_packet
from tests.wire import ingest_ninjs, ninjs

pytestmark = pytest.mark.django_db


@pytest.fixture
def trusting_the_agency(settings, tmp_path):
    """The desk's trust list holds the test agency's root certificate."""
    anchors = tmp_path / "trust-anchors.pem"
    anchors.write_bytes(AGENCY.root_pem)
    settings.NEWSROOM_C2PA_TRUST_ANCHORS = str(anchors)


def test_a_signed_agency_photo_is_valid_when_the_desk_trusts_its_signer(trusting_the_agency):
    found = read_credentials(BytesIO(agency_signed()))
    assert found.state == "valid"
    assert found.signer == "Reuters"
    assert found.claim_generator == "Agency Picture Desk 7.1"
    assert found.author == "Anna Nowak"
    assert found.publisher == "Reuters"
    assert found.digital_source_type.endswith("/digitalCapture")
    assert [a["action"] for a in found.actions] == ["c2pa.created"]
    assert found.failures == []


def test_a_sound_signature_from_a_signer_the_desk_does_not_trust_is_untrusted():
    found = read_credentials(BytesIO(agency_signed()))
    assert found.state == "untrusted"
    assert found.signer == "Reuters"


def test_a_signer_missing_from_the_desks_trust_list_is_untrusted(settings, tmp_path):
    anchors = tmp_path / "trust-anchors.pem"
    anchors.write_bytes(new_signing_identity("Other agency", "Other root").root_pem)
    settings.NEWSROOM_C2PA_TRUST_ANCHORS = str(anchors)
    found = read_credentials(BytesIO(agency_signed()))
    assert found.state == "untrusted"
    assert [f["code"] for f in found.failures] == ["signingCredential.untrusted"]


def test_an_unsigned_photo_has_no_credentials():
    assert read_credentials(BytesIO(image_bytes("JPEG"))) is None


def test_a_photo_altered_after_signing_is_invalid(trusting_the_agency):
    found = read_credentials(BytesIO(tampered(agency_signed())))
    assert found.state == "invalid"
    assert any("dataHash.mismatch" in f["code"] for f in found.failures)


def test_an_uploaded_agency_photo_keeps_its_credentials_and_shows_a_badge(
    trusting_the_agency, editor
):
    photo = photo_from_upload(upload(agency_signed(), "reuters.jpg"), user=editor)
    photo.refresh_from_db()
    assert photo.credentials_state == "valid"
    assert photo.credentials["signer"] == "Reuters"
    assert photo.credentials["claim_generator"] == "Agency Picture Desk 7.1"
    assert photo.credentials_badge == "Signed by Reuters, valid"


def test_an_altered_upload_is_marked_signature_invalid(trusting_the_agency, editor):
    photo = photo_from_upload(
        upload(tampered(agency_signed()), "reuters.jpg"), user=editor, credit="Reuters"
    )
    photo.refresh_from_db()
    assert photo.credentials_state == "invalid"
    assert photo.credentials_badge == "Signature invalid"


def test_a_generated_picture_is_badged_ai_generated(editor):
    photo = photo_from_upload(
        upload(agency_signed(source_type=GENERATED), "made.jpg"), user=editor
    )
    photo.refresh_from_db()
    assert photo.is_generated
    assert (
        photo.credentials_badge == "AI generated · Signed by Reuters, signer not on the trust list"
    )


def test_a_new_file_without_a_manifest_drops_the_old_files_credentials():
    photo = agency_photo(source_type=GENERATED)
    photo.image = upload(image_bytes("JPEG", color="navy"), "plain.jpg")
    photo.save()
    photo.refresh_from_db()
    assert (photo.credentials_state, photo.credentials) == ("", {})
    assert not photo.is_generated
    assert photo.credentials_badge == ""


def test_credit_prefill_prefers_the_manifest_over_xmp_and_iim():
    content = agency_signed(xmp=xmp_packet(credit="XMP credit", creator="XMP creator"))
    found = metadata.read_metadata(BytesIO(content))
    assert found.credit == "Anna Nowak/Reuters"
    assert found.creator == "Anna Nowak"
    assert found.source == "Reuters"


def test_credit_prefill_ignores_an_invalid_manifest():
    content = tampered(agency_signed(xmp=xmp_packet(credit="XMP credit")))
    assert metadata.read_metadata(BytesIO(content)).credit == "XMP credit"


def test_credit_prefill_falls_back_to_xmp_without_a_manifest():
    content = image_bytes("JPEG", xmp=xmp_packet(credit="XMP credit", creator="XMP creator"))
    found = metadata.read_metadata(BytesIO(content))
    assert (found.credit, found.creator) == ("XMP credit", "XMP creator")


def rendition_bytes(photo, crop, fmt):
    rendition = next(r for r in photo.renditions.all() if r.crop == crop and r.format == fmt)
    with rendition.file.open("rb") as file:
        return file.read()


def active(store):
    return store["manifests"][store["active_manifest"]]


def assertion(manifest, prefix):
    return next(a["data"] for a in manifest["assertions"] if a["label"].startswith(prefix))


def test_a_rendition_is_signed_by_the_newsroom_with_publisher_actions_and_ingredient(settings):
    settings.NEWSROOM_NAME = "Gazeta Testowa"
    photo = PhotoFactory(
        image=upload(agency_signed(), "reuters.jpg"),
        credit="Anna Nowak/Reuters",
        creator="Anna Nowak",
        copyright_notice="© Reuters 2026",
    )
    store = manifest_store(rendition_bytes(photo, "16:9", "jpeg"))
    manifest = active(store)
    assert store["validation_state"] in {"Valid", "Trusted"}
    assert manifest["signature_info"]["issuer"] == "Test Newsroom"
    work = assertion(manifest, "stds.schema-org.CreativeWork")
    assert work["publisher"]["name"] == "Gazeta Testowa"
    assert work["creditText"] == "Anna Nowak/Reuters"
    assert work["copyrightNotice"] == "© Reuters 2026"
    assert work["author"] == [{"@type": "Person", "name": "Anna Nowak"}]
    actions = [a["action"] for a in assertion(manifest, "c2pa.actions")["actions"]]
    assert actions == [
        "c2pa.opened",
        "c2pa.cropped",
        "c2pa.resized",
        "c2pa.converted",
        "c2pa.edited.metadata",
    ]
    [ingredient] = manifest["ingredients"]
    assert ingredient["relationship"] == "parentOf"
    agency = store["manifests"][ingredient["active_manifest"]]
    assert agency["signature_info"]["issuer"] == "Reuters"
    assert agency["claim_generator_info"][0]["name"] == "Agency Picture Desk"


def test_every_rendition_format_and_crop_is_signed():
    photo = PhotoFactory()
    for rendition in photo.renditions.all():
        with rendition.file.open("rb") as file:
            store = manifest_store(file.read())
        assert store is not None, rendition
        actions = [a["action"] for a in assertion(active(store), "c2pa.actions")["actions"]]
        assert ("c2pa.cropped" in actions) == bool(rendition.crop), rendition


def test_the_manifest_of_a_camera_photo_carries_no_gps_or_device_data():
    content = image_bytes("JPEG", size=(800, 600), exif=camera_exif())
    photo = PhotoFactory(image=upload(content, "IMG_0001.jpg"))
    raw = rendition_bytes(photo, "", "jpeg")
    store = manifest_store(raw)
    assert store is not None
    assert CAMERA_SERIAL.encode() not in raw
    assert b"EOS R5" not in raw
    labels = {a["label"] for m in store["manifests"].values() for a in m["assertions"]}
    assert labels == {"c2pa.actions.v2", "stds.schema-org.CreativeWork"}
    assert "Canon" not in str(store) and CAMERA_SERIAL not in str(store)
    assert not Image.open(BytesIO(raw)).getexif()


def test_with_signing_off_renditions_carry_no_manifest(settings):
    settings.NEWSROOM_C2PA_SIGNING = False
    photo = PhotoFactory()
    assert manifest_store(rendition_bytes(photo, "", "jpeg")) is None


# The photo desk.


def agency_photo(**kwargs):
    return PhotoFactory(image=upload(agency_signed(**kwargs), "agency.jpg"))


def test_the_photo_library_shows_each_photos_credentials_badge(
    trusting_the_agency, admin_client, django_assert_max_num_queries
):
    agency_photo()
    PhotoFactory(image=upload(tampered(agency_signed()), "altered.jpg"))
    agency_photo(source_type=GENERATED)
    PhotoFactory()
    with django_assert_max_num_queries(10):
        html = admin_client.get(reverse("admin:articles_photo_changelist")).content.decode()
    assert "Signed by Reuters, valid" in html
    assert "Signature invalid" in html
    assert "AI generated · Signed by Reuters, valid" in html


def test_the_library_filters_photos_by_their_credentials(trusting_the_agency, admin_client):
    valid = agency_photo()
    invalid = PhotoFactory(image=upload(tampered(agency_signed()), "altered.jpg"))
    url = reverse("admin:articles_photo_changelist") + "?credentials_state=invalid"
    listed = admin_client.get(url).context["cl"].result_list
    assert list(listed) == [invalid]
    assert valid not in listed


def test_a_photo_page_shows_the_manifest_details(trusting_the_agency, admin_client):
    photo = agency_photo(source_type=GENERATED)
    html = admin_client.get(reverse("admin:articles_photo_change", args=[photo.pk]))
    html = html.content.decode()
    assert "AI generated · Signed by Reuters, valid" in html
    assert "Agency Picture Desk 7.1" in html
    assert "Anna Nowak / Reuters" in html
    assert (
        "c2pa.created (http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia)"
        in html
    )
    assert "trainedAlgorithmicMedia (AI generated)" in html


def test_a_photo_page_lists_why_a_signature_is_invalid(trusting_the_agency, admin_client):
    photo = PhotoFactory(image=upload(tampered(agency_signed()), "altered.jpg"))
    html = admin_client.get(reverse("admin:articles_photo_change", args=[photo.pk]))
    assert "assertion.dataHash.mismatch" in html.content.decode()


@pytest.mark.parametrize(
    "payload", ["<script>alert(1)</script>", '<img src=x onerror="alert(1)">']
)
def test_manifest_text_is_shown_escaped_in_the_desk(admin_client, payload):
    signer = new_signing_identity(payload, "hostile signer")
    photo = agency_photo(author=payload, publisher=payload, identity=signer)
    for url in (
        reverse("admin:articles_photo_changelist"),
        reverse("admin:articles_photo_change", args=[photo.pk]),
    ):
        html = admin_client.get(url).content.decode()
        assert payload not in html
        assert escape(payload) in html


# The wire: NINJS 2.x says how a picture was made and links its trust indicators.


def wire_picture(uri="urn:newsroom-test:picture", **fields):
    return ninjs(
        uri=uri,
        type="picture",
        headlines=[{"role": "main", "value": "Flooded street in Wrocław"}],
        descriptions=[{"role": "caption", "value": "A flooded street"}],
        **fields,
    )


INDICATORS = [
    {
        "role": "https://schema.org/ethicsPolicy",
        "title": "Our ethics policy",
        "href": "https://agency.example/ethics",
    },
    {"role": "https://schema.org/masthead", "title": "Masthead", "href": "javascript:alert(1)"},
]


def test_a_wire_picture_keeps_its_digital_source_type_and_trust_indicators(admin_client):
    [outcome] = ingest_ninjs(
        wire_picture(
            digitalsourcetype={"uri": GENERATED, "name": "Trained algorithmic media"},
            trustindicators=INDICATORS,
        )
    )
    photo = outcome.photo
    photo.refresh_from_db()
    assert photo.digital_source_type == GENERATED
    assert photo.credentials_badge == "AI generated"
    assert photo.trust_indicators == [
        {
            "role": "https://schema.org/ethicsPolicy",
            "title": "Our ethics policy",
            "href": "https://agency.example/ethics",
        },
        # A link that is not a web address is dropped; the title stays.
        {"role": "https://schema.org/masthead", "title": "Masthead", "href": ""},
    ]
    html = admin_client.get(reverse("admin:articles_photo_change", args=[photo.pk]))
    html = html.content.decode()
    assert "trainedAlgorithmicMedia (AI generated)" in html
    assert 'href="https://agency.example/ethics"' in html
    assert "javascript:" not in html


def test_ninjs_3_camel_case_digital_source_type_literal_is_kept():
    [outcome] = ingest_ninjs(wire_picture(digitalSourceType={"literal": "digitalCapture"}))
    assert outcome.photo.digital_source_type == "digitalCapture"
    assert outcome.photo.credentials_badge == ""


def test_a_malformed_digital_source_type_fails_its_item_and_the_rest_import():
    bad = wire_picture(digitalsourcetype="AI")
    good = wire_picture(uri="urn:newsroom-test:other")
    first, second = ingest_ninjs(bad, good)
    assert first.status == "failed"
    assert "digitalsourcetype must be an object" in first.reason
    assert second.photo is not None


def test_a_signed_wire_picture_trusts_its_manifest_over_the_item(tmp_path):
    (tmp_path / "picture.jpg").write_bytes(agency_signed())
    item = wire_picture(
        digitalsourcetype={"uri": GENERATED},
        renditions=[{"name": "original", "href": "picture.jpg", "contenttype": "image/jpeg"}],
    )
    data = json.dumps(item).encode()
    [outcome] = ingest_bytes(data, name="picture.json", base_dir=tmp_path)
    photo = outcome.photo
    photo.refresh_from_db()
    assert photo.credentials_state == "untrusted"
    assert photo.digital_source_type.endswith("/digitalCapture")
    assert not photo.is_generated


# Readers.


def test_the_article_page_links_its_photos_credentials_and_keeps_the_json_ld_rights(
    client, politics
):
    photo = PhotoFactory(credit="Anna Nowak/Reuters", copyright_notice="© Reuters 2026")
    article = ArticleFactory(section=politics, photo=photo)
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'href="/photos/{photo.pk}/credentials/"' in html
    assert '"creditText": "Anna Nowak/Reuters"' in html
    assert '"copyrightNotice": "\\u00a9 Reuters 2026"' in html or (
        '"copyrightNotice": "© Reuters 2026"' in html
    )


def test_the_credentials_page_says_what_we_signed_and_where_the_photo_came_from(
    trusting_the_agency, client, politics, django_assert_num_queries
):
    photo = PhotoFactory(
        image=upload(agency_signed(), "reuters.jpg"),
        credit="Anna Nowak/Reuters",
        copyright_notice="© Reuters 2026",
    )
    for n in range(3):
        ArticleFactory(section=politics, photo=photo, headline=f"Floods, day {n}")
    with django_assert_num_queries(5):  # one of them for the breaking-news banner
        response = client.get(f"/photos/{photo.pk}/credentials/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "carries a C2PA manifest signed by" in html
    assert "the copyright notice: © Reuters 2026" in html
    assert "Signed by Reuters, valid" in html
    assert "Agency Picture Desk 7.1" in html
    assert all(f"Floods, day {n}" in html for n in range(3))
    # 800 pixels wide, under the 960 of the full JPEG: that one is the photo's own width.
    jpeg = Rendition.objects.get(photo=photo, crop="", format="jpeg", width=800)
    assert f'href="{jpeg.file.url}"' in html


def test_a_preview_of_a_draft_links_no_credentials_page(editor_client, politics):
    article = ArticleFactory(section=politics, draft=True, photo=PhotoFactory())
    revision = record_revision(article=article, user=None)
    url = reverse("admin:articles_article_preview_revision", args=[article.pk, revision.pk])
    html = editor_client.get(url).content.decode()
    assert "PAP/Radek Pietruszka" in html  # the photo is there
    assert "/credentials/" not in html


def test_the_credentials_of_a_photo_no_reader_may_see_are_not_found(client, politics):
    draft_photo = PhotoFactory()
    ArticleFactory(section=politics, photo=draft_photo, draft=True)
    loose_photo = PhotoFactory()
    for photo in (draft_photo, loose_photo):
        assert client.get(f"/photos/{photo.pk}/credentials/").status_code == 404


@pytest.mark.parametrize(
    "payload", ["<script>alert(1)</script>", '<img src=x onerror="alert(1)">']
)
def test_manifest_and_photo_text_is_escaped_on_the_credentials_page(client, politics, payload):
    photo = PhotoFactory(
        image=upload(agency_signed(author=payload, identity=new_signing_identity(payload, "x"))),
        credit=payload,
        copyright_notice=payload,
    )
    ArticleFactory(section=politics, photo=photo)
    html = client.get(f"/photos/{photo.pk}/credentials/").content.decode()
    assert payload not in html
    assert escape(payload) in html
