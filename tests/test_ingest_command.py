"""`manage.py ingest PATH...`: the desk's batch import from files and folders."""

import json
from io import BytesIO, StringIO

import pytest
from django.core.management import CommandError, call_command
from PIL import Image

from articles.models import Article, Photo, WireItem
from tests.wire import ninjs

pytestmark = pytest.mark.django_db


def ingest(*args, **options):
    out, err = StringIO(), StringIO()
    call_command("ingest", *[str(a) for a in args], stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def drop(tmp_path):
    (tmp_path / "budget.json").write_text(json.dumps(ninjs()))
    (tmp_path / "broken.json").write_text('{"uri": "urn:x", "versioncreated": 5}')
    (tmp_path / "notes.txt").write_text("not wire copy")
    return tmp_path


def test_ingest_reports_each_item_and_a_summary(drop):
    out, err = ingest(drop)
    assert "imported: " in out and "budget.json [urn:newsroom-test:budget]" in out
    assert "1 imported, 1 failed" in out
    assert "broken.json [urn:x]: versioncreated must be an ISO 8601" in err
    assert Article.objects.count() == 1


def test_second_run_reports_unchanged_only_in_the_summary(drop):
    ingest(drop)
    out, _ = ingest(drop)
    assert "imported:" not in out
    assert "1 unchanged, 1 failed" in out
    out, _ = ingest(drop, verbosity=2)
    assert "unchanged: " in out


def test_dry_run_saves_nothing(drop):
    out, _ = ingest(drop, dry_run=True)
    assert out.strip().endswith("Dry run, nothing saved: 1 imported, 1 failed")
    assert not Article.objects.exists()
    assert not WireItem.objects.exists()


def test_a_folder_without_wire_files_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="No NINJS"):
        ingest(tmp_path)


def jpeg_bytes():
    buffer = BytesIO()
    Image.new("RGB", (64, 48), "steelblue").save(buffer, "JPEG")
    return buffer.getvalue()


def test_a_rendition_shipped_beside_the_item_becomes_the_photo_image(tmp_path):
    (tmp_path / "pic.jpg").write_bytes(jpeg_bytes())
    picture = ninjs(
        uri="urn:test:pic",
        type="picture",
        renditions=[{"name": "main", "href": "pic.jpg", "contenttype": "image/jpeg"}],
    )
    (tmp_path / "pic.json").write_text(json.dumps(picture))
    ingest(tmp_path)
    photo = Photo.objects.get()
    assert (photo.width, photo.height) == (64, 48)
    assert photo.image.name.endswith(".jpg")


def test_dry_run_writes_no_image_files(tmp_path, renditions_root):
    (tmp_path / "pic.jpg").write_bytes(jpeg_bytes())
    picture = ninjs(
        uri="urn:test:pic", type="picture", renditions=[{"name": "m", "href": "pic.jpg"}]
    )
    (tmp_path / "pic.json").write_text(json.dumps(picture))
    ingest(tmp_path, dry_run=True)
    assert not Photo.objects.exists()
    assert not list(renditions_root.rglob("*.jpg"))


def test_a_rendition_outside_the_item_folder_is_never_read(tmp_path):
    inside = tmp_path / "drop"
    inside.mkdir()
    (tmp_path / "secret.jpg").write_bytes(jpeg_bytes())
    picture = ninjs(
        uri="urn:test:pic",
        type="picture",
        renditions=[{"name": "main", "href": "../secret.jpg", "contenttype": "image/jpeg"}],
    )
    (inside / "pic.json").write_text(json.dumps(picture))
    ingest(inside)
    assert not Photo.objects.get().image


REFERENCES_ONLY = """<?xml version="1.0" encoding="UTF-8"?>
<packageItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:pap:pkg:refs"
    version="1" standard="NewsML-G2" standardversion="2.35">
  <itemMeta><itemClass qcode="ninat:composite"/><provider qcode="nprov:PAP"/>
    <versionCreated>2026-11-27T10:00:00Z</versionCreated></itemMeta>
  <groupSet root="G1"><group id="G1" role="group:main">
    <itemRef residref="urn:pap:text:1"/><itemRef residref="urn:pap:pic:1"/>
  </group></groupSet>
</packageItem>"""


def test_a_package_of_references_only_is_reported_not_treated_as_no_file(tmp_path):
    package = tmp_path / "package.xml"
    package.write_text(REFERENCES_ONLY)
    out, err = ingest(package)
    assert f"skipped: {package} [urn:pap:pkg:refs]: " in out
    assert "2 items are only referenced (itemRef), none inline" in out
    assert out.strip().endswith("1 skipped")
    assert err == ""
    assert not WireItem.objects.exists()


def test_an_empty_ninjs_list_is_reported_as_a_file_with_nothing_to_import(tmp_path):
    (tmp_path / "empty.json").write_text("[]")
    out, _ = ingest(tmp_path / "empty.json")
    assert "empty.json: the file holds no items" in out
    assert out.strip().endswith("1 skipped")
