"""Fronts and the breaking-news banner: what editors put at the top of the site.

A front is the arrangement of the front page or of one section page: numbered slots, each
holding an article. Editors change a draft arrangement and publish it as a whole; every
published arrangement stays as a revision. What readers see is decided when they ask: a slot
whose article `published()` would not show, or whose pin has run out, is simply not there.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from .. import visibility
from ..querysets import card_deferred

# Crops the photo desk makes renditions for (articles.photos.renditions.VARIANTS).
CROP_CHOICES = [
    ("16:9", "16:9 (as on every card)"),
    ("4:3", "4:3"),
    ("1:1", "square"),
    ("", "uncropped"),
]


def published_through(relation, now=None):
    """`published_lookups()` applied to a related article, so one query filters by it."""
    return {
        f"{relation}__{lookup}": value
        for lookup, value in visibility.published_lookups(now).items()
    }


class FrontQuerySet(models.QuerySet):
    def of_page(self, section=None):
        """The front of a section's page, or of the front page when `section` is None."""
        if section is None:
            return self.filter(section__isnull=True)
        return self.filter(section=section)


class Front(models.Model):
    """The arrangement of the front page (no section) or of one section page."""

    section = models.ForeignKey(
        "articles.Section",
        verbose_name="section",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="fronts",
        help_text="Leave blank for the front page.",
    )
    published_revision = models.OneToOneField(
        "FrontRevision",
        verbose_name="published arrangement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="live_front",
    )

    objects = FrontQuerySet.as_manager()

    class Meta:
        ordering = [models.F("section__position").asc(nulls_first=True), "section__name"]
        constraints = [
            # One front per page; the front page is the front without a section.
            models.UniqueConstraint(Coalesce("section", Value(0)), name="front_one_per_page"),
        ]

    def __str__(self):
        return f"{self.section} front" if self.section_id else "Front page"

    def get_absolute_url(self):
        if self.section_id:
            return self.section.get_absolute_url()
        return reverse("articles:front-page")

    def draft(self):
        """The arrangement editors are working on, if any."""
        return self.revisions.filter(published_at__isnull=True).first()


class FrontRevision(models.Model):
    """One arrangement of a front: the editors' draft, or one that was published."""

    front = models.ForeignKey(
        Front, verbose_name="front", on_delete=models.CASCADE, related_name="revisions"
    )
    created_at = models.DateTimeField("started", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="started by",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    published_at = models.DateTimeField("published", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="published by",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    restored_from = models.ForeignKey(
        "self",
        verbose_name="restored from",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["front"],
                condition=Q(published_at__isnull=True),
                name="frontrevision_one_draft_per_front",
            ),
        ]

    def __str__(self):
        if self.published_at is None:
            return f"Draft of the {self.front}"
        return f"{self.front}, published {timezone.localtime(self.published_at):%Y-%m-%d %H:%M}"


class FrontSlotQuerySet(models.QuerySet):
    def showing(self, now=None):
        """Slots readers see now: the article is published and the pin, if any, runs on."""
        now = now or timezone.now()
        return self.filter(**published_through("article", now)).filter(
            Q(pinned_until__isnull=True) | Q(pinned_until__gt=now)
        )

    def live_on(self, section=None):
        """The published arrangement's slots of a page (see `FrontQuerySet.of_page`)."""
        if section is None:
            # An arrangement that is no front's published one has no live_front either.
            return self.filter(
                revision__live_front__isnull=False, revision__live_front__section__isnull=True
            )
        return self.filter(revision__live_front__section=section)

    def for_page(self):
        """What a slot's card needs, in the slot's query."""
        return self.select_related("article__section", "article__photo", "photo").defer(
            *card_deferred("article")
        )


class FrontSlot(models.Model):
    """A numbered place on a front; number 1 is the lead, shown large."""

    revision = models.ForeignKey(
        FrontRevision, verbose_name="arrangement", on_delete=models.CASCADE, related_name="slots"
    )
    position = models.PositiveSmallIntegerField("slot", default=1)
    article = models.ForeignKey(
        "articles.Article",
        verbose_name="article",
        on_delete=models.CASCADE,
        related_name="front_slots",
    )
    headline = models.CharField(
        "headline on the front",
        max_length=300,
        blank=True,
        help_text="Replaces the article's headline on this front only; blank keeps it.",
    )
    photo = models.ForeignKey(
        "articles.Photo",
        verbose_name="photo on the front",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Replaces the article's lead photo on this front only.",
    )
    crop = models.CharField(
        "crop", max_length=10, choices=CROP_CHOICES, default="16:9", blank=True
    )
    pinned_until = models.DateTimeField(
        "pinned until",
        null=True,
        blank=True,
        help_text="The story leaves the front by itself at this time; blank keeps it there.",
    )

    objects = FrontSlotQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "article"], name="frontslot_article_once_per_arrangement"
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.shown_headline}"

    @property
    def shown_headline(self):
        return self.headline or self.article.headline

    @property
    def shown_photo(self):
        return self.photo or self.article.photo


class FrontSuggestion(models.Model):
    """A journalist's suggestion of a story for a front, waiting for an editor."""

    front = models.ForeignKey(
        Front, verbose_name="front", on_delete=models.CASCADE, related_name="suggestions"
    )
    article = models.ForeignKey(
        "articles.Article",
        verbose_name="article",
        on_delete=models.CASCADE,
        related_name="front_suggestions",
    )
    note = models.CharField(
        "note", max_length=300, blank=True, help_text="Why it belongs there, for the editor."
    )
    suggested_at = models.DateTimeField("suggested", default=timezone.now)
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="suggested by",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    handled_at = models.DateTimeField("handled", null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-suggested_at", "-id"]

    def __str__(self):
        return f"{self.article} for the {self.front}"


def validate_banner_link(value):
    """A site path (/politics/...) or a full http(s) address."""
    if value.startswith("/") and not value.startswith("//"):
        return
    URLValidator(schemes=["http", "https"])(value)


class BreakingNewsQuerySet(models.QuerySet):
    def current(self, now=None):
        """The banner readers see now, if any: the newest one up, not expired or taken down.

        A banner about an article shows only while readers may see the article.
        """
        now = now or timezone.now()
        return (
            self.filter(starts_at__lte=now, expires_at__gt=now, taken_down_at__isnull=True)
            .filter(Q(article__isnull=True) | Q(**published_through("article", now)))
            .select_related("article__section")
            .defer(*card_deferred("article"))
            .order_by("-starts_at", "-id")
            .first()
        )


class BreakingNews(models.Model):
    """The one-line banner on every public page, until it expires or is taken down."""

    # Announced to screen readers (role="alert") for this long after it goes up.
    NEW_FOR_MINUTES = 15

    text = models.CharField("text", max_length=200, help_text="One line, as readers see it.")
    article = models.ForeignKey(
        "articles.Article",
        verbose_name="article",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="The story the banner leads to; it shows only while the story is published.",
    )
    link = models.CharField(
        "other link",
        max_length=500,
        blank=True,
        validators=[validate_banner_link],
        help_text="Instead of an article: a site path such as /politics/ or a full address.",
    )
    starts_at = models.DateTimeField("shown from", default=timezone.now)
    expires_at = models.DateTimeField("expires", help_text="The banner disappears by itself.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="put up by",
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
    )
    taken_down_at = models.DateTimeField("taken down", null=True, blank=True, editable=False)
    taken_down_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="taken down by",
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
    )

    objects = BreakingNewsQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = "breaking-news banner"
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("starts_at")),
                name="breakingnews_expires_after_start",
            ),
        ]

    def __str__(self):
        return self.text

    def get_absolute_url(self):
        return self.article.get_absolute_url() if self.article_id else self.link

    def clean(self):
        if self.starts_at and self.expires_at and self.expires_at <= self.starts_at:
            raise ValidationError({"expires_at": "The banner must expire after it goes up."})
        if bool(self.article_id) == bool(self.link):
            raise ValidationError("Choose the article the banner leads to, or give a link.")

    def is_new(self, now=None):
        now = now or timezone.now()
        return (now - self.starts_at).total_seconds() < self.NEW_FOR_MINUTES * 60
