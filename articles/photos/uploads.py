"""The gate every photo file passes before it is stored, and what the library does with it."""

import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from PIL import Image, UnidentifiedImageError

from ..models import Source
from . import renditions
from .metadata import read_metadata
from .models import Photo
from .storage import ACCEPTED_FORMATS


def check_upload(file):
    """Decode the whole upload with Pillow; refuse anything but a sound JPEG, PNG or WebP.

    Returns the decoded image's format name. The file name and the browser's content type
    are ignored: only the bytes count.
    """
    if file.size > settings.PHOTO_MAX_UPLOAD_BYTES:
        raise ValidationError(
            "This file is %(size)s; photos may be at most %(limit)s.",
            code="too_big",
            params={
                "size": filesizeformat(file.size),
                "limit": filesizeformat(settings.PHOTO_MAX_UPLOAD_BYTES),
            },
        )
    file.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its limit and twice that; a bomb is refused either way.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(file, formats=ACCEPTED_FORMATS)
        with image:
            width, height = image.size
            if width * height > settings.PHOTO_MAX_PIXELS:
                raise ValidationError(
                    "This image is %(width)d × %(height)d pixels; photos may have at most "
                    "%(limit)s million pixels.",
                    code="too_many_pixels",
                    params={
                        "width": width,
                        "height": height,
                        "limit": f"{settings.PHOTO_MAX_PIXELS / 1_000_000:g}",
                    },
                )
            image.load()
            return image.format
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(
            "This image has too many pixels to be a photo.", code="too_many_pixels"
        ) from error
    except UnidentifiedImageError as error:
        raise ValidationError(
            "This file is not a JPEG, PNG or WebP image (whatever its name says).",
            code="not_an_image",
        ) from error
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise ValidationError(
            "This image is damaged or incomplete (truncated?) and cannot be read.",
            code="damaged",
        ) from error
    finally:
        file.seek(0)


def make_renditions_after_commit(photo):
    """Renditions are made once, after the photo is saved, and reused by every page."""
    transaction.on_commit(lambda: renditions.ensure_renditions(photo))


def photo_from_upload(file, *, user, credit="", provider=None):
    """A new library photo from one file, prefilled from its metadata; refused with a reason.

    `credit` and `provider` apply where the file's own metadata has none.
    """
    check_upload(file)
    duplicate = Photo.objects.with_same_file(file).first()
    if duplicate:
        raise ValidationError(f"already in the library as “{duplicate}” (no. {duplicate.pk}).")
    metadata = read_metadata(file)
    credit = metadata.credit or credit
    if not credit:
        raise ValidationError("no credit in the file's metadata and none given for the batch.")
    photo = Photo(
        image=file,
        credit=credit,
        caption=metadata.caption,
        creator=metadata.creator,
        copyright_notice=metadata.copyright_notice,
        provider=Source.objects.named(metadata.source) or provider,
        uploaded_by=user,
    )
    photo.full_clean()
    photo.save()
    make_renditions_after_commit(photo)
    return photo
