"""The desk's form is prefilled from what agencies write into the file: XMP first, then IIM."""

import pytest
from django.urls import reverse

from articles.models import Photo
from articles.photos.metadata import PhotoMetadata, read_metadata
from tests.factories import PhotoFactory, SourceFactory
from tests.photo_files import (
    AGENCY_CREDIT,
    files_under,
    image_bytes,
    upload,
    with_iim,
    xmp_packet,
)

pytestmark = pytest.mark.django_db

READ_METADATA = reverse("admin:articles_photo_read_metadata")
CREDIT, CAPTION, BYLINE, COPYRIGHT, SOURCE = (2, 110), (2, 120), (2, 80), (2, 116), (2, 115)
POLISH_CAPTION = "Posłowie głosują nad budżetem w Sejmie. Żółć, gęślą jaźń."


def agency_jpeg():
    """XMP with the full credit, and IIM whose 32-character credit is cut short."""
    jpeg = image_bytes(
        "JPEG",
        xmp=xmp_packet(
            credit=AGENCY_CREDIT,
            caption=POLISH_CAPTION,
            creator="Radek Pietruszka",
            rights="© PAP 2026",
            source="PAP/EPA",
        ),
    )
    return with_iim(
        jpeg,
        {
            CREDIT: AGENCY_CREDIT.encode()[:32],
            CAPTION: b"IIM caption that XMP overrides",
            BYLINE: "Radosław Pietruszka".encode(),
        },
    )


def test_xmp_wins_so_the_full_agency_credit_survives():
    metadata = read_metadata(upload(agency_jpeg()))
    assert metadata.credit == AGENCY_CREDIT
    assert metadata.caption == POLISH_CAPTION
    assert metadata.creator == "Radek Pietruszka"
    assert metadata.copyright_notice == "© PAP 2026"
    assert metadata.source == "PAP/EPA"


def test_iim_fills_in_when_the_file_has_no_xmp():
    jpeg = with_iim(
        image_bytes("JPEG"),
        {
            CREDIT: b"PAP/Radek Pietruszka",
            CAPTION: POLISH_CAPTION.encode(),
            BYLINE: "Radosław Pietruszka".encode(),
            COPYRIGHT: "© Polska Agencja Prasowa".encode(),
            SOURCE: b"PAP",
        },
    )
    metadata = read_metadata(upload(jpeg))
    assert metadata.credit == "PAP/Radek Pietruszka"
    assert metadata.caption == POLISH_CAPTION
    assert metadata.creator == "Radosław Pietruszka"
    assert metadata.copyright_notice == "© Polska Agencja Prasowa"
    assert metadata.source == "PAP"


def test_xmp_missing_a_field_falls_back_to_iim_for_that_field():
    jpeg = with_iim(image_bytes("JPEG", xmp=xmp_packet(caption="From XMP")), {CREDIT: b"Reuters"})
    metadata = read_metadata(upload(jpeg))
    assert (metadata.caption, metadata.credit) == ("From XMP", "Reuters")


def test_a_legacy_8_bit_caption_does_not_break_the_upload(admin_client):
    # ISO-8859-2 bytes with no declared character set, as old newsroom systems wrote them.
    legacy = "Posłowie w Sejmie, Łódź".encode("iso-8859-2")
    jpeg = with_iim(image_bytes("JPEG"), {CAPTION: legacy, CREDIT: b"PAP"}, utf8=False)
    metadata = read_metadata(upload(jpeg))
    assert metadata.caption.startswith("Pos")
    assert "w Sejmie" in metadata.caption
    assert metadata.credit == "PAP"
    response = admin_client.post(READ_METADATA, {"image": upload(jpeg)})
    assert response.status_code == 200
    assert "w Sejmie" in response.json()["caption"]


def test_garbage_in_the_xmp_packet_is_ignored():
    jpeg = image_bytes("JPEG", xmp=b"<x:xmpmeta><not closed")
    assert read_metadata(upload(jpeg)) == PhotoMetadata()


def test_xmp_entity_expansion_is_refused_not_expanded():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><x>&b;</x>'
    )
    assert read_metadata(upload(image_bytes("JPEG", xmp=bomb))).credit == ""


def test_choosing_a_file_prefills_the_form_and_keeps_nothing(
    admin_client, renditions_root, originals_root
):
    pap = SourceFactory(name="PAP/EPA")
    response = admin_client.post(READ_METADATA, {"image": upload(agency_jpeg())})
    assert response.status_code == 200
    data = response.json()
    assert data["credit"] == AGENCY_CREDIT
    assert data["caption"] == POLISH_CAPTION
    assert data["creator"] == "Radek Pietruszka"
    assert data["copyright_notice"] == "© PAP 2026"
    assert data["provider"] == {"id": pap.pk, "text": "PAP/EPA"}
    assert data["duplicate"] is None
    assert not Photo.objects.exists()
    assert files_under(originals_root) == files_under(renditions_root) == []


def test_choosing_a_file_already_in_the_library_says_so(admin_client):
    content = image_bytes("JPEG", color="teal")
    existing = PhotoFactory(image=upload(content, "teal.jpg"), caption="Teal wall")
    data = admin_client.post(READ_METADATA, {"image": upload(content, "again.jpg")}).json()
    assert data["duplicate"]["url"] == reverse("admin:articles_photo_change", args=[existing.pk])


def test_prefill_refuses_what_the_upload_would_refuse(admin_client):
    response = admin_client.post(READ_METADATA, {"image": upload(b"not a photo")})
    assert response.status_code == 400
    assert "not a JPEG, PNG or WebP" in response.json()["error"]


def test_prefill_needs_a_staff_login(client):
    response = client.post(READ_METADATA, {"image": upload(agency_jpeg())})
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_photo_form_asks_for_the_prefill(admin_client):
    html = admin_client.get(reverse("admin:articles_photo_add")).content.decode()
    assert f'data-metadata-url="{READ_METADATA}"' in html
    assert "js/photo_admin.js" in html
