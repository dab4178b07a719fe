"""Readers get renditions only: re-encoded, stripped of personal data, credited, reused."""

import re
from io import BytesIO

import pytest
from django.conf import settings
from django.db import IntegrityError
from django.urls import reverse
from PIL import Image

from articles.models import Photo, Rendition
from articles.photos import metadata
from articles.photos import renditions as photo_renditions
from articles.photos.storage import rendition_storage
from tests.factories import ArticleFactory, PhotoFactory
from tests.photo_files import (
    AGENCY_CREDIT,
    CAMERA_SERIAL,
    GPS_IFD,
    camera_exif,
    files_under,
    image_bytes,
    upload,
    xmp_packet,
)

pytestmark = pytest.mark.django_db


def camera_photo(**fields):
    """A portrait shot stored sideways, with GPS and serial in its EXIF, as phones send it."""
    content = image_bytes(
        "JPEG",
        size=(1000, 700),
        exif=camera_exif(orientation=6),
        xmp=xmp_packet(credit="from the file", caption="Caption in the file"),
        comment=b"Shot at Nowogrodzka 84, home of the photographer",
    )
    return PhotoFactory(
        image=upload(content, "IMG_0001.jpg"),
        credit=AGENCY_CREDIT,
        creator="Radek Pietruszka",
        copyright_notice="© PAP 2026",
        **fields,
    )


def opened(rendition):
    with rendition.file.open("rb") as file:
        return Image.open(BytesIO(file.read()))


def test_every_rendition_is_stripped_of_gps_and_camera_but_keeps_the_credit():
    photo = camera_photo()
    renditions = list(photo.renditions.all())
    assert {(r.crop, r.format) for r in renditions} == {
        ("", "webp"),
        ("", "jpeg"),
        ("16:9", "webp"),
        ("16:9", "jpeg"),
        ("4:3", "jpeg"),
        ("1:1", "jpeg"),
    }
    for rendition in renditions:
        image = opened(rendition)
        exif = image.getexif()
        assert not exif.get_ifd(GPS_IFD), rendition
        assert not {0x010F, 0x0110, 0x0112} & set(exif), rendition
        with rendition.file.open("rb") as file:
            raw = file.read()
        assert CAMERA_SERIAL.encode() not in raw
        assert b"Nowogrodzka" not in raw
        xmp = metadata.xmp_values(image)
        assert xmp["credit"] == AGENCY_CREDIT, rendition
        assert xmp["creator"] == "Radek Pietruszka"
        assert xmp["copyright_notice"] == "© PAP 2026"
        assert "caption" not in xmp  # the file's own metadata is not carried over


def test_renditions_are_turned_upright_by_the_exif_orientation():
    photo = camera_photo()
    full = [r for r in photo.renditions.all() if r.crop == ""]
    # Stored 1000 × 700 with orientation 6 (rotate 90°): readers see a 700 × 1000 portrait.
    largest = max(full, key=lambda r: r.width)
    assert (largest.width, largest.height) == (700, 1000)
    assert opened(largest).size == (700, 1000)
    assert all(r.height > r.width for r in full)


def test_widths_for_the_srcset_stop_at_the_original_size():
    photo = PhotoFactory(image=upload(image_bytes("JPEG", size=(1700, 1000))))
    full = sorted((r.format, r.width) for r in photo.renditions.all() if r.crop == "")
    assert full == [("jpeg", 960), ("webp", 640), ("webp", 1280)]
    small = PhotoFactory(image=upload(image_bytes("JPEG", size=(200, 150), color="navy")))
    assert {r.width for r in small.renditions.all() if r.crop == ""} == {200}


def test_the_original_is_private_and_reachable_by_no_url(client, renditions_root, originals_root):
    photo = camera_photo()
    article = ArticleFactory(photo=photo)
    original = originals_root / photo.image.name
    assert original.is_file()
    assert not original.resolve().is_relative_to(renditions_root.resolve())
    with pytest.raises(ValueError, match="private"):
        photo.image.url  # noqa: B018 (the attribute access is what must fail)
    original_bytes = original.read_bytes()
    assert all(path.read_bytes() != original_bytes for path in files_under(renditions_root))
    html = client.get(article.get_absolute_url()).content.decode()
    assert photo.image.name not in html
    assert "IMG_0001" not in html
    assert client.get(settings.MEDIA_URL + photo.image.name).status_code == 404


def test_a_png_with_html_appended_never_reaches_readers_as_uploaded(
    admin_client, django_capture_on_commit_callbacks, renditions_root
):
    payload = b"<html><script>alert('polyglot')</script></html>"
    polyglot = image_bytes("PNG", color="gold") + payload
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:articles_photo_add"),
            {"image": upload(polyglot, "chart.png", "image/png"), "credit": "PAP"},
        )
    assert response.status_code == 302
    public = files_under(renditions_root)
    assert public  # renditions were made
    assert all(payload not in path.read_bytes() for path in public)
    assert all(b"polyglot" not in path.read_bytes() for path in public)


def count_encodes(monkeypatch):
    calls = []
    real = photo_renditions.encode

    def counting(*args, **kwargs):
        calls.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(photo_renditions, "encode", counting)
    return calls


def test_pages_never_encode_a_photo_still_waiting_for_its_renditions(client, monkeypatch):
    waiting = ArticleFactory(photo=PhotoFactory(renditions=False))
    ArticleFactory(section=waiting.section, photo=PhotoFactory())
    encodes = count_encodes(monkeypatch)
    pages = [client.get(url) for url in ("/", waiting.section.get_absolute_url())]
    article_page = client.get(waiting.get_absolute_url())
    assert encodes == []
    assert all(page.status_code == 200 for page in [*pages, article_page])
    # The waiting photo's article shows no picture rather than a broken one; the credit stays.
    figure = re.search(
        r'<figure class="lead-photo">.*?</figure>', article_page.content.decode(), re.S
    ).group()
    assert "<picture>" not in figure and "<img" not in figure
    assert waiting.photo.credit in figure
    assert not waiting.photo.renditions.exists()


def test_a_photo_s_renditions_are_made_once_and_then_reused(monkeypatch):
    encodes = count_encodes(monkeypatch)
    photo = PhotoFactory(renditions=False)
    photo_renditions.ensure_renditions(photo)
    made = Rendition.objects.filter(photo=photo).count()
    assert len(encodes) == made == 7  # 640 × 360: see the simultaneous-request test
    photo_renditions.ensure_renditions(Photo.objects.get(pk=photo.pk))
    assert len(encodes) == made


def test_a_changed_photo_shows_its_previous_renditions_until_new_ones_are_made(client):
    photo = PhotoFactory()
    article = ArticleFactory(photo=photo)
    before = {r.file.url for r in photo.renditions.all()}
    Photo.objects.filter(pk=photo.pk).update(focal_x=0.1)  # as if remaking were queued
    html = client.get(article.get_absolute_url()).content.decode()
    figure = re.search(r'<figure class="lead-photo">.*?</figure>', html, re.S).group()
    shown = set(re.findall(r'(/renditions/[^" ]+)', figure))
    assert shown and shown <= before


def test_changing_the_focal_point_remakes_the_renditions_and_drops_the_old_files(
    admin_client, django_capture_on_commit_callbacks, renditions_root
):
    photo = PhotoFactory()
    old_files = [r.file.name for r in photo.renditions.all()]
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:articles_photo_change", args=[photo.pk]),
            {"credit": photo.credit, "focal_x": "0.2", "focal_y": "0.3"},
        )
    assert response.status_code == 302
    photo.refresh_from_db()
    renditions = list(photo.renditions.all())
    assert renditions
    assert {r.source_key for r in renditions} == {photo_renditions.rendition_key(photo)}
    assert not set(old_files) & {r.file.name for r in renditions}
    assert not any(rendition_storage().exists(name) for name in old_files)


def test_replacing_the_original_remakes_the_renditions(
    admin_client, django_capture_on_commit_callbacks
):
    photo = PhotoFactory(image=upload(image_bytes("JPEG", color="red"), "red.jpg"))
    old_keys = {r.source_key for r in photo.renditions.all()}
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:articles_photo_change", args=[photo.pk]),
            {"image": upload(image_bytes("JPEG", color="blue"), "blue.jpg"), "credit": "PAP"},
        )
    photo.refresh_from_db()
    card = next(r for r in photo.renditions.all() if r.format == "jpeg")
    assert card.source_key not in old_keys
    red, green, blue = opened(card).convert("RGB").getpixel((10, 10))
    assert blue > 200 and red < 50


def red_pixels(image):
    data = image.convert("RGB").tobytes()
    pixels = zip(data[0::3], data[1::3], data[2::3], strict=True)
    return sum(1 for r, g, b in pixels if r > 200 and g < 60 and b < 60)


def photo_with_a_subject_on_the_left(**fields):
    """1600 × 600, white, with the subject (a red square) near the left edge."""
    image = Image.new("RGB", (1600, 600), "white")
    image.paste((230, 20, 20), (40, 250, 200, 350))
    buffer = BytesIO()
    image.save(buffer, "PNG")
    return PhotoFactory(image=upload(buffer.getvalue(), "wide.png", "image/png"), **fields)


def card_rendition(photo):
    return max(
        (r for r in photo.renditions.all() if r.crop == "16:9" and r.format == "jpeg"),
        key=lambda r: r.width,
    )


def test_a_centred_crop_loses_a_subject_at_the_edge():
    card = card_rendition(photo_with_a_subject_on_the_left())
    assert card.width / card.height == pytest.approx(16 / 9, abs=0.01)
    assert red_pixels(opened(card)) == 0


def test_cropped_thumbnails_keep_the_focal_point_in_frame():
    card = card_rendition(photo_with_a_subject_on_the_left(focal_x=0.075, focal_y=0.5))
    assert card.width / card.height == pytest.approx(16 / 9, abs=0.01)
    assert red_pixels(opened(card)) > 1000


def test_deleting_a_photo_deletes_its_renditions_rows():
    photo = PhotoFactory()
    photo.delete()
    assert not Rendition.objects.exists()
    assert not Photo.objects.exists()


def test_article_page_shows_a_picture_with_webp_jpeg_srcset_and_no_lazy_lead(client):
    photo = PhotoFactory(image=upload(image_bytes("JPEG", size=(1400, 800))))
    article = ArticleFactory(photo=photo)
    html = client.get(article.get_absolute_url()).content.decode()
    figure = re.search(r'<figure class="lead-photo">.*?</figure>', html, re.S).group()
    assert '<source type="image/webp" srcset="' in figure
    webp = re.search(r'<source type="image/webp" srcset="([^"]+)"', figure).group(1)
    assert [entry.split()[1] for entry in webp.split(", ")] == ["640w", "1280w"]
    img = re.search(r"<img [^>]+>", figure).group()
    assert 'width="1280" height="731"' in img
    assert 'sizes="' in img and ".jpeg 960w" in img
    assert f'alt="{photo.alt_text}"' in img
    assert "loading=" not in img


def test_cards_show_lazy_cropped_pictures(client, politics):
    for _ in range(3):
        ArticleFactory(section=politics, photo=PhotoFactory())
    html = client.get(politics.get_absolute_url()).content.decode()
    cards = re.findall(r'<a class="card-photo".*?</a>', html, re.S)
    assert len(cards) == 3
    for card in cards:
        assert "<picture>" in card and 'type="image/webp"' in card
        img = re.search(r"<img [^>]+>", card).group()
        assert 'loading="lazy"' in img
        assert 'width="640" height="360"' in img
        assert "-16x9-" in img


def test_a_photo_deleted_in_the_admin_leaves_no_public_or_private_file(
    admin_client, django_capture_on_commit_callbacks, renditions_root, originals_root
):
    photo, other = PhotoFactory(), PhotoFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:articles_photo_delete", args=[photo.pk]), {"post": "yes"}
        )
    assert response.status_code == 302
    remaining = {path.name for path in files_under(renditions_root) + files_under(originals_root)}
    expected = {r.file.name.rsplit("/", 1)[1] for r in other.renditions.all()}
    expected.add(other.image.name.rsplit("/", 1)[1])
    assert remaining == expected


def test_photos_deleted_in_bulk_from_the_library_leave_no_files(
    admin_client, django_capture_on_commit_callbacks, renditions_root, originals_root
):
    photos = [PhotoFactory(), PhotoFactory()]
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:articles_photo_changelist"),
            {
                "action": "delete_selected",
                "_selected_action": [p.pk for p in photos],
                "post": "yes",
            },
        )
    assert not Photo.objects.exists()
    assert files_under(renditions_root) == files_under(originals_root) == []


def test_renditions_made_by_a_simultaneous_request_are_used_not_remade(monkeypatch):
    photo = PhotoFactory(renditions=False)
    real = photo_renditions.make_renditions

    def losing_the_race(instance):
        real(Photo.objects.get(pk=instance.pk))  # the other request commits first
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(photo_renditions, "make_renditions", losing_the_race)
    renditions = photo_renditions.ensure_renditions(Photo.objects.get(pk=photo.pk))
    assert {r.pk for r in renditions} == set(Rendition.objects.values_list("pk", flat=True))
    # 640 × 360: full in WebP and JPEG at 640, 16:9 in WebP at 320 and 640 and in JPEG at
    # 640, 4:3 (480 wide) and 1:1 (360 wide) in JPEG.
    assert len(renditions) == 7


def srgb_profile():
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


MARKER = b"EXFILTRATED-BY-ICC-0123456789"


@pytest.mark.parametrize(
    "profile",
    [srgb_profile() + MARKER, MARKER * 20],
    ids=["a valid profile with bytes appended", "a profile that is only the payload"],
)
def test_bytes_hidden_in_the_colour_profile_never_reach_a_rendition(renditions_root, profile):
    photo = PhotoFactory(image=upload(image_bytes("JPEG", icc_profile=profile), "icc.jpg"))
    renditions = list(photo.renditions.all())
    assert len(renditions) == 7
    for rendition in renditions:
        assert MARKER not in (renditions_root / rendition.file.name).read_bytes(), rendition
        assert opened(rendition).info.get("icc_profile") is None, rendition


def test_renditions_are_in_srgb_and_keep_the_photo_s_colours():
    photo = PhotoFactory(
        image=upload(image_bytes("PNG", color=(70, 130, 180), icc_profile=srgb_profile()))
    )
    for rendition in photo.renditions.all():
        image = opened(rendition).convert("RGB")
        assert image.info.get("icc_profile") is None
        red, green, blue = image.getpixel((5, 5))
        assert abs(red - 70) < 8 and abs(green - 130) < 8 and abs(blue - 180) < 8, rendition


def test_a_cmyk_print_photo_gets_rgb_renditions():
    buffer = BytesIO()
    Image.new("CMYK", (400, 300), (0, 255, 255, 0)).save(buffer, "JPEG")
    photo = PhotoFactory(image=upload(buffer.getvalue(), "print.jpg"))
    for rendition in photo.renditions.all():
        image = opened(rendition)
        assert image.mode == "RGB"
        red, green, blue = image.getpixel((5, 5))
        assert red > 200 and green < 60 and blue < 60


def test_a_failure_halfway_through_encoding_leaves_no_public_file(monkeypatch, renditions_root):
    photo = PhotoFactory(renditions=False)
    real, calls = photo_renditions.encode, []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise OSError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(photo_renditions, "encode", failing)
    with pytest.raises(OSError, match="disk full"):
        photo_renditions.make_renditions(photo)
    assert files_under(renditions_root) == []
    assert not Rendition.objects.exists()
