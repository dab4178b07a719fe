"""Photos uploaded before the photo desk: their originals leave the public folder."""

import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.photo_files import image_bytes

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("articles", "0003_create_journalists_and_editors_groups")]
AFTER = [("articles", "0005_move_photo_originals_and_hash_them")]


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


def test_existing_originals_move_out_of_media_root_and_are_hashed(media_root, originals_root):
    apps = migrate(BEFORE)
    try:
        content = image_bytes("JPEG", color="maroon")
        name = "photos/2025/01/old-upload.jpg"
        (media_root / "photos/2025/01").mkdir(parents=True)
        (media_root / name).write_bytes(content)
        apps.get_model("articles", "Photo").objects.create(
            image=name, credit="PAP", width=640, height=360
        )

        apps = migrate(AFTER)
        photo = apps.get_model("articles", "Photo").objects.get()
        assert not (media_root / name).exists()
        assert (originals_root / name).read_bytes() == content
        assert photo.content_hash == hashlib.sha256(content).hexdigest()

        migrate(BEFORE)
        assert (media_root / name).read_bytes() == content
        assert not (originals_root / name).exists()
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes("articles"))
