"""Work that does not belong in a request, as tasks of the queue (see `articles.queue`).

Every task takes plain ids or strings (they are stored as JSON) and is idempotent: it looks
at what is already done and does only the rest, so a retry, or a task put back by
`manage.py requeue_stalled_tasks` after its worker died, is harmless.
"""

from collections import Counter

from django_tasks import task

from .models import Article, Photo, Source
from .photos import renditions
from .public import cache
from .public.search import index_article
from .queue import retried_task
from .wire import feeds
from .wire.files import ingest_paths


@retried_task
def make_photo_renditions(photo_id):
    """Every rendition of the photo, made once: pages use them as soon as they exist."""
    photo = Photo.objects.filter(pk=photo_id).prefetch_related("renditions").first()
    if photo is None or not photo.image:
        return 0  # Deleted since, or a wire picture whose file has not arrived.
    return len(renditions.ensure_renditions(photo))


@retried_task
def poll_feed(source_id):
    """New entries of one source's feed into the wire inbox; known entries are skipped."""
    source = Source.objects.exclude(feed_url="").filter(pk=source_id).first()
    if source is None:
        return 0
    return feeds.poll(source)


@task
def poll_all_feeds():
    """One `poll_feed` task per source with a feed, so one slow agency delays no other."""
    source_ids = list(Source.objects.exclude(feed_url="").values_list("pk", flat=True))
    for source_id in source_ids:
        poll_feed.enqueue(source_id)
    return len(source_ids)


@retried_task
def update_search_entry(article_id):
    """The article's search entry brought up to date with its row and tags."""
    article = Article.objects.filter(pk=article_id).prefetch_related("tags").first()
    if article is None:
        return False  # Deleted: its entry went with it.
    index_article(article)
    return True


@retried_task
def update_search_entries_of_tag(tag_id):
    """After a tag rename: the entries of every article carrying it (a retry redoes them all,
    which changes nothing but time)."""
    articles = Article.objects.filter(tags__id=tag_id).prefetch_related("tags")
    count = 0
    for article in articles.iterator(chunk_size=500):
        index_article(article)
        count += 1
    return count


@retried_task
def import_wire_files(paths):
    """A large batch of agency files (or folders) imported outside any request.

    Importing the same item version again changes nothing, so a retry redoes no work.
    """
    return dict(Counter(outcome.status for outcome in ingest_paths(paths)))


@retried_task
def purge_front_caches(keys):
    """Tell every front cache (FRONT_CACHE_URLS) to drop the pages tagged `keys`.

    Django's own cached pages were dropped when the change committed; a Varnish that does
    not answer is tried again with back-off, the ones that did are simply purged twice.
    """
    failed = cache.purge_front_caches(keys)
    if failed:
        raise OSError(f"The front cache at {', '.join(failed)} did not take the purge.")
    return len(keys)
