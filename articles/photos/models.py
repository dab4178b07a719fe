"""The photo library: private originals with their credit and rights, and public renditions."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import Truncator

from . import credentials as c2pa_credentials
from .credentials import CredentialsState
from .storage import (
    content_hash,
    originals_storage,
    refused_when_store_is_down,
    rendition_storage,
)


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
        articles = self.model._meta.get_field("articles").related_model.objects
        return self.filter(pk__in=articles.published().values("photo"))


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
    image_problem = models.CharField(
        "image problem",
        max_length=500,
        blank=True,
        editable=False,
        help_text="Why the agency's rendition could not be fetched from the original URL; "
        "empty once it is here. “manage.py fetch_wire_pictures” tries again.",
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
    wire_guid = models.CharField(
        "agency GUID",
        max_length=500,
        blank=True,
        editable=False,
        help_text="The agency's identifier of a wire picture: the same picture arriving alone "
        "and inside a text item is one photo.",
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
    credentials_state = models.CharField(
        "content credentials",
        max_length=10,
        choices=CredentialsState.choices,
        blank=True,
        editable=False,
        help_text="The C2PA manifest in the file, as validated on upload; blank for none.",
    )
    credentials = models.JSONField(
        "content credentials details",
        default=dict,
        blank=True,
        editable=False,
        help_text="Signer, claim generator, actions, ingredients and any validation failures.",
    )
    digital_source_type = models.CharField(
        "digital source type",
        max_length=200,
        blank=True,
        editable=False,
        help_text="How the picture was made (IPTC digital source type), from its manifest "
        "or the wire item.",
    )
    trust_indicators = models.JSONField(
        "trust indicators",
        default=list,
        blank=True,
        editable=False,
        help_text="The agency's links about the picture's trustworthiness (NINJS).",
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
            ),
            models.CheckConstraint(
                condition=Q(credentials_state__in=["", *CredentialsState.values]),
                name="photo_credentials_state_valid",
            ),
        ]
        indexes = [models.Index(fields=["wire_guid"], name="photo_wire_guid_idx")]

    def __str__(self):
        label = self.caption or self.credit or self.image.name
        return Truncator(label).chars(80)

    def save(self, *args, **kwargs):
        # A new file (or a row from before hashes) gets the hash its renditions are keyed on,
        # and what its C2PA manifest says.
        if self.image and not self.image._committed:
            self.content_hash = content_hash(self.image)  # left open: still to be stored
            self.keep_credentials(c2pa_credentials.read_credentials(self.image))
        elif self.image and not self.content_hash:
            with self.image.open("rb") as file:
                self.content_hash = content_hash(file)
                self.keep_credentials(c2pa_credentials.read_credentials(file))
        # What the signed manifest says wins over the wire's word for the same picture.
        self.digital_source_type = (
            self.credentials.get("digital_source_type") or self.digital_source_type
        )
        # The file is stored before the row is written: a store that is down leaves no row.
        with refused_when_store_is_down():
            super().save(*args, **kwargs)

    def keep_credentials(self, found):
        """Keep what a new file's manifest says about it."""
        if self.digital_source_type == self.credentials.get("digital_source_type"):
            self.digital_source_type = ""  # the old file's word leaves with the old file
        self.credentials_state = found.state if found else ""
        self.credentials = found.summary() if found else {}

    @property
    def credentials_badge(self):
        return c2pa_credentials.badge(
            self.credentials_state, self.credentials.get("signer", ""), self.digital_source_type
        )

    @property
    def digital_source_name(self):
        return c2pa_credentials.source_type_name(self.digital_source_type)

    @property
    def is_generated(self):
        return c2pa_credentials.is_generated(self.digital_source_type)


class PhotoChangeStatus(models.TextChoices):
    APPLIED = "applied", "Applied"
    PENDING = "pending", "Waiting for an editor"
    REJECTED = "rejected", "Rejected"


class PhotoChange(models.Model):
    """One change to a photo's file, credit, caption or rights: who, when, old and new values.

    A change to a photo a published article uses waits for an editor unless its author may
    publish; the others apply at once. Both are kept here.
    """

    Status = PhotoChangeStatus

    photo = models.ForeignKey(
        Photo, verbose_name="photo", on_delete=models.CASCADE, related_name="changes"
    )
    changes = models.JSONField(
        "changes", help_text="Each changed field with its old and new value."
    )
    status = models.CharField("status", max_length=10, choices=Status.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="changed by",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField("changed", default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="approved or rejected by",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField("approved or rejected", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=PhotoChangeStatus.values), name="photochange_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["photo", "-created_at"], name="photochange_photo_idx")]

    def __str__(self):
        return f"{self.get_status_display()} change to photo {self.photo_id}"


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
