"""The desk's records of an article: revisions, workflow transitions and corrections."""

import operator
from functools import reduce

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import Truncator

from ..states import ArticleStatus, WorkflowState


class Revision(models.Model):
    """A full copy of an article as someone saved it: every field, sources in order, tags."""

    article = models.ForeignKey(
        "Article", verbose_name="article", on_delete=models.CASCADE, related_name="revisions"
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


class PreviewLinkQuerySet(models.QuerySet):
    def working(self):
        """Links that still show their revision: not revoked, not expired, article not trashed."""
        return self.filter(
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
            revision__article__deleted_at__isnull=True,
        ).exclude(revision__article__status=ArticleStatus.UNPUBLISHED)


class PreviewLink(models.Model):
    """A link an editor shared to one revision, for someone without an account."""

    revision = models.ForeignKey(
        "Revision", verbose_name="revision", on_delete=models.CASCADE, related_name="preview_links"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="shared by",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField("shared", default=timezone.now)
    expires_at = models.DateTimeField("expires")
    revoked_at = models.DateTimeField(
        "revoked",
        null=True,
        blank=True,
        help_text="Set when an editor revokes the link or the article is withdrawn.",
    )
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="revoked by",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = PreviewLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Preview link to revision {self.revision_id}"

    @property
    def state(self):
        if self.revoked_at:
            return "Revoked"
        return "Expired" if self.expires_at <= timezone.now() else "Working"


# An editor's "Return to author": of a new article, or of changes to a live one.
RETURN_STEPS = frozenset(
    {
        (WorkflowState.IN_REVIEW, WorkflowState.RETURNED),
        (WorkflowState.CHANGES_IN_REVIEW, WorkflowState.CHANGES_PENDING),
    }
)


class TransitionQuerySet(models.QuerySet):
    def returns(self):
        return self.filter(
            reduce(operator.or_, (Q(from_state=a, to_state=b) for a, b in RETURN_STEPS))
        )


class Transition(models.Model):
    """One step of the workflow: who moved the article, when, from what to what, and why."""

    article = models.ForeignKey(
        "Article", verbose_name="article", on_delete=models.CASCADE, related_name="transitions"
    )
    revision = models.ForeignKey(
        "Revision", verbose_name="revision", on_delete=models.SET_NULL, null=True, related_name="+"
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
    overridden = models.TextField(
        "rules overridden",
        blank=True,
        help_text="What the editors' content credentials rule said, when an editor published "
        "anyway.",
    )

    objects = TransitionQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["article", "-at"], name="transition_article_idx")]

    def __str__(self):
        return f"{self.get_from_state_display()} → {self.get_to_state_display()}"

    @property
    def is_return(self):
        return (self.from_state, self.to_state) in RETURN_STEPS


class Correction(models.Model):
    """A dated correction note shown under the article's body."""

    article = models.ForeignKey(
        "Article", verbose_name="article", on_delete=models.CASCADE, related_name="corrections"
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


class DeskPolicy(models.Model):
    """The rules the editors switch on and off for the whole newsroom: a single row.

    Who switched a rule, and when, is kept on the row and in the admin's change history.
    """

    SINGLE_ROW = 1

    hold_doubtful_lead_photos = models.BooleanField(
        "hold back doubtful lead photos",
        default=False,
        help_text=(
            "An article whose lead photo carries an invalid content-credentials signature, or "
            "says it is AI generated, is not published or scheduled unless an editor ticks "
            "“Publish despite content credentials”. Each override is recorded in the "
            "article's history."
        ),
    )
    changed_at = models.DateTimeField("last changed", null=True, editable=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="last changed by",
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        verbose_name = "desk policy"
        verbose_name_plural = "desk policy"

    def __str__(self):
        return "Desk policy"

    def save(self, *args, **kwargs):
        self.pk = self.SINGLE_ROW
        super().save(*args, **kwargs)

    @classmethod
    def current(cls):
        """The policy in force; every rule is off until an editor switches it on."""
        return cls.objects.filter(pk=cls.SINGLE_ROW).first() or cls()


class Autosave(models.Model):
    """What one person last typed in an article's form, kept until they save or dismiss it.

    Never the article itself: no revision, no transition, no change of state. A new article
    not yet saved has no article; each person keeps one of those.
    """

    article = models.ForeignKey(
        "Article",
        verbose_name="article",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="autosaves",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="typed by",
        on_delete=models.CASCADE,
        related_name="+",
    )
    data = models.JSONField("form content", encoder=DjangoJSONEncoder)
    saved_at = models.DateTimeField("saved", default=timezone.now)

    class Meta:
        ordering = ["-saved_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "user"],
                condition=Q(article__isnull=False),
                name="autosave_one_per_article_and_person",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(article__isnull=True),
                name="autosave_one_new_article_per_person",
            ),
        ]

    def __str__(self):
        return f"Autosave of “{Truncator(self.data.get('headline', [''])[0]).chars(60)}”"
