"""The article's states: what is stored, and what the desk sees.

A leaf module, so that the desk's models can name states without importing the article's.
"""

from django.db import models


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
