"""Cache tags (surrogate keys) for reader pages, and purging exactly what a change affects.

A reader page records the keys of what it shows (`record`): the articles and photos on it,
the listing it is (a section, a tag, an author, the front), and `site` for the masthead's
section navigation and breaking-news banner. A change purges the keys it affects
(`purge_keys`, the one entry point): the pages in Django's page cache holding any of them
stop being served, and a front cache (Varnish with xkey) at FRONT_CACHE_URLS is told to
drop them. Purges run after the transaction commits, so no reader can re-cache the old
state in between (see articles.public.middleware for how the page cache checks the keys).

Receivers here catch changes saved through models (the admin, the desk's services, the wire
importer); services that change rows with `update()` call `purge_article` themselves.
"""

import contextlib
import contextvars
import functools
import hashlib
import logging
import re
import secrets
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models import Min
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.http import Http404
from django.utils import timezone, translation
from taggit.models import Tag

from .. import queue
from ..models import (
    Article,
    ArticleSource,
    ArticleStatus,
    AuthorProfile,
    BreakingNews,
    Correction,
    Front,
    FrontSlot,
    LiveEntry,
    Photo,
    Rendition,
    Section,
    Source,
    signs_in_only,
)

logger = logging.getLogger(__name__)

PAGES = "pages"  # the alias of Django's cache that holds rendered pages (settings.CACHES)
SITE = "site"  # navigation and banner: on every HTML page
FRONT = "front"
FEEDS = "feeds"
SITEMAPS = "sitemaps"
API = "api"
# The next time a page may change with nobody saving anything (see `next_change_at`).
NEXT_CHANGE = "next-change"
NEXT_CHANGE_RECHECK_SECONDS = 60
FRONT_CACHE_TIMEOUT = 2  # seconds; a purge never holds up the desk for longer
FRONT_CACHE_KEYS_PER_REQUEST = 100  # keeps the xkey-purge header well under 8 KB
# Servers sharing a Redis may disagree this much about the time (NTP keeps them far closer):
# anything whose reading began this close to a purge is not kept.
CLOCK_SKEW_SECONDS = 0.25
SITE_CHROME = "site-chrome"


def article_key(pk):
    return f"article-{pk}"


def section_key(pk):
    return f"section-{pk}"


def tag_key(pk):
    return f"tag-{pk}"


def author_key(pk):
    return f"author-{pk}"


def photo_key(pk):
    return f"photo-{pk}"


def source_key(pk):
    return f"source-{pk}"


def keys_for_listed(articles):
    """What a list of cards shows: each article and its photo."""
    keys = set()
    for article in articles:
        if article is None:
            continue
        keys.add(article_key(article.pk))
        if article.photo_id:
            keys.add(photo_key(article.photo_id))
    return keys


def keys_for_article(article):
    """Every page a change to the article may alter: its own, the listings it is or may
    come to be on (section, tags, authors, the front), feeds, sitemaps and the API.

    A listing it leaves (an old section or tag) shows it, so carries its `article-` key.
    """
    keys = {
        article_key(article.pk),
        section_key(article.section_id),
        FRONT,
        FEEDS,
        SITEMAPS,
        API,
    }
    keys |= {tag_key(pk) for pk in article.tags.values_list("pk", flat=True)}
    keys |= {author_key(pk) for pk in article.authors.values_list("pk", flat=True)}
    if BreakingNews.objects.filter(article=article.pk).exists():
        keys.add(SITE)  # a banner about the article shows only while it is published
    return keys


def keys_for_shown(article):
    """What a representation of an article (a feed item, its NINJS) shows: the article
    itself, its section's name (`site`), its photo with renditions and its tags' names."""
    return {SITE, *keys_for_listed([article]), *(tag_key(tag.pk) for tag in article.tag_list())}


def keys_for_article_page(article):
    """What an article's page shows of it: what every representation shows, its bylines
    and the names of its sources and of its photo's provider (in its structured data)."""
    cited = {source.pk for source in article.ordered_sources()}
    if article.photo_id and article.photo.provider_id:
        cited.add(article.photo.provider_id)
    return (
        keys_for_shown(article)
        | {author_key(author.pk) for author in article.author_list()}
        | {source_key(pk) for pk in cited}
    )


def record(request, keys):
    """Name what the page shows; only pages that do are cached for readers."""
    if not hasattr(request, "cache_keys"):
        request.cache_keys = set()
    request.cache_keys |= set(keys)


def recording(*keys):
    """A view decorator for pages whose keys are known from the address alone."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            record(request, keys)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def stamp_key(key):
    return f"purged:{key}"


def stamp_lifetime():
    """How long a purge stamp is kept. Every copy a stamp can end (a page, a kept part) lives
    at most NEWSROOM_PAGE_CACHE_SECONDS, so a stamp kept twice that long outlives every
    copy made before its purge; after that, a missing stamp (read as a purge) costs one
    render. Without a bound, every article ever shown would keep a stamp for good: the
    file cache culling at random, Redis growing with the archive."""
    return 2 * settings.NEWSROOM_PAGE_CACHE_SECONDS


# The purge stamps a page has read so far (`page_stamps`): a page is drawn as of the moment
# it began, so each stamp is read once for all the kept parts it shows (the front's cards
# read `site`'s forty times otherwise). Keeping anything reads its stamps afresh.
_page_stamps = contextvars.ContextVar("page_stamps", default=None)


@contextlib.contextmanager
def page_stamps():
    """Within: each purge stamp is read from the cache once."""
    token = _page_stamps.set({})
    try:
        yield
    finally:
        _page_stamps.reset(token)


def with_stamps(names, keys, afresh=False):
    """The cached values `names` and the purge stamps of `keys`, in one cache request;
    a stamp the page has read already is not read again, unless `afresh`."""
    stamps = [stamp_key(key) for key in keys]
    memo = _page_stamps.get()
    if memo is None:
        return page_cache().get_many_and_stamps(names, stamps)
    unread = stamps if afresh else [stamp for stamp in stamps if stamp not in memo]
    found = page_cache().get_many_and_stamps(names, unread) if names or unread else {}
    memo.update({stamp: found.get(stamp) for stamp in unread})
    found.update({stamp: memo[stamp] for stamp in stamps})
    return found


def keys_still_valid(keys, started, found=None):
    """A copy read at `started` showing `keys` is still good: every key was last purged
    well before (a missing stamp, evicted, reads as a purge). `found`: the stamps, if
    already read with the copy in one cache request."""
    if found is None:
        found = with_stamps([], keys)
    stamps = [found.get(stamp_key(key)) for key in keys]
    return all(stamp is not None and stamp < started - CLOCK_SKEW_SECONDS for stamp in stamps)


def no_purge_since(keys, started):
    """Whether a copy read at `started` may be kept: no purge of its keys landed since.
    A key never purged gets a stamp now, so losing a stamp later reads as a purge.
    The stamps are read afresh, whatever the page read before."""
    page_cache().add_stamps([stamp_key(key) for key in keys], 0, stamp_lifetime())
    return keys_still_valid(keys, started, with_stamps([], keys, afresh=True))


def page_cache():
    """The pages cache: one of newsroom.cache's backends, which keep the purge stamps too."""
    return caches[PAGES]


def purge_keys(keys):
    """Drop every cached page showing any of `keys`, here and in the front caches.

    The single entry point: call it after the change is committed. Django's own copies stop
    being served at once; the front caches are told by the `purge_front_caches` task (inline
    by default, retried by a worker when the queue is on and a Varnish does not answer).
    """
    keys = sorted(set(keys))
    if not keys:
        return
    cache = page_cache()
    cache.set_stamps([stamp_key(key) for key in keys], time.time(), stamp_lifetime())
    cache.delete(NEXT_CHANGE)
    if settings.FRONT_CACHE_URLS:
        queue.enqueue_on_commit("articles.tasks.purge_front_caches", keys)


def purge_front_caches(keys):
    """Ask each front cache to drop the objects tagged `keys`; the addresses that failed."""
    failed = []
    for url in settings.FRONT_CACHE_URLS:
        for start in range(0, len(keys), FRONT_CACHE_KEYS_PER_REQUEST):
            if not purge_front_cache(url, keys[start : start + FRONT_CACHE_KEYS_PER_REQUEST]):
                failed.append(url)
                break
    return failed


def purge_front_cache(url, keys):
    """Ask a Varnish (deploy/varnish/newsroom.vcl) to drop the objects tagged `keys`."""
    request = urllib.request.Request(  # noqa: S310 (the URL comes from settings, http only)
        url, method="PURGE", headers={"xkey-purge": " ".join(keys)}
    )
    try:
        with urllib.request.urlopen(request, timeout=FRONT_CACHE_TIMEOUT):  # noqa: S310
            return True
    except OSError as error:
        logger.warning("Front cache purge of %s failed at %s: %s", " ".join(keys), url, error)
        return False


def purge_on_commit(keys):
    keys = set(keys)
    if keys:
        transaction.on_commit(lambda: purge_keys(keys))


def readers_may_have_seen(article):
    """Published (or scheduled: its go-live must be known) or published once."""
    return article.status == ArticleStatus.PUBLISHED or article.first_published_at is not None


def purge_article(article):
    """For services that change an article with `update()`, which sends no signal."""
    if readers_may_have_seen(article):
        purge_on_commit(keys_for_article(article))


def next_change_at(now=None):
    """The next moment a page may change by time alone, or None: a scheduled article goes
    live, a banner goes up, stops being new or expires, a front slot's pin runs out.

    A cached page lives no longer than this, so scheduled publication needs no cron.
    """
    now = now or timezone.now()
    moments = [
        Article.objects.filter(
            status=ArticleStatus.PUBLISHED, publish_at__gt=now, deleted_at__isnull=True
        ).aggregate(at=Min("publish_at"))["at"],
        FrontSlot.objects.filter(pinned_until__gt=now).aggregate(at=Min("pinned_until"))["at"],
    ]
    banners = BreakingNews.objects.filter(expires_at__gt=now, taken_down_at__isnull=True)
    new_for = timedelta(minutes=BreakingNews.NEW_FOR_MINUTES)
    for starts_at, expires_at in banners.values_list("starts_at", "expires_at"):
        moments += [moment for moment in (starts_at, starts_at + new_for) if moment > now]
        moments.append(expires_at)
    moments = [moment for moment in moments if moment is not None]
    return min(moments) if moments else None


def seconds_until_next_change(limit):
    """How long a page rendered now may be kept, at most `limit` seconds."""
    cache = page_cache()
    at = cache.get(NEXT_CHANGE)
    if at is None:
        found = next_change_at()
        at = found.timestamp() if found else 0  # 0: nothing scheduled
        until = int(at - time.time()) if found else limit
        # Re-read at least every minute: a render racing a scheduling purge may store an
        # out-of-date moment after the purge deleted it.
        cache.set(NEXT_CHANGE, at, timeout=max(1, min(NEXT_CHANGE_RECHECK_SECONDS, limit, until)))
    if not at:
        return limit
    return max(0, min(limit, int(at - time.time())))


class SiteChrome:
    """What every reader page shows around its content: the section navigation and the
    breaking-news banner (None when no banner is up)."""

    def __init__(self, sections, banner):
        self.sections = sections
        self.banner = banner

    @classmethod
    def read(cls):
        return cls(list(Section.objects.for_readers()), BreakingNews.objects.current())

    def section(self, slug):
        """The section readers browse at `slug`, or None: every such section is in the
        navigation, and a section saved purges `site`."""
        return next((section for section in self.sections if section.slug == slug), None)


def site_chrome(request=None):
    """The site's chrome, once per request, and with NEWSROOM_SITE_CACHE on once until it
    changes: it is the same for every reader, so it is kept until a purge of `site` (a
    section or banner saved, a banner's article changed) or the next moment it may change by
    time alone (a banner going up, no longer new, or expiring)."""
    if request is not None and hasattr(request, "site_chrome"):
        return request.site_chrome
    chrome = kept(SITE_CHROME, [SITE], SiteChrome.read)
    if request is not None:
        request.site_chrome = chrome
    return chrome


def reader_section(request, slug):
    """The section readers browse at `slug` (SiteChrome.section), or 404: the section
    page's and its feeds' one rule."""
    section = site_chrome(request).section(slug)
    if section is None:
        raise Http404("No such section.")
    return section


@functools.cache
def code_fingerprint():
    """A fingerprint of the code and templates that make kept values: they are pickles of
    its objects and its HTML, and a release that changes them must not read the last
    release's (a FeedItem without a new field would fail every feed). The purge stamps are
    not fingerprinted: during a rolling release both releases honour every purge."""
    root = Path(settings.BASE_DIR)
    digest = hashlib.sha256()
    for path in sorted([*(root / "articles").rglob("*.py"), *(root / "templates").rglob("*")]):
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def reader_place():
    """What a part drawn for readers differs by, besides what it shows: the language and
    the time zone its words and dates are written in."""
    return f"{translation.get_language() or ''}:{timezone.get_current_timezone_name()}"


def kept_name(name):
    return f"{name}@{code_fingerprint()}"


def kept(name, keys, read, started=None, keys_of=None):
    """`read()`, and with NEWSROOM_SITE_CACHE on kept in the pages cache as `name` until a
    purge of any of `keys`, or the next moment pages may change by time alone: for what
    every reader gets alike and costs more to read than to keep (the site's chrome, the
    API list's count over the whole archive, an article's card, an article page's lists).

    `started`: when the reads it is made of began, if before the call (a card rendered from
    rows its page read earlier): a purge since then means it is not kept.
    `keys_of(value)`: further keys, known once it is read (the articles a list chose); a
    purge of any of them ends it too, at the cost of a second cache request per use.
    """
    if not settings.NEWSROOM_SITE_CACHE:
        return read()
    name = kept_name(name)
    # The copy and its keys' stamps in one cache request (one round trip to Redis).
    found = with_stamps([name], keys)
    entry = found.get(name)
    if still_good(entry, keys, found) and (
        not entry.get("shown") or keys_still_valid(entry["shown"], entry["started"])
    ):
        return entry["value"]
    started = started or time.time()
    value = read()
    shown = sorted(set(keys_of(value)) - set(keys)) if keys_of else []
    _keep(name, value, [*keys, *shown], started, shown=shown)
    return value


def kept_each(items, name_of, read, started=None):
    """`kept` for many values at once, each kept on its own: the value of each of `items`,
    in their order. `read(missing)` gives {item: (value, keys)} for the items not kept, the
    keys being what that value shows; an item it leaves out is left out.

    Two cache requests however many are kept (their copies, then their keys' stamps) and
    one `read` for all the others: a page of the API reads only the articles changed since
    they were last shown.
    """
    if not settings.NEWSROOM_SITE_CACHE:
        fresh = read(list(items))
        return [fresh[item][0] for item in items if item in fresh]
    store = page_cache()
    names = {item: kept_name(name_of(item)) for item in items}
    found = store.get_many(list(names.values()))
    entries = {item: found.get(name) for item, name in names.items()}
    entries = {item: entry for item, entry in entries.items() if _unexpired(entry)}
    stamps = with_stamps([], sorted({key for entry in entries.values() for key in entry["shown"]}))
    values = {
        item: entry["value"]
        for item, entry in entries.items()
        if keys_still_valid(entry["shown"], entry["started"], stamps)
    }
    missing = [item for item in items if item not in values]
    if missing:
        started = started or time.time()
        for item, (value, keys) in read(missing).items():
            values[item] = value
            _keep(names[item], value, keys, started, shown=sorted(keys))
    return [values[item] for item in items if item in values]


class KeptLater:
    """Kept parts of one page (`kept`, e.g. its cards), looked up together once the page is
    drawn: two cache requests for all of them (their copies, then the stamps the page has
    not read yet) instead of one or two each. A part stands in the page as a marker,
    carrying the page's own random token so that nothing in it can be mistaken for one,
    until `fill` puts the kept copy, or one drawn now, in its place."""

    def __init__(self, started=None):
        self.started = started
        self.token = secrets.token_hex(8)
        self.parts = {}  # marker: (name, keys, render)

    def add(self, name, keys, render):
        marker = f"<!--kept:{self.token}:{len(self.parts)}-->"
        self.parts[marker] = (kept_name(name), list(keys), render)
        return marker

    def fill(self, html):
        if not self.parts:
            return html
        parts = self.parts.values()
        found = with_stamps(
            sorted({name for name, _, _ in parts}),
            sorted({k for _, keys, _ in parts for k in keys}),
        )
        values, drawn = {}, {}
        for marker, (name, keys, render) in self.parts.items():
            entry = found.get(name)
            if still_good(entry, keys, found):
                values[marker] = entry["value"]
            elif name in drawn:  # the same part twice on the page
                values[marker] = drawn[name]
            else:
                values[marker] = drawn[name] = render()
                _keep(name, values[marker], keys, self.started or time.time())
        return re.sub(f"<!--kept:{self.token}:\\d+-->", lambda m: values[m[0]], html)


def _unexpired(entry):
    return bool(entry) and entry["expires"] > time.time()


def still_good(entry, keys, found):
    """A kept entry not expired, none of whose `keys` was purged since it was read
    (`found`: their stamps, read with it)."""
    return _unexpired(entry) and keys_still_valid(keys, entry["started"], found)


def _keep(name, value, keys, started, shown=()):
    """Keep `value` as `name` if no purge of `keys` landed since `started`, no longer than
    the next moment pages may change by time alone. `shown`: the keys checked on each use
    in a second request (`kept`'s `keys_of`, all of `kept_each`'s)."""
    lifetime = seconds_until_next_change(settings.NEWSROOM_PAGE_CACHE_SECONDS)
    if lifetime > 0 and no_purge_since(keys, started):
        entry = {"value": value, "started": started, "expires": started + lifetime}
        if shown:
            entry["shown"] = list(shown)
        page_cache().set(name, entry, timeout=lifetime)


def article_keys(articles):
    """The articles' own keys: for lists that show no photos ("More in", "Related")."""
    return {article_key(listed.pk) for listed in articles}


# How many of a section's newest articles are kept for it: the front's block (4) with up to
# 8 of them already in the front's slots, and every article page's "More in" (5 and itself).
SECTION_NEWEST = 12


def sections_newest(section_ids, started=None):
    """{section id: its SECTION_NEWEST newest published articles, as cards}, for the front's
    section blocks and every article page's "More in". Each section's are kept once for all
    of them, until a purge of the section (an article joining it), `site` (a section's
    name or address) or any article listed (edited, moved, withdrawn): after a publish, the
    next page reads that section's again, and the others stay kept. The sections not kept
    are read in one query."""

    def read(missing):
        newest = {section: [] for section in missing}
        articles = Article.objects.published().newest_per_section(missing, SECTION_NEWEST)
        for article in articles.for_cards():
            newest[article.section_id].append(article)
        return {
            section: (listed, section_list_keys(section, listed))
            for section, listed in newest.items()
        }

    kept_lists = kept_each(
        section_ids, lambda section: f"section-newest:{section}", read, started=started
    )
    return dict(zip(section_ids, kept_lists, strict=True))


def article_page(pk, read, started=None):
    """`read()`: the published article `pk` as its page shows it (body, photo with
    renditions, tags, sources, bylines, corrections), kept until a purge of anything it
    shows (`keys_for_article_page`).

    The page still asks `published()` whether the article is live, in its own query: a
    kept copy is never what decides that a reader may see an article."""
    return kept(
        f"article-page:{pk}", [article_key(pk)], read, started, keys_of=keys_for_article_page
    )


def keys_for_slots(slots):
    """What front slots show: each article, maybe under another photo."""
    return keys_for_listed(slot.article for slot in slots) | {
        photo_key(slot.photo_id) for slot in slots if slot.photo_id
    }


def front_slots(section, read, started=None):
    """`read()`: the slots readers see now on the front of `section` (None: the front
    page), kept until a purge of that front (its arrangement published; for the front page,
    any article changed), of what a slot shows (`keys_for_slots`: an article withdrawn or
    edited, a photo changed) or the next moment pages may change by time alone (a pin
    running out)."""
    return kept(
        f"front-slots:{section.pk if section else ''}",
        [SITE, section_key(section.pk) if section else FRONT],
        read,
        started,
        keys_of=keys_for_slots,
    )


def more_in_section(article, started=None):
    """An article page's "More in" list, from its section's kept newest articles."""
    section = article.section_id
    return article.more_in_section(sections_newest([section], started)[section])


def related_choice_keys(article):
    """What chooses an article's "Related": the article (its tags), the tags it is chosen
    by (an article tagged) and `site`."""
    return [SITE, article_key(article.pk), *(tag_key(pk) for pk in article.related_tag_ids())]


def related(article, started=None):
    """An article page's "Related" list, kept until a purge of what chooses it
    (`related_choice_keys`) or of any article listed (edited, untagged, withdrawn): a
    publish elsewhere in the section leaves it."""
    return kept(
        f"related:{article.pk}",
        related_choice_keys(article),
        lambda: list(article.related()),
        started=started,
        keys_of=article_keys,
    )


def related_keys(article, listed):
    """What an article's "Related" block shows: what chose it and the articles listed."""
    return {*related_choice_keys(article), *article_keys(listed)}


def section_list_keys(section_id, listed):
    """What a list of a section's newest articles shows (its kept list, an article's "More
    in" block): the section's name and newest (a publish there purges the section), and
    the articles listed."""
    return {SITE, section_key(section_id), *article_keys(listed)}


# What each kind of change purges.


@receiver(post_save, sender=Article, dispatch_uid="cache_purge_saved_article")
@receiver(post_delete, sender=Article, dispatch_uid="cache_purge_deleted_article")
def purge_changed_article(sender, instance, raw=False, **kwargs):
    if not raw:
        purge_article(instance)


@receiver(m2m_changed, sender=Article.tags.through, dispatch_uid="cache_purge_retagged")
@receiver(m2m_changed, sender=Article.authors.through, dispatch_uid="cache_purge_reauthored")
def purge_relinked_article(sender, instance, action, **kwargs):
    if isinstance(instance, Article) and action in {"post_add", "post_remove", "post_clear"}:
        purge_article(instance)


@receiver(post_save, sender=Tag, dispatch_uid="cache_purge_renamed_tag")
@receiver(post_delete, sender=Tag, dispatch_uid="cache_purge_deleted_tag")
def purge_renamed_tag(sender, instance, raw=False, created=False, **kwargs):
    if not raw and not created:
        purge_on_commit({tag_key(instance.pk), FEEDS, SITEMAPS, API})


@receiver(post_save, sender=Correction, dispatch_uid="cache_purge_saved_correction")
@receiver(post_delete, sender=Correction, dispatch_uid="cache_purge_deleted_correction")
def purge_corrected_article(sender, instance, raw=False, **kwargs):
    if not raw:
        purge_article(instance.article)


@receiver(post_save, sender=LiveEntry, dispatch_uid="cache_purge_saved_live_entry")
@receiver(post_delete, sender=LiveEntry, dispatch_uid="cache_purge_deleted_live_entry")
def purge_live_article(sender, instance, raw=False, **kwargs):
    if not raw:
        purge_on_commit({article_key(instance.article_id), FEEDS, API})


@receiver(post_save, sender=Photo, dispatch_uid="cache_purge_saved_photo")
@receiver(post_delete, sender=Photo, dispatch_uid="cache_purge_deleted_photo")
def purge_changed_photo(sender, instance, raw=False, created=False, **kwargs):
    if not raw and not created:
        purge_on_commit({photo_key(instance.pk), FEEDS, SITEMAPS, API})


@receiver(post_save, sender=Rendition, dispatch_uid="cache_purge_saved_rendition")
@receiver(post_delete, sender=Rendition, dispatch_uid="cache_purge_deleted_rendition")
def purge_photo_of_rendition(sender, instance, raw=False, **kwargs):
    if not raw:
        purge_on_commit({photo_key(instance.photo_id), FEEDS, API})


@receiver(post_save, sender=Front, dispatch_uid="cache_purge_published_front")
def purge_rearranged_front(sender, instance, raw=False, **kwargs):
    if not raw:
        purge_on_commit({section_key(instance.section_id) if instance.section_id else FRONT})


@receiver(post_save, sender=BreakingNews, dispatch_uid="cache_purge_saved_banner")
@receiver(post_delete, sender=BreakingNews, dispatch_uid="cache_purge_deleted_banner")
@receiver(post_save, sender=Section, dispatch_uid="cache_purge_saved_section")
@receiver(post_delete, sender=Section, dispatch_uid="cache_purge_deleted_section")
def purge_every_page(sender, instance, raw=False, **kwargs):
    if not raw:
        purge_on_commit({SITE, FEEDS, SITEMAPS, API})


@receiver(post_save, sender=AuthorProfile, dispatch_uid="cache_purge_saved_author_profile")
def purge_author_pages(sender, instance, raw=False, **kwargs):
    if not raw:
        purge_on_commit({author_key(instance.user_id), FEEDS, API})


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="cache_purge_renamed_author")
def purge_renamed_author(sender, instance, raw=False, created=False, update_fields=None, **kwargs):
    """Bylines print the person's name: a change to it (or to anything but their sign-in
    record) reaches every page crediting them, even once their page's address is fixed."""
    if raw or created or signs_in_only(update_fields):
        return
    purge_on_commit({author_key(instance.pk), FEEDS, API})


@receiver(post_save, sender=Source, dispatch_uid="cache_purge_saved_source")
@receiver(post_delete, sender=Source, dispatch_uid="cache_purge_deleted_source")
def purge_renamed_source(sender, instance, raw=False, created=False, **kwargs):
    """A source's name and link are in the sources line of every article citing it."""
    if not raw and not created:
        purge_on_commit({source_key(instance.pk), API})


@receiver(post_save, sender=ArticleSource, dispatch_uid="cache_purge_cited_source")
@receiver(post_delete, sender=ArticleSource, dispatch_uid="cache_purge_uncited_source")
def purge_article_citing(sender, instance, raw=False, **kwargs):
    """A source added to or taken off an article, even without the article being saved."""
    if not raw:
        purge_on_commit({article_key(instance.article_id), API})
