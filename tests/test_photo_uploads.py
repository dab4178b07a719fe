"""What the photo desk accepts, what it refuses, and that a refusal leaves nothing behind."""

import pytest
from django.urls import reverse

from articles.models import Photo
from tests.photo_files import files_under, image_bytes, upload

pytestmark = pytest.mark.django_db

ADD_PHOTO = reverse("admin:articles_photo_add")


def post_photo(client, file, **fields):
    return client.post(ADD_PHOTO, {"image": file, "credit": "PAP/Radek Pietruszka", **fields})


@pytest.mark.parametrize(
    ("fmt", "name", "content_type"),
    [
        ("JPEG", "sejm.jpg", "image/jpeg"),
        ("PNG", "sejm.png", "image/png"),
        ("WEBP", "sejm.webp", "image/webp"),
    ],
)
def test_jpeg_png_and_webp_photos_are_accepted(
    admin_client, django_capture_on_commit_callbacks, fmt, name, content_type
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_photo(admin_client, upload(image_bytes(fmt), name, content_type))
    assert response.status_code == 302
    photo = Photo.objects.get()
    assert (photo.width, photo.height) == (640, 360)
    assert photo.renditions.exists()


def truncated_jpeg():
    whole = image_bytes("JPEG", size=(800, 600), color="firebrick", quality=95)
    return whole[: len(whole) // 2]


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


@pytest.mark.parametrize(
    ("content", "name", "content_type", "message"),
    [
        (b"Minutes of the editorial meeting", "photo.jpg", "image/jpeg", "not a JPEG, PNG"),
        (SVG, "chart.svg", "image/svg+xml", "not a JPEG, PNG"),
        (SVG, "chart.jpg", "image/jpeg", "not a JPEG, PNG"),
        (HTML, "photo.png", "image/png", "not a JPEG, PNG"),
        (image_bytes("GIF"), "animation.gif", "image/gif", "not a JPEG, PNG"),
        (truncated_jpeg(), "cut-off.jpg", "image/jpeg", "damaged or incomplete"),
    ],
    ids=["text named .jpg", "SVG", "SVG named .jpg", "HTML named .png", "GIF", "truncated"],
)
def test_files_that_are_not_sound_photos_are_refused_leaving_nothing_behind(
    admin_client, media_root, originals_root, content, name, content_type, message
):
    response = post_photo(admin_client, upload(content, name, content_type), caption="Kept")
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "Kept" in html  # what was typed survives the refusal
    assert not Photo.objects.exists()
    assert files_under(originals_root) == []
    assert files_under(media_root) == []


def test_a_photo_over_the_size_limit_is_refused(
    admin_client, settings, media_root, originals_root
):
    content = image_bytes("PNG", size=(300, 300))
    settings.PHOTO_MAX_UPLOAD_BYTES = len(content) - 1
    response = post_photo(admin_client, upload(content, "big.png", "image/png"))
    assert "photos may be at most" in response.content.decode()
    assert not Photo.objects.exists()
    assert files_under(originals_root) == files_under(media_root) == []


def test_a_photo_over_the_pixel_limit_is_refused_before_decoding(
    admin_client, settings, media_root, originals_root
):
    settings.PHOTO_MAX_PIXELS = 1000 * 1000
    # A tiny file declaring a huge canvas: the shape of a decompression bomb.
    content = image_bytes("PNG", size=(1001, 1000), color="white", optimize=True)
    assert len(content) < 20_000
    response = post_photo(admin_client, upload(content, "bomb.png", "image/png"))
    html = response.content.decode()
    assert "1001 × 1000 pixels" in html
    assert "at most 1 million pixels" in html
    assert not Photo.objects.exists()
    assert files_under(originals_root) == files_under(media_root) == []


def test_uploading_the_same_file_again_offers_the_existing_photo(admin_client, originals_root):
    content = image_bytes("JPEG", color="olive")
    assert post_photo(admin_client, upload(content), caption="Sejm at night").status_code == 302
    existing = Photo.objects.get()
    response = post_photo(admin_client, upload(content, "copy.jpg"), caption="Again")
    html = response.content.decode()
    assert "This exact file is already in the library" in html
    assert reverse("admin:articles_photo_change", args=[existing.pk]) in html
    assert Photo.objects.count() == 1
    assert len(files_under(originals_root)) == 1


def test_the_same_picture_in_different_bytes_is_not_a_duplicate(admin_client):
    assert post_photo(admin_client, upload(image_bytes("JPEG", quality=90))).status_code == 302
    assert post_photo(admin_client, upload(image_bytes("JPEG", quality=70))).status_code == 302
    assert Photo.objects.count() == 2


def test_a_photo_keeps_its_original_when_edited_without_a_new_file(admin_client):
    assert post_photo(admin_client, upload(image_bytes("JPEG"))).status_code == 302
    photo = Photo.objects.get()
    response = admin_client.post(
        reverse("admin:articles_photo_change", args=[photo.pk]),
        {"credit": "PAP/Leszek Szymański", "caption": "Edited", "focal_x": "0.5"},
    )
    assert response.status_code == 302
    edited = Photo.objects.get()
    assert (edited.image.name, edited.content_hash) == (photo.image.name, photo.content_hash)
    assert edited.credit == "PAP/Leszek Szymański"


def test_a_focal_point_outside_the_photo_is_refused(admin_client):
    response = post_photo(admin_client, upload(image_bytes("JPEG")), focal_x="1.5")
    assert "Give a fraction from 0 to 1." in response.content.decode()
    assert not Photo.objects.exists()
