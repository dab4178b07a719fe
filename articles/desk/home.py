"""The desk's home page: each person's work, in the lists their role needs.

A journalist sees their own drafts, what came back from an editor (with the note), what
waits in review and what is scheduled; an editor sees the review queue first, then what
goes live today, then what went live last. Every list is bounded: one query each.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from ..models import Article
from .workflow import is_editor

LIST_SIZE = 10


@dataclass
class DeskList:
    key: str
    title: str
    articles: QuerySet
    empty: str

    def __post_init__(self):
        self.articles = list(self.articles[:LIST_SIZE])


def end_of_today():
    """Midnight at the end of today, in the newsroom's time zone."""
    today = timezone.localdate()
    return timezone.make_aware(datetime.combine(today + timedelta(days=1), time.min))


def desk_lists(user):
    if is_editor(user):
        return editor_desk()
    return journalist_desk(user)


def journalist_desk(user):
    mine = Article.objects.written_by(user).select_related("section")
    return [
        DeskList(
            "drafts", "My drafts", mine.drafts().order_by("-updated_at", "-id"), "No drafts."
        ),
        DeskList(
            "returned",
            "Returned to me",
            mine.returned().order_by("-updated_at", "-id"),
            "Nothing has been returned to you.",
        ),
        DeskList(
            "in-review", "In review", mine.in_review_queue(), "Nothing of yours is in review."
        ),
        DeskList("scheduled", "Scheduled", mine.scheduled(), "Nothing of yours is scheduled."),
    ]


def editor_desk():
    articles = Article.objects.select_related("section", "created_by")
    return [
        DeskList(
            "review-queue",
            "Review queue",
            articles.in_review_queue(),
            "Nothing is waiting for review.",
        ),
        DeskList(
            "scheduled-today",
            "Scheduled today",
            articles.scheduled(until=end_of_today()),
            "Nothing else goes live today.",
        ),
        DeskList(
            "recently-published",
            "Recently published",
            articles.recently_published(),
            "Nothing is published yet.",
        ),
    ]
