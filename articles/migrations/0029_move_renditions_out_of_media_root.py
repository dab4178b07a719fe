"""Existing renditions move from MEDIA_ROOT (served by the web server) to
PHOTO_RENDITIONS_ROOT, from where only the checked view serves them."""

import shutil
from pathlib import Path

from django.conf import settings
from django.db import migrations


def move_all(apps, source_root, target_root):
    Rendition = apps.get_model("articles", "Rendition")
    for name in Rendition.objects.values_list("file", flat=True).iterator():
        source, target = Path(source_root) / name, Path(target_root) / name
        if source.is_file() and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(source, target)


def forwards(apps, schema_editor):
    move_all(apps, settings.MEDIA_ROOT, settings.PHOTO_RENDITIONS_ROOT)


def backwards(apps, schema_editor):
    move_all(apps, settings.PHOTO_RENDITIONS_ROOT, settings.MEDIA_ROOT)


class Migration(migrations.Migration):
    dependencies = [("articles", "0028_rendition_files_in_private_storage")]

    operations = [migrations.RunPython(forwards, backwards)]
