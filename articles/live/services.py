"""Live coverage: opening and closing it, posting, correcting and hiding entries.

Each function checks the person's permission, changes the coverage and records the change in
one transaction. An entry to an open live blog goes up at once: speed is the point, and
editors correct or hide afterwards, every change kept in `LiveEntryChange`.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from ..desk.workflow import is_editor
from ..models import Article, LiveEntry, LiveEntryChange
from ..public import cache


def can_moderate(user):
    return user.has_perm("articles.change_liveentry")


def live_blogs_open_to(user):
    """The live blogs the person may post to now."""
    if not user.has_perm("articles.add_liveentry"):
        return Article.objects.none()
    return Article.objects.not_in_trash().filter(is_live_blog=True, coverage_ended_at__isnull=True)


@transaction.atomic
def open_coverage(*, article, user):
    """Make the article a live blog taking entries (again, after a close)."""
    if not is_editor(user):
        raise PermissionDenied("Only editors open live coverage.")
    article.is_live_blog = True
    article.coverage_started_at = article.coverage_started_at or timezone.now()
    article.coverage_ended_at = None
    Article.objects.filter(pk=article.pk).update(
        is_live_blog=True,
        coverage_started_at=article.coverage_started_at,
        coverage_ended_at=None,
        updated_at=timezone.now(),
    )
    cache.purge_article(article)
    return article


@transaction.atomic
def close_coverage(*, article, user):
    """No more entries: the page reads as an article with its entries underneath."""
    if not is_editor(user):
        raise PermissionDenied("Only editors close live coverage.")
    if not article.coverage_is_open:
        raise ValidationError(f"“{article}” is not being covered live.")
    article.coverage_ended_at = timezone.now()
    Article.objects.filter(pk=article.pk).update(
        coverage_ended_at=article.coverage_ended_at, updated_at=article.coverage_ended_at
    )
    cache.purge_article(article)
    return article


def _touch(article):
    """What readers see of the article changed: its page, feeds and API move on too."""
    Article.objects.filter(pk=article.pk).update(updated_at=timezone.now())


def _record(entry, user, action, previous_body=""):
    LiveEntryChange.objects.create(
        entry=entry, user=user, action=action, previous_body=previous_body
    )
    _touch(entry.article)


@transaction.atomic
def post_entry(*, article, user, body, photo=None, is_key_event=False):
    if not user.has_perm("articles.add_liveentry"):
        raise PermissionDenied("You may not post live entries.")
    if not article.coverage_is_open:
        raise ValidationError(f"“{article}” is not being covered live: ask an editor to open it.")
    entry = LiveEntry(
        article=article, posted_by=user, body=body, photo=photo, is_key_event=is_key_event
    )
    entry.full_clean()
    entry.save()
    _record(entry, user, LiveEntryChange.Action.POSTED)
    return entry


@transaction.atomic
def correct_entry(*, entry, user, body, photo=None, is_key_event=False):
    if not can_moderate(user):
        raise PermissionDenied("Only editors correct live entries.")
    # As stored: a form may already have put the new text on the instance.
    previous = LiveEntry.objects.values_list("body", flat=True).get(pk=entry.pk)
    entry.body, entry.photo, entry.is_key_event = body, photo, is_key_event
    entry.full_clean()
    entry.save()
    _record(entry, user, LiveEntryChange.Action.CORRECTED, previous_body=previous)
    return entry


@transaction.atomic
def hide_entry(*, entry, user):
    if not can_moderate(user):
        raise PermissionDenied("Only editors hide live entries.")
    if entry.hidden_at is None:
        entry.hidden_at = timezone.now()
        entry.save(update_fields=["hidden_at", "updated_at"])
        _record(entry, user, LiveEntryChange.Action.HIDDEN)
    return entry


@transaction.atomic
def show_entry(*, entry, user):
    if not can_moderate(user):
        raise PermissionDenied("Only editors show hidden live entries.")
    if entry.hidden_at is not None:
        entry.hidden_at = None
        entry.save(update_fields=["hidden_at", "updated_at"])
        _record(entry, user, LiveEntryChange.Action.SHOWN)
    return entry
