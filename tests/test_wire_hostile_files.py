"""Hostile wire files fail their own item, with a reason, and leave nothing behind."""

import json
from io import BytesIO, StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import DataError
from django.urls import reverse
from PIL import Image

from articles.models import Article, Photo
from articles.wire import store
from articles.wire.files import ingest_bytes, ingest_paths
from articles.wire.store import Outcome
from tests.wire import ninjs

pytestmark = pytest.mark.django_db

DEEP_XML = (
    b'<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:test:deep" version="1">'
    b"<itemMeta><itemClass qcode='ninat:text'/></itemMeta>"
    b"<contentMeta><headline>Deep</headline></contentMeta>"
    b"<contentSet><inlineXML><nitf><body><body.content>"
    + b"<p>" * 50_000
    + b"x"
    + b"</p>" * 50_000
    + b"</body.content></body></nitf></inlineXML></contentSet></newsItem>"
)
HUGE_NUMBER = b'{"uri": "urn:test:number", "type": "text", "version": ' + b"9" * 5000 + b"}"


def png_bytes(size=(64, 48)):
    buffer = BytesIO()
    Image.new("RGB", size, "steelblue").save(buffer, "PNG")
    return buffer.getvalue()


def bomb_png():
    """A few kilobytes that declare 10,000 × 10,000 pixels: a decompression bomb."""
    buffer = BytesIO()
    Image.new("1", (10_000, 10_000)).save(buffer, "PNG")
    return buffer.getvalue()


def picture_item(href, uri="urn:test:pic"):
    return ninjs(
        uri=uri,
        type="picture",
        renditions=[{"name": "main", "href": href, "contenttype": "image/png"}],
    )


def test_xml_nested_fifty_thousand_deep_fails_its_file_not_the_batch(tmp_path):
    (tmp_path / "a-deep.xml").write_bytes(DEEP_XML)
    (tmp_path / "b-good.json").write_text(json.dumps(ninjs(uri="urn:test:good")))

    outcomes = list(ingest_paths([tmp_path]))

    assert [(o.file.rsplit("/", 1)[-1], o.status) for o in outcomes] == [
        ("a-deep.xml", Outcome.FAILED),
        ("b-good.json", Outcome.IMPORTED),
    ]
    assert "nested too deeply" in outcomes[0].reason
    assert Article.objects.get().headline == "Sejm passes the budget"


def test_a_number_of_five_thousand_digits_is_reported_not_raised():
    [outcome] = ingest_bytes(HUGE_NUMBER, name="number.json")
    assert outcome.status == Outcome.FAILED
    assert outcome.file == "number.json"
    assert "not valid JSON" in outcome.reason
    assert not Article.objects.exists()


def test_a_decompression_bomb_beside_the_file_fails_that_item_only(tmp_path, originals_root):
    (tmp_path / "bomb.png").write_bytes(bomb_png())
    (tmp_path / "good.png").write_bytes(png_bytes())
    (tmp_path / "a.json").write_text(json.dumps(picture_item("bomb.png", uri="urn:test:bomb")))
    (tmp_path / "b.json").write_text(json.dumps(picture_item("good.png", uri="urn:test:good")))

    outcomes = list(ingest_paths([tmp_path]))

    assert [o.status for o in outcomes] == [Outcome.FAILED, Outcome.IMPORTED]
    assert "too many pixels" in outcomes[0].reason
    assert (Photo.objects.get().width, Photo.objects.get().height) == (64, 48)
    assert [p.name for p in originals_root.rglob("*.png")] == ["good.png"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"GIF89a" + b"\0" * 64, "not a JPEG, PNG or WebP"),
        (png_bytes()[:60], "damaged or incomplete"),
    ],
    ids=["a GIF", "a truncated PNG"],
)
def test_a_wire_picture_passes_the_same_checks_as_an_upload(
    tmp_path, originals_root, content, reason
):
    (tmp_path / "pic.png").write_bytes(content)
    (tmp_path / "pic.json").write_text(json.dumps(picture_item("pic.png")))

    [outcome] = ingest_paths([tmp_path])

    assert outcome.status == Outcome.FAILED
    assert reason in outcome.reason
    assert not Photo.objects.exists()
    assert not list(originals_root.rglob("*.*"))


def test_a_picture_over_the_photo_size_limit_is_refused(tmp_path, settings):
    settings.PHOTO_MAX_UPLOAD_BYTES = 100
    (tmp_path / "pic.png").write_bytes(png_bytes())
    (tmp_path / "pic.json").write_text(json.dumps(picture_item("pic.png")))
    [outcome] = ingest_paths([tmp_path])
    assert outcome.status == Outcome.FAILED
    assert "photos may be at most 100" in outcome.reason


def test_a_failed_item_leaves_no_file_in_the_originals_folder(
    tmp_path, originals_root, monkeypatch
):
    real = store.WireItem.save

    def fail(self, *args, **kwargs):
        raise DataError("value too long")

    monkeypatch.setattr(store.WireItem, "save", fail)
    (tmp_path / "pic.png").write_bytes(png_bytes())
    (tmp_path / "pic.json").write_text(json.dumps(picture_item("pic.png")))

    [outcome] = ingest_paths([tmp_path])

    monkeypatch.setattr(store.WireItem, "save", real)
    assert outcome.status == Outcome.FAILED
    assert not Photo.objects.exists()
    assert not list(originals_root.rglob("*.*"))


def test_the_import_page_reports_a_hostile_file_instead_of_failing(admin_client):
    files = [
        SimpleUploadedFile("deep.xml", DEEP_XML, content_type="text/xml"),
        SimpleUploadedFile("number.json", HUGE_NUMBER, content_type="application/json"),
        SimpleUploadedFile("good.json", json.dumps(ninjs()).encode(), "application/json"),
    ]
    response = admin_client.post(reverse("admin:articles_wireitem_import"), {"files": files})
    assert response.status_code == 200
    page = response.content.decode()
    assert "nested too deeply" in page
    assert "not valid JSON" in page
    assert Article.objects.get().headline == "Sejm passes the budget"


def test_the_ingest_command_goes_on_to_the_files_after_a_hostile_one(tmp_path):
    (tmp_path / "a.xml").write_bytes(DEEP_XML)
    (tmp_path / "b.json").write_bytes(HUGE_NUMBER)
    (tmp_path / "c.json").write_text(json.dumps(ninjs()))
    out, err = StringIO(), StringIO()

    call_command("ingest", str(tmp_path), stdout=out, stderr=err)

    assert "1 imported, 2 failed" in out.getvalue()
    assert "a.xml" in err.getvalue() and "b.json" in err.getvalue()
    assert Article.objects.count() == 1
