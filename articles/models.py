import re
from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import slug_re
from django.db import IntegrityError, models, transaction
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.text import slugify
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager
from taggit.models import Tag

from . import visibility
from .addresses import address
from .desk.models import Autosave, Correction, DeskPolicy, PreviewLink, Revision, Transition
from .fronts.models import BreakingNews, Front, FrontRevision, FrontSlot, FrontSuggestion
from .live.models import LiveEntry, LiveEntryChange
from .photos.credentials import CredentialsState
from .photos.models import (
    Photo,
    PhotoChange,
    Rendition,
    RenditionFormat,
    photo_upload_to,
    validate_focal,
)
from .querysets import ArticleQuerySet, in_any_of, tag_items
from .sanitize import EDITOR_EXTENSIONS, sanitize_html
from .slugs import ascii_slugify, unique_slug
from .states import ArticleStatus, WorkflowState
from .wire.models import FeedEntry, SectionRule, WireItem

# Models of the desks live in their own packages; Django finds them through this module.
__all__ = [
    "Article",
    "ArticleSource",
    "ArticleStatus",
    "AuthorProfile",
    "Autosave",
    "BreakingNews",
    "Correction",
    "DeskPolicy",
    "FeedEntry",
    "Front",
    "FrontRevision",
    "FrontSlot",
    "FrontSuggestion",
    "LiveEntry",
    "LiveEntryChange",
    "Photo",
    "PhotoChange",
    "PreviewLink",
    "Rendition",
    "RenditionFormat",
    "Revision",
    "Section",
    "SectionRule",
    "Source",
    "Transition",
    "WireItem",
    "WorkflowState",
    "photo_upload_to",
    "validate_focal",
    "tag_by_old_slug",
    "validate_section_slug",
]

# Top-level paths a section slug must not shadow (sections live at /<slug>/).
RESERVED_SECTION_SLUGS = frozenset(
    {
        "admin",
        "api",
        "authors",
        "feeds",
        "live",
        "media",
        "photos",
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
        return address("articles:section-detail", slug=self.slug)


class SourceQuerySet(models.QuerySet):
    def named(self, name):
        """The source called `name`, whatever its case; None for no such source or no name."""
        name = (name or "").strip()
        return self.filter(name__iexact=name).first() if name else None


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

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class SanitizedProseEditorField(ProseEditorField):
    """The rich-text field whose form fields clean with the same allowlist as the model.

    django-prose-editor sanitises on model validation only, after the form's cleaned_data
    is taken: a pending edit snapshotted from cleaned_data would keep a `<script>`.
    """

    def formfield(self, **kwargs):
        return super().formfield(**{"sanitize": self.sanitize, **kwargs})


class Article(models.Model):
    Status = ArticleStatus

    # An edit this soon after publishing is part of publishing, not an update.
    UPDATE_GRACE = timedelta(minutes=1)
    # "Related" ranks the newest candidates of each of the first tags, not every article.
    RELATED_TAGS = 10
    RELATED_CANDIDATES = 50

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
    body = SanitizedProseEditorField(
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
    is_live_blog = models.BooleanField(
        "live blog",
        default=False,
        editable=False,
        help_text="Covered live: timestamped entries under the body, newest first.",
    )
    coverage_started_at = models.DateTimeField("live coverage from", null=True, editable=False)
    coverage_ended_at = models.DateTimeField("live coverage until", null=True, editable=False)
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
            # The API's `updated_since` and the sitemap index's last change: published
            # articles by their latest change.
            models.Index(
                fields=["-updated_at"],
                name="article_updated_idx",
                condition=Q(status=ArticleStatus.PUBLISHED),
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
        now = timezone.now()
        if self.status == self.Status.PUBLISHED:
            self.publish_at = self.publish_at or now
            if not self.went_live_by(now):  # scheduled, maybe moved: it goes live then
                self.first_published_at = self.publish_at
        elif not self.went_live_by(now):
            # Taken off before its scheduled go-live: readers never saw it, and its address
            # must not answer "gone" as if they had (withdrawn()).
            self.first_published_at = None
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
        return address(
            "articles:article-detail", section=self.section.slug, pk=self.pk, slug=self.slug
        )

    def went_live_by(self, moment):
        """Whether readers could read it at some point up to `moment`. Published with a
        future time, it goes live by the clock alone: `first_published_at` is set when it
        is scheduled, and stays only once that moment has come."""
        return self.first_published_at is not None and self.first_published_at <= moment

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
        """Whether readers see it now: the same rule as `published()`."""
        return visibility.is_published(self)

    @property
    def coverage_is_open(self):
        """A live blog an editor opened and has not closed: entries go up as they come."""
        return self.is_live_blog and self.coverage_ended_at is None

    def return_step(self):
        """The editor's return, with its note, while it is the latest step; else None."""
        latest = self.transitions.select_related("user").first()
        return latest if latest is not None and latest.is_return else None

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

    def credentials_problems(self):
        """What the editors' content credentials rule holds against the lead photo.

        Empty unless the editors switched the rule on (DeskPolicy). Unlike
        publication_problems, an editor may override these; the override is recorded with
        the transition.
        """
        photo = self.photo
        if photo is None or not DeskPolicy.current().hold_doubtful_lead_photos:
            return []
        problems = []
        if photo.credentials_state == CredentialsState.INVALID:
            problems.append(
                f"The lead photo “{photo}” (no. {photo.pk}) carries content credentials whose "
                "signature is invalid: the file may have been altered since it was signed."
            )
        if photo.is_generated:
            problems.append(
                f"The lead photo “{photo}” (no. {photo.pk}) is AI generated "
                f"({photo.digital_source_name}), according to its content credentials or "
                "the wire."
            )
        return problems

    @property
    def last_modified(self):
        """When the copy readers see last changed: publication, or a later edit."""
        return max(self.updated_at, self.publish_at) if self.publish_at else self.updated_at

    # The sources, tags and authors readers see, each from (in this order) a preview's
    # revision, a reader page's prefetch into a plain list (ArticleQuerySet.for_detail,
    # with_bylines: a list costs a fraction of a prefetched manager per article), or the
    # database.

    def ordered_sources(self):
        """The sources in the order the journalist set them."""
        if hasattr(self, "_preview_sources"):
            return self._preview_sources
        links = getattr(self, "listed_source_links", None)
        if links is None:
            links = self.source_links.all()
        return [link.source for link in links]

    def tag_list(self):
        if hasattr(self, "_preview_tags"):
            return self._preview_tags
        if hasattr(self, "listed_tags"):
            return self.listed_tags
        return list(self.tags.all())

    def author_list(self):
        if hasattr(self, "_preview_authors"):
            return self._preview_authors
        if hasattr(self, "listed_authors"):
            return self.listed_authors
        return list(self.authors.all())

    def correction_list(self):
        """The published corrections, oldest first; no query when the article was read
        `with_correction_flag()` and has none."""
        if getattr(self, "has_corrections", True):
            return list(self.corrections.all())
        return []

    @staticmethod
    def section_newest(section_id, count):
        """A section's `count` newest published articles, as cards."""
        return Article.objects.published().filter(section_id=section_id).for_cards()[:count]

    def more_in_section(self, newest=None):
        """The newest other published articles of this article's section, picked from
        `newest`: at least the section's NEWSROOM_MORE_IN_COUNT + 1 newest, read here when
        not given (public pages keep the section's newest once: cache.sections_newest)."""
        count = settings.NEWSROOM_MORE_IN_COUNT
        if newest is None:
            newest = Article.section_newest(self.section_id, count + 1)
        return [listed for listed in newest if listed.pk != self.pk][:count]

    def related(self, count=None):
        """The newest published articles sharing most tags with this one.

        Candidates are the RELATED_CANDIDATES most recently written published articles of
        each of the article's first RELATED_TAGS tags, each list read backwards along the
        tag's index (articles_taggeditem_newest_idx) and stopped at the limit; each
        candidate's shared tags are counted by its own items. The cost is the same for a tag
        on 50 articles and one on 100,000: nothing sorts or counts every article of a tag.
        """
        count = count or settings.NEWSROOM_RELATED_COUNT
        tag_ids = self.related_tag_ids()
        if not tag_ids:
            return Article.objects.none()
        items = tag_items(Article)
        readable = Article.objects.published().exclude(pk=self.pk).filter(pk=OuterRef("object_id"))
        candidates = in_any_of(
            Article,
            (
                items.filter(tag_id=tag_id)
                .filter(Exists(readable))
                .order_by("-object_id")
                .values("object_id")[: self.RELATED_CANDIDATES]
                for tag_id in tag_ids
            ),
        )
        return (
            Article.objects.filter(pk__in=candidates)
            .for_cards()
            .annotate(shared_tags=self.shared_tags())
            .order_by("-shared_tags", "-publish_at", "-id")[:count]
        )

    def related_tag_ids(self):
        return sorted(tag.pk for tag in self.tag_list())[: self.RELATED_TAGS]

    def shared_tags(self):
        """How many of `related_tag_ids` an article (the outer query's) carries."""
        shared = (
            tag_items(Article)
            .filter(object_id=OuterRef("pk"), tag_id__in=self.related_tag_ids())
            .values("object_id")
            .annotate(shared=Count("pk"))
            .values("shared")
        )
        return Subquery(shared)


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


TAG_FALLBACK_SLUG = "tag"


@receiver(pre_save, sender=Tag, dispatch_uid="ascii_tag_slug")
def give_tag_an_ascii_slug(sender, instance, **kwargs):
    """taggit keeps `ł` in slugs, and tag addresses, like every other, are ASCII only.

    One hook on the Tag row serves every path that makes tags: admin, wire, feeds, code.
    """
    if not slug_re.match(instance.slug):
        instance.slug = unique_slug(
            Tag,
            instance.name,
            max_length=Tag._meta.get_field("slug").max_length,
            exclude_pk=instance.pk,
            fallback=TAG_FALLBACK_SLUG,
        )


def tag_by_old_slug(old_slug):
    """The tag an address from before ASCII tag slugs meant, or None.

    taggit made those slugs from the name, keeping its letters, as the data migration
    found them; a transliterated name with a `-2`... suffix is where the tag is now.
    """
    base = ascii_slugify(old_slug, max_length=100, fallback=TAG_FALLBACK_SLUG)
    candidates = [
        tag
        for tag in Tag.objects.filter(slug__startswith=base).order_by("pk")
        if tag.slug == base or re.fullmatch(rf"{re.escape(base)}-[0-9]+", tag.slug)
    ]
    for tag in candidates:
        if slugify(tag.name, allow_unicode=True) == old_slug:
            return tag
    return next((tag for tag in candidates if tag.slug == base), None)


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
        return address("articles:author-detail", slug=self.slug)

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
        published = Article.objects.published().filter(authors=user).exists()
        if name and not follows_name and not published:
            profile.slug = unique_slug(cls, name, exclude_pk=profile.pk)
            profile.save(update_fields=["slug"])
        return profile


def signs_in_only(update_fields):
    """A user saved for signing in (last_login) or a new password: nothing readers see."""
    return bool(update_fields) and set(update_fields) <= {"last_login", "password"}


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="author_profile_for_user")
def keep_author_profile(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or signs_in_only(update_fields):
        return
    AuthorProfile.sync(instance)
