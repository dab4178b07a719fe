from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager

from .sanitize import EDITOR_EXTENSIONS, sanitize_html
from .slugs import unique_slug

# Top-level paths a section slug must not shadow (sections live at /<slug>/).
RESERVED_SECTION_SLUGS = frozenset(
    {"admin", "api", "authors", "feeds", "media", "search", "sitemap", "static", "tags"}
)


def validate_section_slug(value):
    if value in RESERVED_SECTION_SLUGS:
        raise ValidationError(
            "“%(value)s” is reserved for the site's own pages; choose another slug.",
            params={"value": value},
        )


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

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


def photo_upload_to(instance, filename):
    return timezone.now().strftime("photos/%Y/%m/") + filename


class Photo(models.Model):
    image = models.ImageField(
        "image",
        upload_to=photo_upload_to,
        width_field="width",
        height_field="height",
        help_text="JPEG, PNG or WebP.",
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
        help_text="What the photo shows, for readers who cannot see it.",
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

    def __str__(self):
        label = self.caption or self.credit or self.image.name
        return Truncator(label).chars(80)


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """What readers may see: the one definition every public surface starts from."""
        return self.filter(status=ArticleStatus.PUBLISHED, publish_at__lte=timezone.now())

    def for_listing(self):
        """What a card needs (section label, thumbnail), newest first."""
        return (
            self.select_related("section", "photo")
            .defer("search_vector")
            .order_by("-publish_at", "-id")
        )

    def for_detail(self):
        """Everything the article page shows, in a constant number of queries."""
        related = self.select_related("section", "photo", "photo__provider")
        return related.defer("search_vector").prefetch_related(
            models.Prefetch(
                "source_links",
                queryset=ArticleSource.objects.select_related("source").order_by("position", "id"),
            ),
            "tags",
            "authors",
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
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


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
    # Kept current by articles.search on PostgreSQL; unused (NULL) on SQLite, which has FTS5.
    search_vector = SearchVectorField("search vector", null=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-id"]
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
    def was_updated(self):
        """True when the article changed after readers could first see it."""
        return bool(self.publish_at) and self.updated_at > self.publish_at + self.UPDATE_GRACE

    # Google wants images of at least 50,000 pixels for articles in search and Discover.
    MIN_SHARE_IMAGE_PIXELS = 50_000

    def publication_problems(self, at=None):
        """Why the article may not be published (at `at`, None meaning now); empty if it may."""
        problems = []
        if self.photo_id:
            photo = self.photo
            if photo.width * photo.height < self.MIN_SHARE_IMAGE_PIXELS:
                problems.append(
                    f"The lead photo is {photo.width}×{photo.height} pixels: search engines and "
                    f"link previews need at least {self.MIN_SHARE_IMAGE_PIXELS:,} pixels "
                    "(e.g. 400×225). Choose a larger photo."
                )
            if not photo.alt_text.strip():
                problems.append(
                    "The lead photo has no alt text: describe what it shows for readers who "
                    "cannot see it."
                )
        return problems

    @property
    def last_modified(self):
        """When the copy readers see last changed: publication, or a later edit."""
        return max(self.updated_at, self.publish_at) if self.publish_at else self.updated_at

    def ordered_sources(self):
        """The sources in the order the journalist set them."""
        return [link.source for link in self.source_links.all()]

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
