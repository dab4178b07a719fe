"""Renditions made by real `manage.py db_worker` processes, including one killed mid-run."""

import json
import signal
from io import BytesIO

import pytest
from PIL import Image

from tests.worker_processes import ProcessDatabase

STATUS = "SELECT status FROM django_tasks_database_dbtaskresult"
WORKERS = "SELECT worker_ids FROM django_tasks_database_dbtaskresult"
RENDITION_PHOTOS = "SELECT photo_id FROM articles_rendition"
# A 3000 x 2000 photo: 5 widths x 2 formats in full, 4 x 2 in 16:9, one 4:3 and one 1:1 JPEG.
# WebP 640 and 1280 uncropped, WebP 320, 640 and 960 in 16:9, one JPEG per crop (four).
RENDITIONS_OF_A_LARGE_PHOTO = 9


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    database = ProcessDatabase(tmp_path_factory.mktemp("worker"))
    yield database
    database.drop()


@pytest.fixture
def database(migrated):
    """One migrated database for the module; each test starts with an empty queue."""
    migrated.execute("DELETE FROM django_tasks_database_dbtaskresult")
    return migrated


def upload_photo(database, tmp_path, size):
    # Noise, so that encoding takes long enough to be interrupted.
    image = Image.effect_noise(size, 90).convert("RGB")
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=95)
    path = tmp_path / "sejm.jpg"
    path.write_bytes(buffer.getvalue())
    code = (
        "from django.core.files.uploadedfile import SimpleUploadedFile\n"
        "from django.db import transaction\n"
        "from articles.photos.uploads import photo_from_upload\n"
        f"data = open({str(path)!r}, 'rb').read()\n"
        "with transaction.atomic():\n"
        "    photo = photo_from_upload(SimpleUploadedFile('sejm.jpg', data, 'image/jpeg'),"
        " user=None, credit='PAP/Radek Pietruszka')\n"
        "print(photo.pk)\n"
    )
    return int(database.manage("shell", "--no-imports", "-c", code).strip())


def rendition_count(database, photo_id):
    return [row[0] for row in database.query(RENDITION_PHOTOS)].count(photo_id)


def files_in(database, photo_id):
    folder = database.files / "renditions" / str(photo_id)
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_the_upload_returns_and_a_worker_makes_the_renditions(database, tmp_path):
    photo_id = upload_photo(database, tmp_path, (1200, 800))
    assert rendition_count(database, photo_id) == 0
    assert database.query(STATUS) == [("READY",)]
    worker = database.worker()
    try:
        database.wait_for(STATUS, [("SUCCESSFUL",)])
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
    assert rendition_count(database, photo_id) > 0
    assert len(files_in(database, photo_id)) == rendition_count(database, photo_id)


def test_a_task_whose_worker_was_killed_is_put_back_and_finished(database, tmp_path):
    photo_id = upload_photo(database, tmp_path, (3000, 2000))
    first = database.worker()
    try:
        database.wait_for(STATUS, [("RUNNING",)], every=0.01)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    # Killed mid-run: the task stays "running" with nobody running it.
    assert database.query(STATUS) == [("RUNNING",)]
    assert rendition_count(database, photo_id) == 0

    out = database.manage("requeue_stalled_tasks", "--older-than=0")
    assert "Put back 1 stalled task(s)." in out
    second = database.worker()
    try:
        database.wait_for(STATUS, [("SUCCESSFUL",)])
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)
    assert rendition_count(database, photo_id) == RENDITIONS_OF_A_LARGE_PHOTO
    # Whatever the killed worker had written was replaced, not left beside the new files.
    assert len(files_in(database, photo_id)) == RENDITIONS_OF_A_LARGE_PHOTO
    workers = database.query(WORKERS)[0][0]
    assert len(workers if isinstance(workers, list) else json.loads(workers)) == 2
