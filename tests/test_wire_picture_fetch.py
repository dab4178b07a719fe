"""A wire picture that comes as a URL only is fetched after the import, from allowed agency
hosts only, within a size cap, through the photo desk's upload checks; a failure leaves the
photo without an image and with a reason, and `manage.py fetch_wire_pictures` retries it.

Pictures are served by the tests on 127.0.0.1 (named an agency host and an in-house host).
"""

import json
from io import BytesIO, StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from articles.models import Photo
from articles.wire.files import ingest_file
from articles.wire.store import Outcome
from tests.web_server import body, redirect, serving
from tests.wire import ingest_ninjs, ninjs

pytestmark = pytest.mark.django_db


def image(fmt="PNG", size=(640, 400), mode="RGB"):
    buffer = BytesIO()
    Image.new(mode, size).save(buffer, fmt)
    return buffer.getvalue()


ROUTES = {
    "/pic.png": body(image(), "image/png"),
    "/bomb.png": body(image(size=(10_000, 10_000), mode="1"), "image/png"),
    "/anim.gif": body(image("GIF"), "image/gif"),
    "/moved.png": redirect("http://localhost:9/pic.png"),
}


@pytest.fixture
def agency(settings):
    settings.WIRE_PICTURE_HOSTS = ["127.0.0.1"]
    settings.WIRE_FETCH_INTERNAL_HOSTS = ["127.0.0.1"]
    with serving(ROUTES) as site:
        yield site


def picture(href, uri="urn:test:pic"):
    return ninjs(
        uri=uri,
        type="picture",
        renditions=[{"name": "main", "href": href, "contenttype": "image/png"}],
    )


def import_and_fetch(capture, item):
    with capture(execute=True):
        [outcome] = ingest_ninjs(item)
    assert outcome.status == Outcome.IMPORTED
    return Photo.objects.get()


def test_a_picture_from_an_allowed_agency_host_is_fetched_after_the_import(
    agency, django_capture_on_commit_callbacks
):
    photo = import_and_fetch(django_capture_on_commit_callbacks, picture(f"{agency}/pic.png"))
    assert (photo.width, photo.height) == (640, 400)
    assert photo.image_problem == ""
    assert photo.renditions.exists()


def test_a_text_item_s_picture_by_url_is_fetched_too(agency, django_capture_on_commit_callbacks):
    item = ninjs(
        associations=[
            {
                "name": "mainpic",
                "type": "picture",
                "uri": "urn:test:assoc",
                "renditions": [{"href": f"{agency}/pic.png", "contenttype": "image/png"}],
            }
        ]
    )
    photo = import_and_fetch(django_capture_on_commit_callbacks, item)
    assert photo.image and photo.articles.get().headline == "Sejm passes the budget"


@pytest.mark.parametrize(
    ("path", "problem"),
    [
        ("/bomb.png", "too many pixels"),
        ("/anim.gif", "not a JPEG, PNG or WebP"),
        ("/missing.png", "the server answered 404"),
        ("/moved.png", "localhost is not one of the allowed hosts"),
    ],
    ids=["decompression bomb", "GIF", "missing", "redirected elsewhere"],
)
def test_a_refused_picture_leaves_the_photo_without_image_and_says_why(
    agency, django_capture_on_commit_callbacks, originals_root, path, problem
):
    photo = import_and_fetch(django_capture_on_commit_callbacks, picture(f"{agency}{path}"))
    assert not photo.image
    assert problem in photo.image_problem
    assert not list(originals_root.rglob("*.*"))


def test_a_picture_over_the_size_cap_is_not_downloaded_whole(
    agency, django_capture_on_commit_callbacks, settings
):
    settings.PHOTO_MAX_UPLOAD_BYTES = 100
    photo = import_and_fetch(django_capture_on_commit_callbacks, picture(f"{agency}/pic.png"))
    assert not photo.image
    assert "larger than the 100-byte limit" in photo.image_problem


def test_a_host_not_listed_as_an_agency_host_is_never_asked(
    settings, django_capture_on_commit_callbacks
):
    settings.WIRE_PICTURE_HOSTS = ["photos.agency.example"]
    settings.WIRE_FETCH_INTERNAL_HOSTS = ["127.0.0.1"]
    asked = []
    with serving({"/pic.png": lambda handler: asked.append(handler.path)}) as site:
        photo = import_and_fetch(django_capture_on_commit_callbacks, picture(f"{site}/pic.png"))
    assert asked == []
    assert "127.0.0.1 is not one of the allowed hosts" in photo.image_problem


def test_the_command_retries_pictures_that_could_not_be_fetched(
    agency, settings, django_capture_on_commit_callbacks
):
    settings.WIRE_PICTURE_HOSTS = []
    photo = import_and_fetch(django_capture_on_commit_callbacks, picture(f"{agency}/pic.png"))
    assert "not one of the allowed hosts" in photo.image_problem

    settings.WIRE_PICTURE_HOSTS = ["127.0.0.1"]
    out = StringIO()
    call_command("fetch_wire_pictures", stdout=out, stderr=StringIO())

    photo.refresh_from_db()
    assert (photo.width, photo.image_problem) == (640, "")
    assert f"fetched: photo {photo.pk}" in out.getvalue()
    out = StringIO()
    call_command("fetch_wire_pictures", stdout=out)
    assert "No wire pictures are waiting" in out.getvalue()


def test_the_tt_sample_picture_waits_with_a_reason_when_its_host_is_not_allowed(
    wire_samples, settings, django_capture_on_commit_callbacks
):
    settings.WIRE_PICTURE_HOSTS = []
    with django_capture_on_commit_callbacks(execute=True):
        outcomes = ingest_file(wire_samples / "ninjs/examples/3.0_tt_text_image_3.json")
    assert [o.status for o in outcomes] == [Outcome.IMPORTED]
    photo = outcomes[0].article.photo
    assert not photo.image
    assert photo.original_url.startswith("https://beta.tt.se/")
    assert "beta.tt.se is not one of the allowed hosts" in photo.image_problem


def test_the_import_page_answers_even_when_the_picture_cannot_be_fetched(admin_client, settings):
    settings.WIRE_PICTURE_HOSTS = []
    file = SimpleUploadedFile(
        "pic.json", json.dumps(picture("https://photos.agency.example/p.png")).encode()
    )
    response = admin_client.post(reverse("admin:articles_wireitem_import"), {"files": [file]})
    assert response.status_code == 200
    assert "imported" in response.content.decode()


def test_the_photo_page_tells_the_desk_why_the_picture_is_missing(admin_client):
    photo = Photo.objects.create(
        credit="TT",
        original_url="https://beta.tt.se/a001_NormalHires.jpg",
        image_problem="Not fetched: beta.tt.se is not one of the allowed hosts",
    )
    page = admin_client.get(reverse("admin:articles_photo_change", args=[photo.pk]))
    assert "beta.tt.se is not one of the allowed hosts" in page.content.decode()
