"""The desk's records of an article: revisions, workflow transitions and corrections."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.text import Truncator

from ..states import WorkflowState


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

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["article", "-at"], name="transition_article_idx")]

    def __str__(self):
        return f"{self.get_from_state_display()} → {self.get_to_state_display()}"


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
