"""Wire pictures that arrive as a URL only: fetched from the agency after the import.

Only hosts in WIRE_PICTURE_HOSTS are asked (through the desk's safe fetch), the download
is capped at PHOTO_MAX_UPLOAD_BYTES, and the file passes the same checks as a photo
upload. A picture that cannot be fetched leaves its photo without an image and with the
reason in `image_problem`; `manage.py fetch_wire_pictures` tries again.
"""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import Truncator

from ..models import Photo
from ..photos.uploads import check_upload, make_renditions_after_commit
from . import fetch as web

logger = logging.getLogger(__name__)

EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
PROBLEM_MAX = Photo._meta.get_field("image_problem").max_length


def waiting():
    """Photos with an agency URL and no image yet."""
    return Photo.objects.filter(image="").exclude(original_url="").order_by("pk")


def fetch_picture(photo):
    """Fetch the photo's agency rendition; returns the problem, or "" once it is here."""
    if photo.image or not photo.original_url:
        return ""
    try:
        data = web.fetch(
            photo.original_url,
            max_bytes=settings.PHOTO_MAX_UPLOAD_BYTES,
            deadline=settings.WIRE_PICTURE_TIMEOUT,
            allowed_hosts=settings.WIRE_PICTURE_HOSTS,
        )
        # Named: Django reads the dimensions of unnamed files as empty.
        file = ContentFile(data, name=f"wire-{photo.pk}")
        fmt = check_upload(file)
    except web.FetchError as error:
        return _record_problem(photo, f"Not fetched: {error}")
    except ValidationError as error:
        return _record_problem(photo, f"Refused: {' '.join(error.messages)}")
    return _store(photo, file, f"wire-{photo.pk}.{EXTENSIONS[fmt]}")


def _record_problem(photo, problem):
    problem = Truncator(problem).chars(PROBLEM_MAX)
    Photo.objects.filter(pk=photo.pk).update(image_problem=problem)
    photo.image_problem = problem
    return problem


def _store(photo, file, name):
    written = None
    try:
        with transaction.atomic():
            # The download happened outside the transaction; someone may have added a file.
            locked = Photo.objects.select_for_update().get(pk=photo.pk)
            if locked.image:
                return ""
            locked.image.save(name, file, save=False)
            written = locked.image.name
            locked.image_problem = ""
            # The hash and the file's content credentials are worked out as it is saved.
            locked.save(
                update_fields=[
                    "image",
                    "width",
                    "height",
                    "content_hash",
                    "image_problem",
                    "credentials_state",
                    "credentials",
                    "digital_source_type",
                ]
            )
    except BaseException:
        if written:
            Photo._meta.get_field("image").storage.delete(written)
        raise
    photo.refresh_from_db()
    make_renditions_after_commit(photo)
    return ""


def fetch_after_commit(photo):
    """Once the import has committed, fetch the picture (no task queue yet: in-process)."""
    if photo is None or photo.image or not photo.original_url:
        return
    transaction.on_commit(lambda: fetch_picture(photo))
