"""Photo files in S3-compatible object storage (MEDIA_STORAGE_URL), against moto's server
started on a free loopback port; and what the desk is told when the store is down."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import boto3
import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Photo, Rendition
from articles.photos import storage
from tests.cache_servers import free_port, wait_for_port
from tests.factories import ArticleFactory, PhotoFactory
from tests.photo_files import image_bytes, upload

pytestmark = pytest.mark.django_db

ADD_PHOTO = reverse("admin:articles_photo_add")
UPLOAD_SEVERAL = reverse("admin:articles_photo_upload_several")
PUBLIC, PRIVATE = "newsroom-media", "newsroom-originals"
ROOT = Path(__file__).resolve().parent.parent
STORE_DOWN = "The photo store is not answering, so nothing was saved."


@pytest.fixture
def s3_server(monkeypatch):
    """moto's S3 server in its own process, on 127.0.0.1 only."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, server, timeout=30)
    except RuntimeError as error:
        server.kill()
        pytest.fail(f"moto's S3 server did not start: {error}")
    for name, value in {
        "AWS_ACCESS_KEY_ID": "newsroom-test",
        "AWS_SECRET_ACCESS_KEY": "newsroom-test-secret",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    yield server, f"http://127.0.0.1:{port}"
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def object_storage(s3_server, settings, monkeypatch):
    """MEDIA_STORAGE_URL=s3://newsroom-media/site?endpoint_url=...&originals_bucket=..."""
    server, endpoint = s3_server
    settings.PHOTO_OBJECT_STORAGE = {
        "bucket": PUBLIC,
        "prefix": "site",
        "originals_bucket": PRIVATE,
        "endpoint_url": endpoint,
        "region_name": "us-east-1",
    }
    # The fields' storages are chosen when the models load, as settings.py is read first.
    monkeypatch.setattr(Photo._meta.get_field("image"), "storage", storage.originals_storage())
    monkeypatch.setattr(Rendition._meta.get_field("file"), "storage", storage.rendition_storage())
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    for bucket in (PUBLIC, PRIVATE):
        s3.create_bucket(Bucket=bucket)
    return server, s3


def keys(s3, bucket):
    return sorted(item["Key"] for item in s3.list_objects_v2(Bucket=bucket).get("Contents", []))


def post_photo(client, content=None):
    return client.post(
        ADD_PHOTO, {"image": upload(content or image_bytes()), "credit": "PAP/Radek Pietruszka"}
    )


def test_the_storage_url_chooses_the_s3_storages(object_storage):
    originals, renditions = storage.originals_storage(), storage.rendition_storage()
    assert isinstance(originals, storage.OriginalsObjectStorage)
    assert (originals.bucket_name, originals.location) == (PRIVATE, "site/originals")
    assert isinstance(renditions, storage.RenditionObjectStorage)
    assert (renditions.bucket_name, renditions.location) == (PUBLIC, "site")


def test_without_a_storage_url_files_stay_on_disk():
    assert isinstance(storage.originals_storage(), storage.OriginalsStorage)
    assert isinstance(storage.rendition_storage(), storage.RenditionStorage)


def test_an_upload_goes_to_the_private_bucket_and_its_renditions_to_the_media_one(
    object_storage, admin_client, django_capture_on_commit_callbacks
):
    _, s3 = object_storage
    with django_capture_on_commit_callbacks(execute=True):
        assert post_photo(admin_client).status_code == 302
    photo = Photo.objects.get()
    original = f"site/originals/{photo.image.name}"
    assert keys(s3, PRIVATE) == [original]
    made = list(photo.renditions.all())
    assert made
    assert keys(s3, PUBLIC) == sorted(f"site/{r.file.name}" for r in made)
    # Nobody but the owner may read an original: no grant to everyone or to signed-in AWS users.
    grants = s3.get_object_acl(Bucket=PRIVATE, Key=original)["Grants"]
    assert [g["Grantee"].get("URI") for g in grants if g["Grantee"]["Type"] == "Group"] == []
    with pytest.raises(ValueError, match="private and have no URL"):
        photo.image.url  # noqa: B018


def test_readers_get_renditions_from_the_store_only_once_the_article_is_live(
    object_storage, client
):
    _, s3 = object_storage
    photo = PhotoFactory()  # its renditions made, through the S3 storage
    rendition = Rendition.objects.filter(photo=photo).first()
    article = ArticleFactory(photo=photo, publish_at=timezone.now() + timedelta(days=1))
    assert client.get(rendition.file.url).status_code == 404  # embargoed
    article.publish_at = timezone.now() - timedelta(minutes=1)
    article.save()
    response = client.get(rendition.file.url)
    assert response.status_code == 200
    stored = s3.get_object(Bucket=PUBLIC, Key=f"site/{rendition.file.name}")["Body"].read()
    assert b"".join(response.streaming_content) == stored


def test_a_file_that_is_not_a_photo_is_refused_before_anything_is_stored(
    object_storage, admin_client
):
    _, s3 = object_storage
    response = post_photo(admin_client, b"<svg><script>alert(1)</script></svg>")
    assert response.status_code == 200
    assert "not a JPEG, PNG or WebP" in response.content.decode()
    assert keys(s3, PRIVATE) == [] and keys(s3, PUBLIC) == []
    assert not Photo.objects.exists()


def test_a_store_that_is_down_refuses_the_upload_clearly_and_keeps_no_row(
    object_storage, admin_client
):
    server, _ = object_storage
    server.terminate()
    server.wait(timeout=10)
    response = post_photo(admin_client)
    assert response.status_code == 302
    assert response["Location"] == ADD_PHOTO
    page = admin_client.get(response["Location"])
    assert STORE_DOWN in page.content.decode()
    assert not Photo.objects.exists()


def test_a_batch_upload_while_the_store_is_down_names_each_refused_file(
    object_storage, admin_client
):
    server, _ = object_storage
    server.terminate()
    server.wait(timeout=10)
    response = admin_client.post(
        UPLOAD_SEVERAL,
        {
            "files": [
                upload(image_bytes(color="red"), "one.jpg"),
                upload(image_bytes(), "two.jpg"),
            ],
            "credit": "PAP/Radek Pietruszka",
        },
    )
    text = response.content.decode()
    assert "2 file(s) refused" in text
    assert text.count(STORE_DOWN) == 2
    assert not Photo.objects.exists()


def test_a_full_disk_refuses_the_upload_clearly_and_keeps_no_row(
    admin_client, monkeypatch, originals_root
):
    def disk_full(self, name, content):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage.OriginalsStorage, "_save", disk_full)
    response = post_photo(admin_client)
    assert response.status_code == 302
    assert STORE_DOWN in admin_client.get(response["Location"]).content.decode()
    assert not Photo.objects.exists()


def settings_with(**env):
    """What settings.py makes of these variables, read by a fresh process."""
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.PHOTO_OBJECT_STORAGE, settings.TASKS['default']['BACKEND'])",
        ],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "newsroom.settings", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_object_storage_and_the_queue_are_off_unless_their_variables_are_set():
    unset = {"MEDIA_STORAGE_URL": "", "NEWSROOM_TASKS_BACKEND": ""}
    result = settings_with(**unset)
    assert result.stdout.strip() == "None django_tasks.backends.immediate.ImmediateBackend"


def test_the_storage_url_names_buckets_prefix_and_endpoint():
    result = settings_with(
        MEDIA_STORAGE_URL="s3://daily-media/web/?endpoint_url=https://s3.example.net"
        "&region=eu-central-1&originals_bucket=daily-originals",
        NEWSROOM_TASKS_BACKEND="database",
    )
    assert result.stdout.strip() == (
        "{'bucket': 'daily-media', 'prefix': 'web', 'originals_bucket': 'daily-originals', "
        "'endpoint_url': 'https://s3.example.net', 'region_name': 'eu-central-1'} "
        "django_tasks_db.DatabaseBackend"
    )


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("MEDIA_STORAGE_URL", "ftp://media.example/photos", "MEDIA_STORAGE_URL must look like"),
        ("MEDIA_STORAGE_URL", "s3:///no-bucket", "MEDIA_STORAGE_URL must look like"),
        ("NEWSROOM_TASKS_BACKEND", "celery", "NEWSROOM_TASKS_BACKEND must be one of"),
    ],
)
def test_a_mistyped_variable_stops_the_start_with_a_clear_message(variable, value, message):
    result = settings_with(**{variable: value})
    assert result.returncode != 0
    assert message in result.stderr
