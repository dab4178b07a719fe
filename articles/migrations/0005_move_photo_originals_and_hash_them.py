"""Existing originals move from MEDIA_ROOT (public) to PHOTO_ORIGINALS_ROOT, and get hashed."""

import hashlib
import shutil
from pathlib import Path

from django.conf import settings
from django.db import migrations


def move(source_root, target_root, name):
    source, target = Path(source_root) / name, Path(target_root) / name
    if source.is_file() and not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(source, target)
    return target if target.is_file() else None


def forwards(apps, schema_editor):
    Photo = apps.get_model("articles", "Photo")
    for photo in Photo.objects.exclude(image="").only("pk", "image"):
        path = move(settings.MEDIA_ROOT, settings.PHOTO_ORIGINALS_ROOT, photo.image.name)
        if path:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            Photo.objects.filter(pk=photo.pk).update(content_hash=digest)


def backwards(apps, schema_editor):
    Photo = apps.get_model("articles", "Photo")
    for photo in Photo.objects.exclude(image="").only("pk", "image"):
        move(settings.PHOTO_ORIGINALS_ROOT, settings.MEDIA_ROOT, photo.image.name)
    Photo.objects.update(content_hash="")


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_photo_desk_renditions_private_originals")]

    operations = [migrations.RunPython(forwards, backwards)]
