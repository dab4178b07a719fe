"""The wire desk's records: where copy lands, every agency version received, feed entries."""

from django.db import models
from django.db.models import Q


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
        "Section", verbose_name="section", on_delete=models.CASCADE, related_name="wire_rules"
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
        "Source",
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
        "Article",
        verbose_name="article",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="wire_items",
    )
    photo = models.ForeignKey(
        "Photo",
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
        "Source", verbose_name="source", on_delete=models.CASCADE, related_name="feed_entries"
    )
    guid = models.CharField("GUID", max_length=500, help_text="The entry's id, or its link.")
    link = models.URLField("link", max_length=2000, blank=True)
    title = models.CharField("title", max_length=300)
    summary = models.TextField("summary", blank=True, help_text="Sanitised.")
    published_at = models.DateTimeField("published", null=True, blank=True)
    fetched_at = models.DateTimeField("fetched", auto_now_add=True)
    article = models.OneToOneField(
        "Article",
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
