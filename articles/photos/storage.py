"""Where photo files live: private originals that no URL reaches, and renditions that
only a checked view serves.

A leaf module: it knows files and settings, never models, so models and migrations can
import it.
"""

import hashlib
import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.urls import reverse
from django.utils.deconstruct import deconstructible

# What an original may be: whatever its name says, only these decode.
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")


@deconstructible
class OriginalsStorage(FileSystemStorage):
    """Files under PHOTO_ORIGINALS_ROOT, which no URL reaches."""

    @property
    def base_location(self):
        return settings.PHOTO_ORIGINALS_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Photo originals are private and have no URL; use a rendition.")


def originals_storage():
    # A callable, so migrations record the function rather than a path from settings.
    return OriginalsStorage()


@deconstructible
class RenditionStorage(FileSystemStorage):
    """Files under PHOTO_RENDITIONS_ROOT, which no web server serves directly.

    Their URLs lead to `articles.public.views.rendition`, which serves a photo's files to
    readers only once an article using it is live, and to the desk before that.
    """

    @property
    def base_location(self):
        return settings.PHOTO_RENDITIONS_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        # Names are "renditions/<photo id>/<file name>" (see photos.renditions).
        _, photo_id, filename = name.split("/")
        return reverse(
            "articles:rendition", kwargs={"photo_id": int(photo_id), "filename": filename}
        )


def rendition_storage():
    return RenditionStorage()


def content_hash(file):
    """The sha256 of a file's bytes: the same upload twice gives the same hash."""
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(1 << 16), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()
