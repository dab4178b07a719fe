"""Where photo files live: private originals that no URL reaches, and renditions that
only a checked view serves.

A leaf module: it knows files and settings, never models, so models and migrations can
import it.
"""

import hashlib
import logging
import os
from contextlib import contextmanager

from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible
from storages.backends.s3 import S3Storage

from ..addresses import address

logger = logging.getLogger(__name__)

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
    if settings.PHOTO_OBJECT_STORAGE:
        return OriginalsObjectStorage(**object_storage_options("originals"))
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
        return rendition_url(name)


def rendition_url(name):
    # Names are "renditions/<photo id>/<file name>" (see photos.renditions).
    _, photo_id, filename = name.split("/")
    return address("articles:rendition", photo_id=int(photo_id), filename=filename)


def rendition_storage():
    if settings.PHOTO_OBJECT_STORAGE:
        return RenditionObjectStorage(**object_storage_options("renditions"))
    return RenditionStorage()


def object_storage_options(kind):
    """django-storages' S3 options for originals or renditions, from MEDIA_STORAGE_URL.

    Every object is private: a rendition is shown to readers only once an article using its
    photo is live, so readers reach it through the checked view, never by a bucket address.
    """
    conf = settings.PHOTO_OBJECT_STORAGE
    # Rendition names already start with "renditions/"; originals get a folder of their own.
    location = conf["prefix"] if kind == "renditions" else f"{conf['prefix']}/originals"
    return {
        "bucket_name": conf["bucket"] if kind == "renditions" else conf["originals_bucket"],
        "location": location.strip("/"),
        "endpoint_url": conf["endpoint_url"],
        "region_name": conf["region_name"],
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
    }


@deconstructible
class OriginalsObjectStorage(S3Storage):
    """Originals in a private bucket or prefix: no URL, as on disk."""

    def url(self, name, *args, **kwargs):
        raise ValueError("Photo originals are private and have no URL; use a rendition.")


@deconstructible
class RenditionObjectStorage(S3Storage):
    """Renditions in object storage, reached only through the checked rendition view."""

    def url(self, name, *args, **kwargs):
        return rendition_url(name)


# What a store that is down, full or refusing raises: the disk's errors and boto's.
STORAGE_ERRORS = (OSError, BotoCoreError, ClientError)
PHOTO_STORE_DOWN = (
    "The photo store is not answering, so nothing was saved. Try again in a minute; if it "
    "keeps happening, tell the technical desk."
)


class PhotoStoreUnavailable(Exception):
    """The photo store refused a file or did not answer; nothing was stored."""

    def __init__(self, message=PHOTO_STORE_DOWN):
        super().__init__(message)


@contextmanager
def refused_when_store_is_down():
    """Turn the store's errors into one clear refusal (the error itself goes to the log)."""
    try:
        yield
    except STORAGE_ERRORS as error:
        logger.warning("The photo store refused a file: %s", error, exc_info=True)
        raise PhotoStoreUnavailable from error


def content_hash(file):
    """The sha256 of a file's bytes: the same upload twice gives the same hash."""
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(1 << 16), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()
