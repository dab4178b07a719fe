"""Public renditions: the only image files readers ever get.

Every public image is made from the original's decoded pixels, oriented, resized, cropped
around the focal point and encoded afresh, with only the rights metadata (creator, credit
line, copyright notice) written back as XMP, then signed with the newsroom's content
credentials (`credentials.sign_rendition`).
"""

import hashlib
import logging
from dataclasses import dataclass
from io import BytesIO
from xml.sax.saxutils import escape

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import prefetch_related_objects
from PIL import Image, ImageCms, ImageOps

from . import credentials
from .metadata import NS
from .models import Rendition
from .storage import ACCEPTED_FORMATS, rendition_storage

logger = logging.getLogger(__name__)

# Bump to remake every rendition after a change to how they are encoded
# (3: signed with content credentials; 4: converted to sRGB, no embedded colour profile;
# 5: the smaller set above, WebP at quality 75); `manage.py make_renditions` remakes them.
RENDITION_VERSION = 5
SRGB = ImageCms.createProfile("sRGB")


@dataclass(frozen=True)
class Variant:
    """A shape of rendition: a crop ratio (None keeps the photo's own) and its widths."""

    crop: str
    ratio: tuple[int, int] | None
    widths: tuple[int, ...]
    formats: tuple[str, ...] = ("webp", "jpeg")


# The set is what the pages show, at the sizes they show it (media bytes per photo are about
# a third of the earlier 20-file set's): WebP in every <picture>, one JPEG per crop for old
# browsers, link previews and search engines (which take 16x9, 4x3 and 1x1 JPEGs of at least
# 50,000 pixels; 1200 wide for the 16x9 that link previews show largest).
# The article's photo: up to 46rem wide, twice that on dense screens.
FULL = Variant(crop="", ratio=None, widths=(640, 1280), formats=("webp",))
FULL_JPEG = Variant(crop="", ratio=None, widths=(960,), formats=("jpeg",))
# Cards (18rem, half the screen on tablets) and the front's lead (44rem).
CARD = Variant(crop="16:9", ratio=(16, 9), widths=(320, 640, 960), formats=("webp",))
SHARE_16_9 = Variant(crop="16:9", ratio=(16, 9), widths=(1200,), formats=("jpeg",))
SHARE_4_3 = Variant(crop="4:3", ratio=(4, 3), widths=(800,), formats=("jpeg",))
SHARE_1_1 = Variant(crop="1:1", ratio=(1, 1), widths=(800,), formats=("jpeg",))
VARIANTS = (FULL, FULL_JPEG, CARD, SHARE_16_9, SHARE_4_3, SHARE_1_1)
SHARE_CROPS = (CARD.crop, SHARE_4_3.crop, SHARE_1_1.crop)
FORMATS = {"webp": ("WEBP", "image/webp"), "jpeg": ("JPEG", "image/jpeg")}


def rendition_key(photo):
    """Changes whenever the original or the focal point does."""
    text = f"{RENDITION_VERSION}:{photo.content_hash}:{photo.focal_x:.4f}:{photo.focal_y:.4f}"
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def current_renditions(photo):
    """The photo's up-to-date renditions, from a prefetch when there is one."""
    fetch_batch_of(photo)
    key = rendition_key(photo)
    return [r for r in photo.renditions.all() if r.source_key == key]


class RenditionBatch:
    """Photos whose renditions are read together, in one query, when a page first needs
    any of them: a page whose cards were all kept (see articles.templatetags.fragments)
    reads none."""

    def __init__(self, photos):
        self.photos = [photo for photo in photos if photo is not None]
        for photo in self.photos:
            photo._rendition_batch = self

    def fetch(self):
        photos, self.photos = self.photos, []
        prefetch_related_objects(photos, "renditions")
        for photo in photos:
            photo.__dict__.pop("_rendition_batch", None)


def fetch_batch_of(photo):
    batch = getattr(photo, "_rendition_batch", None)
    if batch is not None:
        batch.fetch()


def remember(photo, renditions):
    """Later calls on this instance use these, as if they had been prefetched."""
    photo._prefetched_objects_cache = {
        **getattr(photo, "_prefetched_objects_cache", {}),
        "renditions": renditions,
    }


def renditions_for(photo):
    """The renditions pages show, never made here: a reader's request encodes nothing.

    The current ones; while a changed photo waits for new ones, the newest older set (its
    best existing renditions); none before the first are made (see `ensure_renditions`).
    """
    fetch_batch_of(photo)
    existing = list(photo.renditions.all())
    key = rendition_key(photo)
    current = [r for r in existing if r.source_key == key]
    if current or not existing:
        return current
    newest = max(existing, key=lambda r: r.pk).source_key
    return [r for r in existing if r.source_key == newest]


def ensure_renditions(photo):
    """Make every rendition of the photo unless it has current ones: the one function that
    does, run by the make_photo_renditions task when a photo is uploaded, changed or imported
    (never on a page view). A failure is raised, for the task queue to try again."""
    if not photo.image:
        return []  # A wire picture whose file has not arrived: nothing to render from.
    key = rendition_key(photo)
    renditions = list(Rendition.objects.filter(photo=photo, source_key=key))
    if renditions:
        remember(photo, renditions)
        return renditions
    try:
        return make_renditions(photo)
    except IntegrityError:
        # Another worker made the same renditions at the same moment: use theirs.
        renditions = list(Rendition.objects.filter(photo=photo, source_key=key))
        remember(photo, renditions)
        return renditions


def delete_files(photo):
    """After a photo's row is gone: its original and every public rendition file."""
    names = [r.file.name for r in Rendition.objects.filter(photo=photo)]
    original, storage = photo.image.name, photo.image.storage

    def delete():
        for name in names:
            rendition_storage().delete(name)
        if original:
            storage.delete(original)

    transaction.on_commit(delete)


def make_renditions(photo):
    """Encode every rendition of the photo afresh and drop the stale ones."""
    drop_leftovers(photo)
    written = []
    try:
        made = encode_renditions(photo, written)
        with transaction.atomic():
            stale = list(Rendition.objects.filter(photo=photo))
            Rendition.objects.filter(pk__in=[r.pk for r in stale]).delete()
            Rendition.objects.bulk_create(made)
    except BaseException:
        for name in written:
            rendition_storage().delete(name)
        raise
    stale_files = [r.file.name for r in stale]
    transaction.on_commit(lambda: [rendition_storage().delete(name) for name in stale_files])
    remember(photo, made)
    return made


def drop_leftovers(photo):
    """Files of this version that no row names: a worker killed mid-encoding left them.

    Without this, the next attempt would store its files under new, suffixed names.
    """
    storage = rendition_storage()
    folder = f"renditions/{photo.pk}"
    try:
        _, names = storage.listdir(folder)
    except FileNotFoundError:
        return
    key = rendition_key(photo)
    known = set(Rendition.objects.filter(photo=photo).values_list("file", flat=True))
    for name in names:
        if name.startswith(f"{key}-") and f"{folder}/{name}" not in known:
            storage.delete(f"{folder}/{name}")


def encode_renditions(photo, written):
    """Unsaved Rendition rows, their files stored; names are appended to `written`."""
    key = rendition_key(photo)
    made = []
    signer = credentials.newsroom_signer()
    with photo.image.open("rb") as file, Image.open(file, formats=ACCEPTED_FORMATS) as original:
        oriented = ImageOps.exif_transpose(original)
        pixels = plain_pixels(in_srgb(oriented, original.info.get("icc_profile")))
        rights = rights_xmp(photo)
        for variant in VARIANTS:
            cropped = focal_crop(pixels, variant.ratio, photo.focal_x, photo.focal_y)
            for width in rendition_widths(cropped.width, variant.widths):
                height = max(1, round(cropped.height * width / cropped.width))
                resized = cropped.resize((width, height), Image.Resampling.LANCZOS)
                for fmt in variant.formats:
                    shape = variant.crop.replace(":", "x") or "full"
                    name = f"renditions/{photo.pk}/{key}-{shape}-{width}.{fmt}"
                    content = encode(resized, fmt, rights)
                    if signer:
                        content = credentials.sign_rendition(
                            content,
                            signer=signer,
                            photo=photo,
                            title=name.rpartition("/")[2],
                            crop=variant.crop,
                            width=width,
                            fmt=fmt,
                            original=file,
                            original_format=original.format,
                        )
                    written.append(rendition_storage().save(name, ContentFile(content)))
                    made.append(
                        Rendition(
                            photo=photo,
                            source_key=key,
                            crop=variant.crop,
                            format=fmt,
                            width=width,
                            height=height,
                            file=written[-1],
                        )
                    )
    return made


def in_srgb(image, icc_profile):
    """The image's colours converted to sRGB, which browsers assume for untagged images.

    Converting, rather than copying the upload's profile into renditions, keeps wide-gamut
    colours right and whatever bytes an upload hid inside its profile out of public files.
    """
    if not icc_profile:
        return image
    mode = "RGBA" if image.mode in ("RGBA", "LA", "PA") else "RGB"
    try:
        source = ImageCms.ImageCmsProfile(BytesIO(icc_profile))
        return ImageCms.profileToProfile(image, source, SRGB, outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        # Unreadable, or not for these pixels: the colours as stored, without the profile.
        return image


def plain_pixels(image):
    """Only the decoded pixels: a new image carrying none of the upload's metadata."""
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    converted = image.convert("RGBA" if has_alpha else "RGB")
    return Image.frombytes(converted.mode, converted.size, converted.tobytes())


def rendition_widths(available, widths):
    """The widths no larger than the image, or its own width when it is smaller than all."""
    return [w for w in widths if w <= available] or [available]


def focal_crop(image, ratio, focal_x, focal_y):
    """The largest crop of the ratio that keeps the focal point as central as it can."""
    if ratio is None:
        return image
    width, height = image.size
    crop_w = min(width, round(height * ratio[0] / ratio[1]))
    crop_h = min(height, round(crop_w * ratio[1] / ratio[0]))
    left = min(max(0, round(focal_x * width - crop_w / 2)), width - crop_w)
    top = min(max(0, round(focal_y * height - crop_h / 2)), height - crop_h)
    return image.crop((left, top, left + crop_w, top + crop_h))


def encode(image, fmt, rights):
    buffer = BytesIO()
    if fmt == "webp":
        image.save(buffer, "WEBP", quality=75, xmp=rights)
    else:
        if image.mode == "RGBA":
            background = Image.new("RGB", image.size, "white")
            background.paste(image, mask=image.getchannel("A"))
            image = background
        image.save(
            buffer,
            "JPEG",
            quality=82,
            optimize=True,
            progressive=True,
            xmp=rights,
        )
    return buffer.getvalue()


def rights_xmp(photo):
    """The credit travels with every public file: creator, credit line, copyright notice."""
    parts = []
    if photo.creator:
        parts.append(
            f"<dc:creator><rdf:Seq><rdf:li>{escape(photo.creator)}</rdf:li></rdf:Seq></dc:creator>"
        )
    if photo.credit:
        parts.append(f"<photoshop:Credit>{escape(photo.credit)}</photoshop:Credit>")
    if photo.copyright_notice:
        parts.append(
            '<dc:rights><rdf:Alt><rdf:li xml:lang="x-default">'
            f"{escape(photo.copyright_notice)}</rdf:li></rdf:Alt></dc:rights>"
        )
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        f'<rdf:RDF xmlns:rdf="{NS["rdf"]}">'
        f'<rdf:Description rdf:about="" xmlns:dc="{NS["dc"]}" '
        f'xmlns:photoshop="{NS["photoshop"]}">{"".join(parts)}</rdf:Description>'
        '</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    ).encode()


@dataclass
class Picture:
    """What a <picture> element needs: srcsets per format, a fallback and the box size."""

    webp_srcset: str
    jpeg_srcset: str
    src: str
    width: int
    height: int


def picture(photo, crop=""):
    renditions = [r for r in renditions_for(photo) if r.crop == crop]
    if not renditions:
        return None
    by_format = {
        fmt: sorted((r for r in renditions if r.format == fmt), key=lambda r: r.width)
        for fmt in FORMATS
    }
    # The fallback src is a mid-size JPEG: sharp enough, not the heaviest.
    fallback = by_format["jpeg"] or by_format["webp"]
    largest = max(renditions, key=lambda r: r.width)
    return Picture(
        webp_srcset=srcset(by_format["webp"]),
        jpeg_srcset=srcset(by_format["jpeg"]),
        src=fallback[min(1, len(fallback) - 1)].file.url,
        width=largest.width,
        height=largest.height,
    )


def srcset(renditions):
    return ", ".join(f"{r.file.url} {r.width}w" for r in renditions)


# The desk's thumbnails in lists and pickers, and the lead photo's preview in the form.
THUMBNAIL_WIDTH = 96
PREVIEW_WIDTH = 480


def smallest(photo, crop="", at_least=0):
    """The smallest rendition at least `at_least` wide (WebP where both), for the desk."""
    ranked = sorted(
        (r for r in renditions_for(photo) if r.crop == crop),
        key=lambda r: (r.width, r.format != "webp"),
    )
    wide_enough = [r for r in ranked if r.width >= at_least]
    return (wide_enough or ranked[-1:] or [None])[0]


def largest(photo, crop, fmt="jpeg"):
    """The photo's largest rendition of a crop and format, or None."""
    matching = [r for r in renditions_for(photo) if r.crop == crop and r.format == fmt]
    return max(matching, key=lambda r: r.width, default=None)
