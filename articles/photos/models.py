"""The photo library: private originals with their credit and rights, and public renditions."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import Truncator

from .. import visibility
from .storage import content_hash, originals_storage, rendition_storage


def photo_upload_to(instance, filename):
    return timezone.now().strftime("photos/%Y/%m/") + filename


def validate_focal(value):
    if not 0 <= value <= 1:
        raise ValidationError("Give a fraction from 0 to 1.")


class PhotoQuerySet(models.QuerySet):
    def with_same_file(self, file):
        """Photos whose original has exactly these bytes: the library keeps one copy."""
        return self.filter(content_hash=content_hash(file))

    def seen_by_readers(self):
        """Photos a published article leads with: only their renditions are public."""
        lookups = visibility.published_lookups()
        return self.filter(**{f"articles__{key}": value for key, value in lookups.items()})


class Photo(models.Model):
    image = models.ImageField(
        "image",
        upload_to=photo_upload_to,
        storage=originals_storage,
        width_field="width",
        height_field="height",
        blank=True,
        help_text="JPEG, PNG or WebP. The original stays private; readers get renditions. "
        "Wire photos arrive without one until the agency's rendition is downloaded.",
    )
    original_url = models.URLField(
        "original URL",
        max_length=2000,
        blank=True,
        help_text="Where the agency offers the full-resolution rendition.",
    )
    caption = models.TextField(
        "caption", blank=True, help_text="What the news says about the photo. Shown as entered."
    )
    credit = models.CharField(
        "credit",
        max_length=1000,
        help_text="Exactly as the agency requires, e.g. "
        "“EPA/PHOTOGRAPHER / POOL MANDATORY CREDIT Dostawca: PAP/EPA.”",
    )
    alt_text = models.CharField(
        "alt text",
        max_length=500,
        blank=True,
        help_text="What the photo shows, for readers who cannot see it. "
        "Required before an article with this lead photo is published.",
    )
    creator = models.CharField(
        "creator",
        max_length=300,
        blank=True,
        help_text="The photographer, as in the file's By-line. Written into every public file.",
    )
    copyright_notice = models.TextField(
        "copyright notice",
        blank=True,
        help_text="As the agency states it. Written into every public file with the credit "
        "and creator.",
    )
    focal_x = models.FloatField(
        "focal point across",
        default=0.5,
        validators=[validate_focal],
        help_text="What cropped thumbnails keep in frame: 0 is the left edge, 1 the right.",
    )
    focal_y = models.FloatField(
        "focal point down",
        default=0.5,
        validators=[validate_focal],
        help_text="0 is the top edge, 1 the bottom.",
    )
    content_hash = models.CharField(
        "content hash",
        max_length=64,
        blank=True,
        editable=False,
        db_index=True,
        help_text="sha256 of the uploaded file: the same file uploaded twice is found.",
    )
    usage_terms = models.TextField(
        "usage terms",
        blank=True,
        help_text="The agency's restrictions, e.g. “editorial use only”.",
    )
    provider = models.ForeignKey(
        "Source",
        verbose_name="provider",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="photos",
        help_text="The agency that supplied the photo.",
    )
    width = models.PositiveIntegerField("width", editable=False, default=0)
    height = models.PositiveIntegerField("height", editable=False, default=0)
    created_at = models.DateTimeField("created", auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="uploaded by",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="uploaded_photos",
    )

    objects = PhotoQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(focal_x__gte=0, focal_x__lte=1, focal_y__gte=0, focal_y__lte=1),
                name="photo_focal_point_in_frame",
            )
        ]

    def __str__(self):
        label = self.caption or self.credit or self.image.name
        return Truncator(label).chars(80)

    def save(self, *args, **kwargs):
        # A new file (or a row from before hashes) gets the hash its renditions are keyed on.
        if self.image and not self.image._committed:
            self.content_hash = content_hash(self.image)  # left open: still to be stored
        elif self.image and not self.content_hash:
            with self.image.open("rb") as file:
                self.content_hash = content_hash(file)
        super().save(*args, **kwargs)


class RenditionFormat(models.TextChoices):
    WEBP = "webp", "WebP"
    JPEG = "jpeg", "JPEG"


class Rendition(models.Model):
    """A public file made from a photo's decoded pixels: one width, format and crop."""

    Format = RenditionFormat

    photo = models.ForeignKey(
        Photo, verbose_name="photo", on_delete=models.CASCADE, related_name="renditions"
    )
    source_key = models.CharField(
        "source key",
        max_length=32,
        help_text="Changes with the original and the focal point; older renditions are remade.",
    )
    crop = models.CharField(
        "crop", max_length=10, blank=True, help_text="Aspect ratio cropped to; blank for none."
    )
    format = models.CharField("format", max_length=10, choices=Format.choices)
    width = models.PositiveIntegerField("width")
    height = models.PositiveIntegerField("height")
    file = models.FileField("file", max_length=255, storage=rendition_storage)

    class Meta:
        ordering = ["photo", "crop", "format", "width"]
        constraints = [
            models.UniqueConstraint(
                fields=["photo", "source_key", "crop", "format", "width"],
                name="rendition_unique_per_photo_version",
            ),
            models.CheckConstraint(
                condition=Q(format__in=RenditionFormat.values), name="rendition_format_valid"
            ),
        ]

    def __str__(self):
        return f"{self.photo_id} {self.crop or 'full'} {self.width}w {self.format}"
