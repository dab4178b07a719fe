"""RSS and Atom: a Source's feed is polled into the wire inbox (FeedEntry), not into
articles; a journalist turns an entry into a draft in one click, keeping link and Source.

The feed is fetched with a timeout and a size cap and parsed by feedparser, which never
resolves external entities; summaries pass the editor's allowlist before they are stored.
"""

import urllib.request
from calendar import timegm
from datetime import UTC, datetime

import feedparser
from django.conf import settings
from django.db import transaction
from django.utils.html import strip_tags
from django.utils.text import Truncator

from ..models import Article, FeedEntry, WireItem
from ..sanitize import sanitize_html
from .files import read_limited
from .parsed import ParsedItem, clean_text
from .store import route_section

USER_AGENT = "newsroom-wire-desk/1.0 (+feed poller)"


class FeedError(Exception):
    pass


def fetch(url):
    """The feed's bytes: http(s) only, within the timeout and the size cap."""
    if not url.lower().startswith(("http://", "https://")):
        raise FeedError(f"only http and https feeds are polled, not {url!r}")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})  # noqa: S310
    try:
        with urllib.request.urlopen(  # noqa: S310 (scheme checked above)
            request, timeout=settings.WIRE_FEED_TIMEOUT
        ) as response:
            return read_limited(response, settings.WIRE_FEED_MAX_BYTES)
    except (OSError, ValueError) as error:
        raise FeedError(f"{url}: {error}") from error


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
    for entry in feed.entries:
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
def entry_to_draft(entry):
    """Turn an inbox entry into a draft article keeping its link and Source; once only."""
    entry = FeedEntry.objects.select_for_update().select_related("source").get(pk=entry.pk)
    if entry.article_id:
        return entry.article
    routing = ParsedItem(guid=entry.guid, format=WireItem.Format.FEED)
    routing.provider = entry.source.name
    article = Article.objects.create(
        headline=entry.title,
        standfirst=Truncator(clean_text(strip_tags(entry.summary))).chars(600),
        body=entry.summary,
        section=route_section(routing),
        status=Article.Status.DRAFT,
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
    )
    entry.article = article
    entry.save(update_fields=["article"])
    return article
