"""What a reader's open live page polls: the coverage, answered 304 while nothing changed.

Every change to the coverage (an entry posted, corrected, hidden; coverage closed) moves the
article's `updated_at`, so the ETag is one indexed row read: a waiting reader costs one small
query per poll.
"""

import hashlib

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_safe

from ..models import Article


def coverage_etag(request, pk):
    state = (
        Article.objects.published()
        .filter(pk=pk, is_live_blog=True)
        .values_list("updated_at", "coverage_ended_at")
        .first()
    )
    if state is None:
        return None
    return hashlib.sha256(repr(state).encode()).hexdigest()[:32]


def coverage_context(article):
    """The entries readers see, newest first, and the key events among them."""
    entries = list(article.live_entries.for_page())
    return {
        "article": article,
        "live_entries": entries,
        "key_events": [entry for entry in entries if entry.is_key_event],
        "live_poll_seconds": settings.NEWSROOM_LIVE_POLL_SECONDS,
    }


@require_safe
@cache_control(no_cache=True)
@condition(etag_func=coverage_etag)
def live_coverage(request, pk):
    article = Article.objects.published().filter(pk=pk, is_live_blog=True).first()
    if article is None:
        raise Http404("No live coverage here.")
    return render(request, "articles/includes/live_coverage.html", coverage_context(article))
