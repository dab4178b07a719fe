"""Live coverage: the timestamped entries of a live blog, and the record of every change.

Readers see an entry when they may see its article (`published()`) and it is not hidden.
"""

from django.conf import settings
from django.db import models
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django_prose_editor.fields import ProseEditorField

from ..sanitize import EDITOR_EXTENSIONS, sanitize_html


class LiveEntryQuerySet(models.QuerySet):
    def showing(self):
        """Entries readers see on a live article's page: not hidden, newest first."""
        return self.filter(hidden_at__isnull=True).order_by("-posted_at", "-id")

    def for_page(self):
        return self.showing().select_related("photo").prefetch_related("photo__renditions")


def with_visible_entries(articles):
    """The articles, each live blog among them carrying the entries readers see, newest
    first, as `visible_live_entries`: one query, and none when no live blog is listed."""
    articles = list(articles)
    prefetch_related_objects(
        [article for article in articles if article.is_live_blog],
        Prefetch(
            "live_entries", queryset=LiveEntry.objects.showing(), to_attr="visible_live_entries"
        ),
    )
    return articles


class LiveEntry(models.Model):
    """One update of a live blog: a short text, a photo if any, and whether it is a key event."""

    article = models.ForeignKey(
        "articles.Article",
        verbose_name="live blog",
        on_delete=models.CASCADE,
        related_name="live_entries",
    )
    posted_at = models.DateTimeField("posted", default=timezone.now)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="posted by",
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
    )
    body = ProseEditorField("text", extensions=EDITOR_EXTENSIONS, sanitize=sanitize_html)
    photo = models.ForeignKey(
        "articles.Photo",
        verbose_name="photo",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    is_key_event = models.BooleanField(
        "key event", default=False, help_text="Listed in the summary at the top of the page."
    )
    hidden_at = models.DateTimeField("hidden", null=True, blank=True, editable=False)
    updated_at = models.DateTimeField("changed", auto_now=True)

    objects = LiveEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-posted_at", "-id"]
        verbose_name_plural = "live entries"
        indexes = [models.Index(fields=["article", "-posted_at"], name="liveentry_article_idx")]

    def __str__(self):
        return self.summary

    def save(self, *args, **kwargs):
        self.body = sanitize_html(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#entry-{self.pk}"

    @property
    def summary(self):
        """The entry's first words, as the key events list and feeds show it."""
        return Truncator(strip_tags(self.body)).words(20)


class EntryAction(models.TextChoices):
    POSTED = "posted", "Posted"
    CORRECTED = "corrected", "Corrected"
    HIDDEN = "hidden", "Hidden"
    SHOWN = "shown", "Shown again"


class LiveEntryChange(models.Model):
    """Who posted, corrected, hid or showed an entry, when, and what it said before."""

    Action = EntryAction

    entry = models.ForeignKey(
        LiveEntry, verbose_name="entry", on_delete=models.CASCADE, related_name="changes"
    )
    at = models.DateTimeField("when", default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="by",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    action = models.CharField("what", max_length=20, choices=Action.choices)
    previous_body = models.TextField("text before", blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=EntryAction.values),
                name="liveentrychange_action_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display()} {timezone.localtime(self.at):%Y-%m-%d %H:%M}"
