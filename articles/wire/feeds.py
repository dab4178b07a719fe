"""RSS and Atom: a Source's feed is polled into the wire inbox (FeedEntry), not into
articles; a journalist turns an entry into a draft in one click, keeping link and Source.

Feeds are fetched by `fetch.fetch` (public addresses only, one deadline, a size cap),
several at once so a slow feed never holds up the rest, and parsed by feedparser, which
never resolves external entities; at most WIRE_FEED_MAX_ENTRIES entries are read from a
feed, and summaries pass the editor's allowlist before they are stored.
"""

from calendar import timegm
from concurrent.futures import ThreadPoolExecutor, as_completed
from datetime import UTC, datetime

import feedparser
from django.conf import settings
from django.db import transaction
from django.utils.html import strip_tags
from django.utils.text import Truncator

from ..desk.revisions import record_revision
from ..models import Article, FeedEntry, WireItem
from ..sanitize import sanitize_html
from . import fetch as web
from .parsed import ParsedItem, clean_text
from .store import route_section


class FeedError(Exception):
    pass


def fetch(url):
    """The feed's bytes: a public http(s) address, within the deadline and the size cap."""
    try:
        return web.fetch(
            url, max_bytes=settings.WIRE_FEED_MAX_BYTES, deadline=settings.WIRE_FEED_TIMEOUT
        )
    except web.FetchError as error:
        raise FeedError(str(error)) from error


def fetch_all(sources):
    """(source, bytes or FeedError) for each source, as each finishes, fetched in parallel.

    Each fetch has its own deadline, so the slowest feed costs one deadline, not the sum.
    """
    sources = list(sources)
    if not sources:
        return
    workers = min(settings.WIRE_FEED_WORKERS, len(sources))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="feed") as pool:
        futures = {pool.submit(fetch, source.feed_url): source for source in sources}
        for future in as_completed(futures):
            try:
                yield futures[future], future.result()
            except FeedError as error:
                yield futures[future], error


def _published(entry):
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return datetime.fromtimestamp(timegm(parsed), tz=UTC) if parsed else None


def store_entries(source, data):
    """Add the feed's new entries to the inbox; returns how many were new."""
    feed = feedparser.parse(data)
    if feed.bozo and not feed.entries:
        raise FeedError(f"{source.feed_url}: not an RSS or Atom feed ({feed.bozo_exception})")
    title_length = FeedEntry._meta.get_field("title").max_length
    new = 0
    # Feeds list newest first; a flood beyond the cap is not read.
    for entry in feed.entries[: settings.WIRE_FEED_MAX_ENTRIES]:
        link = entry.get("link", "")
        guid = entry.get("id") or link or entry.get("title", "")
        if not guid:
            continue
        _, created = FeedEntry.objects.get_or_create(
            source=source,
            guid=guid[:500],
            defaults={
                "link": link[:2000] if link.lower().startswith(("http://", "https://")) else "",
                "title": Truncator(clean_text(strip_tags(entry.get("title", "")))).chars(
                    title_length
                )
                or "(untitled)",
                "summary": sanitize_html(entry.get("summary", "")),
                "published_at": _published(entry),
            },
        )
        new += created
    return new


def poll(source):
    return store_entries(source, fetch(source.feed_url))


@transaction.atomic
def entry_to_draft(entry, *, user):
    """Turn an inbox entry into a draft article keeping its link and Source; once only.

    The draft is `user`'s, so they can open it; an entry drafted before returns that draft.
    """
    entry = FeedEntry.objects.select_for_update().select_related("source").get(pk=entry.pk)
    if entry.article_id:
        return entry.article
    routing = ParsedItem(guid=entry.guid, format=WireItem.Format.FEED)
    routing.provider = entry.source.name
    summary = sanitize_html(entry.summary)
    article = Article.objects.create(
        headline=entry.title,
        standfirst=Truncator(clean_text(strip_tags(summary))).chars(600),
        body=summary,
        section=route_section(routing),
        status=Article.Status.DRAFT,
        created_by=user,
    )
    article.source_links.create(source=entry.source, position=1)
    WireItem.objects.create(
        guid=f"{entry.source_id}:{entry.guid}"[:500],
        version="1",
        format=WireItem.Format.FEED,
        source=entry.source,
        headline=article.headline,
        body=article.body,
        link=entry.link,
        version_created=entry.published_at,
        article=article,
        article_updated_at=article.updated_at,
        imported_by=user,
        imported_via=WireItem.ImportedVia.FEED,
    )
    record_revision(
        article=article,
        user=user,
        summary=f"Made from the {entry.source} feed entry by {user.get_username()}"[:200],
    )
    entry.article = article
    entry.save(update_fields=["article"])
    return article
