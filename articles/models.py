from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager

from . import images
from .sanitize import EDITOR_EXTENSIONS, sanitize_html
from .slugs import ascii_slugify, unique_slug

# Top-level paths a section slug must not shadow (sections live at /<slug>/).
RESERVED_SECTION_SLUGS = frozenset(
    {
        "admin",
        "api",
        "authors",
        "feeds",
        "media",
        "preview",
        "search",
        "sitemap",
        "static",
        "tags",
    }
)


def validate_section_slug(value):
    if value in RESERVED_SECTION_SLUGS:
        raise ValidationError(
            "“%(value)s” is reserved for the site's own pages; choose another slug.",
            params={"value": value},
        )


class SectionQuerySet(models.QuerySet):
    def for_readers(self):
        """Sections readers may browse: every section but the desk's inboxes."""
        return self.filter(is_inbox=False)


class Section(models.Model):
    name = models.CharField("name", max_length=100, unique=True)
    slug = models.SlugField(
        "slug",
        max_length=100,
        unique=True,
        validators=[validate_section_slug],
        help_text="The section's address: /<slug>/.",
    )
    description = models.TextField(
        "description", blank=True, help_text="Shown on the section page and in search results."
    )
    position = models.PositiveSmallIntegerField(
        "position", default=0, help_text="Order in the site navigation, lowest first."
    )
    is_inbox = models.BooleanField(
        "desk inbox",
        default=False,
        help_text="An inbox for incoming copy, such as “Wire”: readers never see the section "
        "or anything in it.",
    )

    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:section-detail", kwargs={"slug": self.slug})


class Source(models.Model):
    name = models.CharField(
        "name",
        max_length=200,
        unique=True,
        help_text="As readers see it in the sources line, e.g. “Reuters” or “abcnews.go.com”.",
    )
    url = models.URLField("URL", blank=True, help_text="The source's home page, if any.")
    feed_url = models.URLField(
        "feed URL",
        blank=True,
        help_text="An RSS or Atom feed that “manage.py ingest_feeds” polls into the wire inbox.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


def photo_upload_to(instance, filename):
    return timezone.now().strftime("photos/%Y/%m/") + filename


def validate_focal(value):
    if not 0 <= value <= 1:
        raise ValidationError("Give a fraction from 0 to 1.")


class Photo(models.Model):
    image = models.ImageField(
        "image",
        upload_to=photo_upload_to,
        storage=images.originals_storage,
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
            self.content_hash = images.content_hash(self.image)  # left open: still to be stored
        elif self.image and not self.content_hash:
            with self.image.open("rb") as file:
                self.content_hash = images.content_hash(file)
        super().save(*args, **kwargs)


class AuthorProfile(models.Model):
    """A staff member's public face: the author page's address, never the login name."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="user",
        on_delete=models.CASCADE,
        related_name="author_profile",
    )
    slug = models.SlugField(
        "slug",
        max_length=80,
        unique=True,
        help_text="The author page's address, /authors/<slug>/, made from the full name. "
        "Changing it breaks links to the page.",
    )

    class Meta:
        verbose_name = "author profile"
        ordering = ["slug"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:author-detail", kwargs={"slug": self.slug})

    @property
    def name(self):
        """The name readers see; a person with none is credited as staff, not by login."""
        return self.user.get_full_name().strip() or "Staff writer"

    @classmethod
    def sync(cls, user):
        """Give `user` an author page; its slug follows the name until they first publish.

        People are often created before their name is typed (the admin's add-user form);
        once an article of theirs is public, the address stays put.
        """
        name = user.get_full_name().strip()
        profile = cls.objects.filter(user=user).first()
        if profile is None:
            return cls.objects.create(user=user, slug=unique_slug(cls, name or "author"))
        base = ascii_slugify(name)
        follows_name = profile.slug == base or profile.slug.startswith(f"{base}-")
        if (
            name
            and not follows_name
            and not Article.objects.published().filter(authors=user).exists()
        ):
            profile.slug = unique_slug(cls, name, exclude_pk=profile.pk)
            profile.save(update_fields=["slug"])
        return profile


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
    file = models.FileField("file", max_length=255)

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


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """What readers may see: the one definition every public surface starts from."""
        return self.filter(
            status=ArticleStatus.PUBLISHED,
            publish_at__lte=timezone.now(),
            deleted_at__isnull=True,
            section__is_inbox=False,
        )

    def withdrawn(self):
        """Articles readers could once read and no longer can: their URLs answer 410 Gone."""
        return self.filter(first_published_at__isnull=False).filter(
            Q(status=ArticleStatus.UNPUBLISHED) | Q(deleted_at__isnull=False)
        )

    def not_in_trash(self):
        return self.filter(deleted_at__isnull=True)

    def in_trash(self):
        return self.filter(deleted_at__isnull=False)

    def in_review_queue(self):
        """Articles and changes to live articles waiting for an editor, oldest first."""
        return (
            self.not_in_trash()
            .filter(
                Q(status=ArticleStatus.IN_REVIEW)
                | Q(status=ArticleStatus.PUBLISHED, pending_revision__isnull=False)
            )
            .filter(submitted_at__isnull=False)
            .order_by("submitted_at", "id")
        )

    def visible_to(self, user):
        """What a staff member may open: editors everything, journalists their own and live."""
        if user.has_perm("articles.edit_any_article"):
            return self
        return self.filter(
            Q(created_by=user)
            | Q(authors=user)
            | Q(pk__in=Article.objects.published().values("pk"))
        ).distinct()

    def for_listing(self):
        """What a card needs (section label, thumbnail), newest first."""
        return (
            self.select_related("section", "photo")
            .prefetch_related("photo__renditions")
            .defer("search_vector")
            .order_by("-publish_at", "-id")
        )

    def for_detail(self):
        """Everything the article page shows, in a constant number of queries."""
        related = self.select_related("section", "photo", "photo__provider")
        return related.defer("search_vector").prefetch_related(
            "photo__renditions",
            models.Prefetch(
                "source_links",
                queryset=ArticleSource.objects.select_related("source").order_by("position", "id"),
            ),
            "tags",
            "authors__author_profile",
            "corrections",
        )

    def newest_per_section(self, count):
        """The `count` newest articles of each section, in one query."""
        ranked = self.annotate(
            section_rank=Window(
                RowNumber(),
                partition_by=F("section_id"),
                order_by=[F("publish_at").desc(), F("id").desc()],
            )
        )
        return ranked.filter(section_rank__lte=count)


class ArticleStatus(models.TextChoices):
    """The stored status; articles/workflow.py is the only code that changes it."""

    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    RETURNED = "returned", "Returned to author"
    PUBLISHED = "published", "Published"
    UNPUBLISHED = "unpublished", "Unpublished"


class WorkflowState(models.TextChoices):
    """What the desk sees: the status, refined by publish time, pending changes and trash."""

    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    RETURNED = "returned", "Returned to author"
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHED = "published", "Published"
    CHANGES_PENDING = "changes_pending", "Published, changes pending"
    CHANGES_IN_REVIEW = "changes_in_review", "Published, changes in review"
    UNPUBLISHED = "unpublished", "Unpublished"
    TRASH = "trash", "In trash"


class Article(models.Model):
    Status = ArticleStatus

    # An edit this soon after publishing is part of publishing, not an update.
    UPDATE_GRACE = timedelta(minutes=1)

    headline = models.CharField("headline", max_length=300)
    slug = models.SlugField(
        "slug",
        max_length=255,
        unique=True,
        blank=True,
        help_text="Part of the article's address. Left blank, it is made from the headline.",
    )
    section = models.ForeignKey(
        Section, verbose_name="section", on_delete=models.PROTECT, related_name="articles"
    )
    standfirst = models.TextField(
        "standfirst", blank=True, help_text="The one- or two-sentence summary under the headline."
    )
    body = ProseEditorField(
        "body", blank=True, extensions=EDITOR_EXTENSIONS, sanitize=sanitize_html
    )
    byline = models.CharField(
        "byline",
        max_length=255,
        blank=True,
        help_text="As printed, e.g. for wire copy: “By Anna Nowak, Reuters”.",
    )
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name="authors",
        blank=True,
        related_name="articles",
        help_text="Staff who wrote the article.",
    )
    photo = models.ForeignKey(
        Photo,
        verbose_name="lead photo",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
    )
    sources = models.ManyToManyField(
        Source,
        verbose_name="sources",
        through="ArticleSource",
        blank=True,
        related_name="articles",
    )
    tags = TaggableManager("tags", blank=True)
    language = models.CharField(
        "language",
        max_length=35,
        blank=True,
        help_text="The copy's language as a BCP 47 tag, e.g. “pl” or “en-GB”; blank for the "
        "site's language.",
    )
    embargo_until = models.DateTimeField(
        "embargoed until",
        null=True,
        blank=True,
        help_text="The agency's embargo: the article cannot be published before this time.",
    )
    status = models.CharField(
        "status", max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    publish_at = models.DateTimeField(
        "publish at",
        null=True,
        blank=True,
        help_text="When readers first see the article. Left blank, it is set on publishing.",
    )
    first_published_at = models.DateTimeField("first published", null=True, editable=False)
    created_at = models.DateTimeField("created", auto_now_add=True)
    updated_at = models.DateTimeField("updated", auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="created by",
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="created_articles",
    )
    submitted_at = models.DateTimeField(
        "submitted for review", null=True, editable=False, help_text="When it joined the queue."
    )
    pending_revision = models.ForeignKey(
        "Revision",
        verbose_name="pending changes",
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
        help_text="Edits to a live article that readers do not see until an editor publishes.",
    )
    deleted_at = models.DateTimeField("moved to trash", null=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="moved to trash by",
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
    )
    # Kept current by articles.search on PostgreSQL; unused (NULL) on SQLite, which has FTS5.
    search_vector = SearchVectorField("search vector", null=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-id"]
        permissions = [
            ("publish_article", "Can publish, schedule, return and unpublish articles"),
            ("edit_any_article", "Can edit any article, whoever wrote it and in any state"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ArticleStatus.values),
                name="article_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status=ArticleStatus.PUBLISHED) | Q(publish_at__isnull=False),
                name="article_published_has_publish_at",
            ),
        ]
        indexes = [
            # Section pages and "More in": published articles of a section, newest first.
            models.Index(
                fields=["section", "-publish_at", "-id"],
                name="article_section_publish_idx",
                condition=Q(status=ArticleStatus.PUBLISHED),
            ),
            # Front page and feeds: every published article, newest first.
            models.Index(
                fields=["status", "-publish_at", "-id"], name="article_status_publish_idx"
            ),
            # The review queue: oldest submission first.
            models.Index(
                fields=["submitted_at", "id"],
                name="article_review_queue_idx",
                condition=Q(submitted_at__isnull=False),
            ),
            # Search on PostgreSQL (created only there, see migration 0003).
            GinIndex(fields=["search_vector"], name="article_search_vector_idx"),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        self.body = sanitize_html(self.body)
        if self.status == self.Status.PUBLISHED:
            self.publish_at = self.publish_at or timezone.now()
            self.first_published_at = self.first_published_at or self.publish_at
        if self.slug:
            return super().save(*args, **kwargs)
        # A generated slug can race another save of the same headline: retry with a new one.
        for attempt in range(3):
            self.slug = unique_slug(Article, self.headline, exclude_pk=self.pk)
            try:
                with transaction.atomic():
                    return super().save(*args, **kwargs)
            except IntegrityError:
                self.slug = ""
                if attempt == 2:
                    raise

    def get_absolute_url(self):
        return reverse(
            "articles:article-detail",
            kwargs={"section": self.section.slug, "pk": self.pk, "slug": self.slug},
        )

    @property
    def workflow_state(self):
        if self.deleted_at:
            return WorkflowState.TRASH
        if self.status != ArticleStatus.PUBLISHED:
            return WorkflowState(self.status)
        if self.publish_at and self.publish_at > timezone.now():
            return WorkflowState.SCHEDULED
        if self.pending_revision_id:
            return (
                WorkflowState.CHANGES_IN_REVIEW
                if self.submitted_at
                else WorkflowState.CHANGES_PENDING
            )
        return WorkflowState.PUBLISHED

    @property
    def is_live(self):
        return (
            self.status == ArticleStatus.PUBLISHED
            and not self.deleted_at
            and self.publish_at is not None
            and self.publish_at <= timezone.now()
        )

    def is_written_by(self, user):
        if self.created_by_id is not None and self.created_by_id == user.pk:
            return True
        return self.pk is not None and self.authors.filter(pk=user.pk).exists()

    @property
    def was_updated(self):
        """True when the article changed after readers could first see it."""
        return bool(self.publish_at) and self.updated_at > self.publish_at + self.UPDATE_GRACE

    # Google wants images of at least 50,000 pixels for articles in search and Discover.
    MIN_SHARE_IMAGE_PIXELS = 50_000

    def publication_problems(self, at=None):
        """Why the article may not go live at `at` (default now); empty when it may."""
        at = at or timezone.now()
        problems = []
        if not self.headline.strip():
            problems.append("The headline is empty.")
        if self.embargo_until and at < self.embargo_until:
            local = timezone.localtime(self.embargo_until)
            problems.append(
                f"The copy is embargoed until {local:%Y-%m-%d %H:%M %Z}: "
                "it cannot be published before then."
            )
        if self.section_id and self.section.is_inbox:
            problems.append(
                f"The article is still in the {self.section} inbox, which readers never see: "
                "choose its section first."
            )
        photo = self.photo
        if photo is not None and not photo.image:
            problems.append(
                f"The lead photo “{photo}” (no. {photo.pk}) has no image file yet: add the "
                "agency's rendition or choose another photo."
            )
        elif photo is not None and photo.width * photo.height < self.MIN_SHARE_IMAGE_PIXELS:
            problems.append(
                f"The lead photo is {photo.width}×{photo.height} pixels: search engines and "
                f"link previews need at least {self.MIN_SHARE_IMAGE_PIXELS:,} pixels "
                "(e.g. 400×225). Choose a larger photo."
            )
        if photo is not None:
            missing = [
                label
                for label, value in (("credit", photo.credit), ("alt text", photo.alt_text))
                if not value.strip()
            ]
            if missing:
                problems.append(
                    f"The lead photo “{photo}” (no. {photo.pk}) needs "
                    f"{' and '.join(missing)} before the article is published."
                )
        return problems

    @property
    def last_modified(self):
        """When the copy readers see last changed: publication, or a later edit."""
        return max(self.updated_at, self.publish_at) if self.publish_at else self.updated_at

    def ordered_sources(self):
        """The sources in the order the journalist set them."""
        if hasattr(self, "_preview_sources"):
            return self._preview_sources
        return [link.source for link in self.source_links.all()]

    def tag_list(self):
        if hasattr(self, "_preview_tags"):
            return self._preview_tags
        return list(self.tags.all())

    def author_list(self):
        if hasattr(self, "_preview_authors"):
            return self._preview_authors
        return list(self.authors.all())

    def more_in_section(self, count=None):
        """The newest other published articles of this article's section."""
        count = count or settings.NEWSROOM_MORE_IN_COUNT
        return (
            Article.objects.published()
            .filter(section_id=self.section_id)
            .exclude(pk=self.pk)
            .for_listing()[:count]
        )

    def related(self, count=None):
        """The newest published articles sharing most tags with this one."""
        count = count or settings.NEWSROOM_RELATED_COUNT
        tag_ids = [tag.pk for tag in self.tags.all()]
        if not tag_ids:
            return Article.objects.none()
        return (
            Article.objects.published()
            .filter(tags__in=tag_ids)
            .exclude(pk=self.pk)
            .for_listing()
            .annotate(shared_tags=Count("tags"))
            .order_by("-shared_tags", "-publish_at", "-id")[:count]
        )


class ArticleSource(models.Model):
    """An article's source, in the order the journalist listed it."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="source_links")
    source = models.ForeignKey(
        Source, verbose_name="source", on_delete=models.PROTECT, related_name="article_links"
    )
    position = models.PositiveSmallIntegerField(
        "order", default=0, blank=True, help_text="Leave blank to keep the order of the rows."
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "source"
        constraints = [
            models.UniqueConstraint(
                fields=["article", "source"], name="articlesource_unique_per_article"
            )
        ]

    def __str__(self):
        return self.source.name


class Revision(models.Model):
    """A full copy of an article as someone saved it: every field, sources in order, tags."""

    article = models.ForeignKey(
        Article, verbose_name="article", on_delete=models.CASCADE, related_name="revisions"
    )
    created_at = models.DateTimeField("saved", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="saved by",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    state = models.CharField("state when saved", max_length=20, choices=WorkflowState.choices)
    summary = models.CharField("summary", max_length=200, blank=True)
    data = models.JSONField("content", encoder=DjangoJSONEncoder)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["article", "-created_at"], name="revision_article_idx")]

    def __str__(self):
        return f"Revision {self.pk} of “{Truncator(self.data.get('headline', '')).chars(60)}”"


class Transition(models.Model):
    """One step of the workflow: who moved the article, when, from what to what, and why."""

    article = models.ForeignKey(
        Article, verbose_name="article", on_delete=models.CASCADE, related_name="transitions"
    )
    revision = models.ForeignKey(
        Revision, verbose_name="revision", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="by",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField("when", default=timezone.now)
    from_state = models.CharField("from", max_length=20, choices=WorkflowState.choices)
    to_state = models.CharField("to", max_length=20, choices=WorkflowState.choices)
    note = models.TextField("note", blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["article", "-at"], name="transition_article_idx")]

    def __str__(self):
        return f"{self.get_from_state_display()} → {self.get_to_state_display()}"


class Correction(models.Model):
    """A dated correction note shown under the article's body."""

    article = models.ForeignKey(
        Article, verbose_name="article", on_delete=models.CASCADE, related_name="corrections"
    )
    text = models.TextField("correction", help_text="What was wrong and what is right now.")
    created_at = models.DateTimeField("dated", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="by",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return Truncator(self.text).chars(80)


class SectionRule(models.Model):
    """Where incoming wire copy lands: the first matching rule, by priority, wins."""

    class MatchOn(models.TextChoices):
        SERVICE = "service", "Service"
        SUBJECT = "subject", "Subject"
        PROVIDER = "provider", "Provider"

    match_on = models.CharField(
        "match on", max_length=20, choices=MatchOn.choices, default=MatchOn.SUBJECT
    )
    value = models.CharField(
        "value",
        max_length=255,
        help_text="A service or subject code (e.g. “medtop:04000000”, “13010000”) or name, or "
        "the provider's name; compared without regard to case.",
    )
    section = models.ForeignKey(
        Section, verbose_name="section", on_delete=models.CASCADE, related_name="wire_rules"
    )
    priority = models.PositiveSmallIntegerField(
        "priority", default=100, help_text="Rules are tried lowest number first."
    )

    class Meta:
        ordering = ["priority", "id"]
        verbose_name = "wire section rule"
        constraints = [
            models.CheckConstraint(
                condition=Q(match_on__in=["service", "subject", "provider"]),
                name="sectionrule_match_on_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_match_on_display()} “{self.value}” → {self.section}"


class WireItem(models.Model):
    """One version of one agency item as received, and what it became in the newsroom."""

    class Format(models.TextChoices):
        NINJS = "ninjs", "IPTC NINJS"
        NEWSML_G2 = "newsml-g2", "IPTC NewsML-G2"
        NITF = "nitf", "IPTC NITF"
        FEED = "feed", "RSS/Atom feed"

    guid = models.CharField(
        "GUID", max_length=500, help_text="The agency's identifier (NINJS uri, NewsML-G2 guid)."
    )
    version = models.CharField(
        "version",
        max_length=100,
        help_text="The agency's version, or the version's creation time when it gives none.",
    )
    format = models.CharField("format", max_length=20, choices=Format.choices)
    source = models.ForeignKey(
        Source,
        verbose_name="provider",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="wire_items",
    )
    headline = models.CharField("headline", max_length=300, blank=True)
    body = models.TextField("body", blank=True, help_text="This version's copy, sanitised.")
    link = models.URLField("link", max_length=2000, blank=True)
    version_created = models.DateTimeField("version created", null=True, blank=True)
    first_created = models.DateTimeField("first created", null=True, blank=True)
    payload_sha256 = models.CharField("payload SHA-256", max_length=64, blank=True)
    article = models.ForeignKey(
        Article,
        verbose_name="article",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="wire_items",
    )
    photo = models.ForeignKey(
        Photo,
        verbose_name="photo",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="wire_items",
    )
    article_updated_at = models.DateTimeField(
        "article as imported",
        null=True,
        editable=False,
        help_text="The article's “updated” time right after this import wrote it: a later "
        "time means someone has worked on it since.",
    )
    photo_fingerprint = models.CharField(
        "photo as imported",
        max_length=64,
        blank=True,
        editable=False,
        help_text="A hash of the photo's credit, caption and rights as this import wrote "
        "them: a different hash means someone has edited the photo since.",
    )
    flagged_update = models.BooleanField(
        "flagged update",
        default=False,
        help_text="A newer version that arrived after the draft was edited: kept here for "
        "the journalist, never written over their work.",
    )
    received_at = models.DateTimeField("received", auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = "wire item"
        constraints = [
            models.UniqueConstraint(fields=["guid", "version"], name="wireitem_unique_version"),
        ]
        indexes = [
            models.Index(fields=["flagged_update", "-received_at"], name="wireitem_flagged_idx"),
        ]

    def __str__(self):
        return f"{self.headline or self.guid} (v{self.version})"


class FeedEntry(models.Model):
    """An RSS/Atom entry waiting in the wire inbox; a journalist may turn it into a draft."""

    source = models.ForeignKey(
        Source, verbose_name="source", on_delete=models.CASCADE, related_name="feed_entries"
    )
    guid = models.CharField("GUID", max_length=500, help_text="The entry's id, or its link.")
    link = models.URLField("link", max_length=2000, blank=True)
    title = models.CharField("title", max_length=300)
    summary = models.TextField("summary", blank=True, help_text="Sanitised.")
    published_at = models.DateTimeField("published", null=True, blank=True)
    fetched_at = models.DateTimeField("fetched", auto_now_add=True)
    article = models.OneToOneField(
        Article,
        verbose_name="draft",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feed_entry",
    )

    class Meta:
        ordering = ["-published_at", "-fetched_at", "-id"]
        verbose_name = "feed entry"
        verbose_name_plural = "wire inbox (feed entries)"
        constraints = [
            models.UniqueConstraint(fields=["source", "guid"], name="feedentry_unique_per_source"),
        ]

    def __str__(self):
        return self.title


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="author_profile_for_user")
def keep_author_profile(sender, instance, raw=False, update_fields=None, **kwargs):
    # Signing in saves last_login; that changes nothing readers see.
    if raw or (update_fields and set(update_fields) <= {"last_login", "password"}):
        return
    AuthorProfile.sync(instance)
