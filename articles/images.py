"""Photos: private originals, upload checks, metadata prefill and public renditions.

Readers never get an uploaded file. Every public image is a rendition: pixels Pillow decoded
from the original, oriented, resized, cropped around the focal point and encoded afresh, with
only the rights metadata (creator, credit line, copyright notice) written back as XMP.
"""

import hashlib
import logging
import os
from dataclasses import dataclass
from io import BytesIO
from xml.sax.saxutils import escape

from defusedxml import ElementTree
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from PIL import Image, ImageOps, IptcImagePlugin, UnidentifiedImageError

logger = logging.getLogger(__name__)

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")

# Bump to remake every rendition after a change to how they are encoded.
RENDITION_VERSION = 2


@dataclass(frozen=True)
class Variant:
    """A shape of rendition: a crop ratio (None keeps the photo's own) and its widths."""

    crop: str
    ratio: tuple[int, int] | None
    widths: tuple[int, ...]
    formats: tuple[str, ...] = ("webp", "jpeg")


FULL = Variant(crop="", ratio=None, widths=(320, 640, 960, 1280, 1600))
CARD = Variant(crop="16:9", ratio=(16, 9), widths=(320, 640, 960, 1200))
# Link previews and search engines take 16x9, 4x3 and 1x1 crops, as JPEG.
SHARE_4_3 = Variant(crop="4:3", ratio=(4, 3), widths=(1200,), formats=("jpeg",))
SHARE_1_1 = Variant(crop="1:1", ratio=(1, 1), widths=(1200,), formats=("jpeg",))
VARIANTS = (FULL, CARD, SHARE_4_3, SHARE_1_1)
SHARE_CROPS = (CARD.crop, SHARE_4_3.crop, SHARE_1_1.crop)
FORMATS = {"webp": ("WEBP", "image/webp"), "jpeg": ("JPEG", "image/jpeg")}


# Originals


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


# Upload checks


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
        with Image.open(file, formats=ACCEPTED_FORMATS) as image:
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
    except Image.DecompressionBombError as error:
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


# Metadata


@dataclass
class PhotoMetadata:
    credit: str = ""
    caption: str = ""
    creator: str = ""
    copyright_notice: str = ""
    source: str = ""


NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "xml": "http://www.w3.org/XML/1998/namespace",
}

# IPTC IIM record 2 datasets, and record 1's coded character set.
IIM_FIELDS = {
    "credit": (2, 110),
    "caption": (2, 120),
    "creator": (2, 80),
    "copyright_notice": (2, 116),
    "source": (2, 115),
}
IIM_CHARSET = (1, 90)
IIM_UTF8 = b"\x1b%G"

# XMP first: IIM's Credit Line holds about 32 characters, XMP's holds the agency's full text.
XMP_FIELDS = {
    "credit": ("photoshop", "Credit"),
    "caption": ("dc", "description"),
    "creator": ("dc", "creator"),
    "copyright_notice": ("dc", "rights"),
    "source": ("photoshop", "Source"),
}


def read_metadata(file):
    """Credit, caption, creator, copyright notice and source from XMP, then IPTC IIM."""
    file.seek(0)
    try:
        with Image.open(file, formats=ACCEPTED_FORMATS) as image:
            xmp = xmp_values(image)
            iim = iim_values(image)
    except (OSError, SyntaxError, ValueError) as error:
        logger.info("No metadata read from an upload: %s", error)
        return PhotoMetadata()
    finally:
        file.seek(0)
    return PhotoMetadata(
        **{field: (xmp.get(field) or iim.get(field) or "").strip() for field in XMP_FIELDS}
    )


def xmp_values(image):
    packet = image.info.get("xmp") or image.info.get("XML:com.adobe.xmp")
    if not packet:
        return {}
    try:
        root = ElementTree.fromstring(packet)
    except Exception as error:  # malformed or hostile XML: the metadata is just not read
        logger.info("Unreadable XMP packet ignored: %s", error)
        return {}
    values = {}
    for description in root.iter(f"{{{NS['rdf']}}}Description"):
        for field, (prefix, name) in XMP_FIELDS.items():
            if values.get(field):
                continue
            tag = f"{{{NS[prefix]}}}{name}"
            value = description.get(tag)
            element = description.find(tag)
            if not value and element is not None:
                value = xmp_text(element)
            if value:
                values[field] = value
    return values


def xmp_text(element):
    """A simple value, or the items of an rdf:Alt (x-default first), Seq or Bag."""
    items = element.findall("rdf:Alt/rdf:li", NS)
    if items:
        default = [li for li in items if li.get(f"{{{NS['xml']}}}lang") == "x-default"]
        return (default or items)[0].text or ""
    items = element.findall("rdf:Seq/rdf:li", NS) + element.findall("rdf:Bag/rdf:li", NS)
    if items:
        return ", ".join(li.text for li in items if li.text)
    return element.text or ""


def iim_values(image):
    try:
        info = IptcImagePlugin.getiptcinfo(image) or {}
    except (OSError, SyntaxError, ValueError, IndexError, KeyError) as error:
        logger.info("Unreadable IPTC block ignored: %s", error)
        return {}
    utf8 = first(info.get(IIM_CHARSET)) == IIM_UTF8
    values = {}
    for field, key in IIM_FIELDS.items():
        raw = info.get(key)
        if raw:
            items = raw if isinstance(raw, list) else [raw]
            values[field] = ", ".join(decode_iim(item, utf8) for item in items)
    return values


def first(value):
    return value[0] if isinstance(value, list) else value


def decode_iim(raw, utf8):
    if utf8:
        return raw.decode("utf-8", errors="replace")
    # No declared character set: UTF-8 if it decodes, else a legacy 8-bit code page.
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


# Renditions


def rendition_key(photo):
    """Changes whenever the original or the focal point does."""
    text = f"{RENDITION_VERSION}:{photo.content_hash}:{photo.focal_x:.4f}:{photo.focal_y:.4f}"
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def current_renditions(photo):
    """The photo's up-to-date renditions, from a prefetch when there is one."""
    key = rendition_key(photo)
    return [r for r in photo.renditions.all() if r.source_key == key]


def remember(photo, renditions):
    """Later calls on this instance use these, as if they had been prefetched."""
    photo._prefetched_objects_cache = {
        **getattr(photo, "_prefetched_objects_cache", {}),
        "renditions": renditions,
    }


def renditions_for(photo):
    """Current renditions, made now if missing (then reused: nothing is encoded twice)."""
    if not photo.image:
        return []  # A wire picture whose file has not arrived: nothing to render from.
    key = rendition_key(photo)
    renditions = current_renditions(photo)
    if renditions:
        return renditions
    # Another copy of this photo on the same page may have made them since the prefetch.
    renditions = list(photo.renditions.model.objects.filter(photo=photo, source_key=key))
    if renditions:
        remember(photo, renditions)
        return renditions
    try:
        return make_renditions(photo)
    except IntegrityError:
        # Another request made the same renditions at the same moment: use theirs.
        renditions = list(photo.renditions.model.objects.filter(photo=photo, source_key=key))
        remember(photo, renditions)
        return renditions
    except OSError:
        logger.exception("Could not make renditions of photo %s", photo.pk)
        return []


def delete_files(photo):
    """After a photo's row is gone: its original and every public rendition file."""
    names = [r.file.name for r in photo.renditions.model.objects.filter(photo=photo)]
    original, storage = photo.image.name, photo.image.storage

    def delete():
        for name in names:
            default_storage.delete(name)
        if original:
            storage.delete(original)

    transaction.on_commit(delete)


def make_renditions(photo):
    """Encode every rendition of the photo afresh and drop the stale ones."""
    from .models import Rendition

    written = []
    try:
        made = encode_renditions(photo, written)
        with transaction.atomic():
            stale = list(Rendition.objects.filter(photo=photo))
            Rendition.objects.filter(pk__in=[r.pk for r in stale]).delete()
            Rendition.objects.bulk_create(made)
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise
    stale_files = [r.file.name for r in stale]
    transaction.on_commit(lambda: [default_storage.delete(name) for name in stale_files])
    remember(photo, made)
    return made


def encode_renditions(photo, written):
    """Unsaved Rendition rows, their files stored; names are appended to `written`."""
    from .models import Rendition

    key = rendition_key(photo)
    made = []
    with photo.image.open("rb") as file, Image.open(file, formats=ACCEPTED_FORMATS) as original:
        oriented = ImageOps.exif_transpose(original)
        pixels = plain_pixels(oriented)
        rights = rights_xmp(photo)
        # An RGB colour profile is kept: without it, wide-gamut photos look washed out.
        # Others (CMYK, greyscale) would not match the RGB pixels written.
        icc_profile = (
            original.info.get("icc_profile") if original.mode in ("RGB", "RGBA") else None
        )
        for variant in VARIANTS:
            cropped = focal_crop(pixels, variant.ratio, photo.focal_x, photo.focal_y)
            for width in rendition_widths(cropped.width, variant.widths):
                height = max(1, round(cropped.height * width / cropped.width))
                resized = cropped.resize((width, height), Image.Resampling.LANCZOS)
                for fmt in variant.formats:
                    shape = variant.crop.replace(":", "x") or "full"
                    name = f"renditions/{photo.pk}/{key}-{shape}-{width}.{fmt}"
                    content = encode(resized, fmt, rights, icc_profile)
                    written.append(default_storage.save(name, ContentFile(content)))
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


def encode(image, fmt, rights, icc_profile=None):
    buffer = BytesIO()
    if fmt == "webp":
        image.save(buffer, "WEBP", quality=80, xmp=rights, icc_profile=icc_profile)
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
            icc_profile=icc_profile,
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
    jpeg = by_format["jpeg"]
    # The fallback src is a mid-size JPEG: sharp enough, not the heaviest.
    fallback = jpeg[min(1, len(jpeg) - 1)]
    largest = jpeg[-1]
    return Picture(
        webp_srcset=srcset(by_format["webp"]),
        jpeg_srcset=srcset(jpeg),
        src=fallback.file.url,
        width=largest.width,
        height=largest.height,
    )


def srcset(renditions):
    return ", ".join(f"{r.file.url} {r.width}w" for r in renditions)


def smallest(photo, crop="", at_least=0):
    """The smallest JPEG rendition at least `at_least` wide, for admin thumbnails."""
    jpegs = sorted(
        (r for r in renditions_for(photo) if r.crop == crop and r.format == "jpeg"),
        key=lambda r: r.width,
    )
    wide_enough = [r for r in jpegs if r.width >= at_least]
    return (wide_enough or jpegs[-1:] or [None])[0]


def largest(photo, crop, fmt="jpeg"):
    """The photo's largest rendition of a crop and format, or None."""
    matching = [r for r in renditions_for(photo) if r.crop == crop and r.format == fmt]
    return max(matching, key=lambda r: r.width, default=None)
