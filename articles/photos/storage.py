"""Where photo originals live: private files that no URL reaches.

A leaf module: it knows files and settings, never models, so models and migrations can
import it.
"""

import hashlib
import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
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


def content_hash(file):
    """The sha256 of a file's bytes: the same upload twice gives the same hash."""
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(1 << 16), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()
