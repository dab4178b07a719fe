"""Who may see an article: the one home of both rules.

Readers see what `published_lookups()` allows; `Article.objects.published()` filters by it and
`Article.is_live` checks the same lookups on an article in memory, so the two cannot drift.
Staff open their own articles and whatever readers see; editors open everything.
"""

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q
from django.utils import timezone

from .states import ArticleStatus


def published_lookups(now=None):
    """Published, due, not in the trash and not in a desk inbox, as field lookups."""
    return {
        "status": ArticleStatus.PUBLISHED,
        "publish_at__lte": now or timezone.now(),
        "deleted_at__isnull": True,
        "section__is_inbox": False,
    }


_OPERATORS = {
    "exact": lambda actual, expected: actual == expected,
    "lte": lambda actual, expected: actual is not None and actual <= expected,
    "isnull": lambda actual, expected: (actual is None) == expected,
}


def _holds(obj, lookup, expected):
    *path, operator = lookup.split("__")
    if operator not in _OPERATORS:
        path, operator = [*path, operator], "exact"
    for name in path:
        try:
            obj = getattr(obj, name) if obj is not None else None
        except ObjectDoesNotExist:  # an unsaved article with no section yet
            obj = None
    return _OPERATORS[operator](obj, expected)


def is_published(article, now=None):
    """Whether readers see the article: `published_lookups()` checked in memory."""
    return all(
        _holds(article, lookup, expected) for lookup, expected in published_lookups(now).items()
    )


def edits_any_article(user):
    return user.has_perm("articles.edit_any_article")


def written_by(user):
    return Q(created_by=user) | Q(authors=user)


def staff_scope(user):
    """The articles a staff member may open in the desk, as a filter; None for all of them."""
    if edits_any_article(user):
        return None
    return written_by(user) | Q(**published_lookups())


def may_open(user, article):
    """Open the article in the desk: editors any; others their own, and live ones read-only."""
    if edits_any_article(user):
        return True
    return user.has_perm("articles.view_article") and (
        article.is_written_by(user) or is_published(article)
    )


def may_see_history(user, article):
    """History, comparisons and previews: editors any; others only what they wrote."""
    if edits_any_article(user):
        return True
    return user.has_perm("articles.view_article") and article.is_written_by(user)
