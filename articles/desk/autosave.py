"""Autosaves: what a person typed in an article's form, kept for them alone.

Storing one never touches the article: no revision, no transition, no change of state. The
form field `base_revision` is kept with the rest, so a restored form is refused by the
lost-update check if someone saved the article after it was typed.
"""

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from ..models import Autosave


class TooManyAutosaves(Exception):
    """More autosaves in a minute than any typing sends: the write is refused, not queued."""


def _throttle(article, user):
    minute = int(timezone.now().timestamp() // 60)
    key = f"desk-autosave-rate:{user.pk}:{article.pk if article else 'new'}:{minute}"
    cache.add(key, 0, timeout=70)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        count = 1
    if count > settings.NEWSROOM_AUTOSAVES_PER_MINUTE:
        raise TooManyAutosaves


def autosave_store(*, article, user, data):
    """Keep `data` (form field name → list of values) as the person's autosave of `article`.

    `article` is None for a new article not saved yet.
    """
    _throttle(article, user)
    autosave, _ = Autosave.objects.update_or_create(
        article=article, user=user, defaults={"data": data, "saved_at": timezone.now()}
    )
    return autosave


def autosave_of(article, user):
    """The person's autosave of `article` (None: of their new article), or None."""
    return Autosave.objects.filter(article=article, user=user).first()


def autosave_discard(*, article, user):
    """Forget the person's autosave: they dismissed it, or saved the article."""
    Autosave.objects.filter(article=article, user=user).delete()
