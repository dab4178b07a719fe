"""The NINJS API partners poll: published articles as IPTC NINJS 2.2 JSON.

`/api/articles/` lists them (paginated; `?section=<slug>`, `?updated_since=<ISO 8601>`),
`/api/articles/<id>/` serves one. Both start from `Article.objects.published()` and answer
conditional requests (ETag, Last-Modified) with 304 so polling costs little.
"""

import hashlib
from datetime import UTC

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.core.validators import slug_re
from django.db.models import Count, Max
from django.db.models.functions import Greatest
from django.http import Http404, JsonResponse, QueryDict
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import condition, require_safe

from ..formats import iso
from ..live.models import with_visible_entries
from ..models import Article, Section, Transition, WorkflowState
from ..photos import renditions
from . import cache, keyset

NINJS_VERSION = "2.2"
NINJS_SCHEMA = "http://www.iptc.org/std/ninjs/ninjs-schema_2.2.json"
CONTENT_TYPE = "application/json; charset=utf-8"


class BadRequest(ValueError):
    pass


def article_ninjs(article, request):
    """One published article as a NINJS 2.2 object."""
    item = {
        "uri": request.build_absolute_uri(
            reverse("articles:api-article-detail", kwargs={"pk": article.pk})
        ),
        "standard": {"name": "ninjs", "version": NINJS_VERSION, "schema": NINJS_SCHEMA},
        "type": "text",
        "representationtype": "full",
        "version": str(int(article.updated_at.timestamp() * 1000)),
        "firstcreated": iso(article.first_published_at or article.publish_at),
        "versioncreated": iso(article.updated_at),
        "pubstatus": "usable",
        "language": article.language or settings.LANGUAGE_CODE,
        "headlines": [{"role": "main", "value": article.headline}],
        "bodies": [{"role": "main", "contenttype": "text/html", "value": article.body}],
        "altids": [
            {"role": "webpage", "value": request.build_absolute_uri(article.get_absolute_url())}
        ],
        "subjects": [
            {
                "name": article.section.name,
                "rel": "section",
                "literal": article.section.slug,
                "uri": request.build_absolute_uri(article.section.get_absolute_url()),
            },
            *({"name": tag.name, "rel": "tag", "literal": tag.slug} for tag in article.tag_list()),
        ],
    }
    if article.standfirst:
        item["descriptions"] = [{"role": "summary", "value": article.standfirst}]
    if article.byline:
        item["by"] = article.byline
    sources = article.ordered_sources()
    if sources:
        item["infosources"] = [{"name": source.name, "role": "source"} for source in sources]
    photo = article.photo
    if photo:
        picture = {
            "name": "mainpic",
            "uri": request.build_absolute_uri(
                reverse("articles:api-article-detail", kwargs={"pk": article.pk})
            )
            + f"#photo-{photo.pk}",
            "type": "picture",
            "by": photo.credit,
            "descriptions": [{"role": "caption", "value": photo.caption}] if photo.caption else [],
        }
        if photo.copyright_notice:
            picture["copyrightnotice"] = photo.copyright_notice
        if photo.usage_terms:
            picture["usageterms"] = photo.usage_terms
        if photo.image:
            # Only renditions are public: the original upload has no URL.
            picture["renditions"] = [
                {
                    "name": f"{rendition.format}-{rendition.width}",
                    "href": request.build_absolute_uri(rendition.file.url),
                    "contenttype": renditions.FORMATS[rendition.format][1],
                    "width": rendition.width,
                    "height": rendition.height,
                }
                for rendition in renditions.renditions_for(photo)
                if rendition.crop == renditions.FULL.crop
            ]
        item["associations"] = [picture]
    if article.is_live_blog:
        item["genres"] = [{"name": "Live blog", "literal": "live-blog"}]
        item.setdefault("associations", []).extend(
            live_entry_ninjs(entry, item["altids"][0]["value"])
            for entry in getattr(article, "visible_live_entries", ())
        )
    return item


def ninjs_keys(article):
    """What an article's NINJS shows, for `cache.kept_each`: what every representation
    shows (a live entry or a source linked or unlinked purges the article too) and its
    sources' names."""
    sources = {cache.source_key(source.pk) for source in article.ordered_sources()}
    return cache.keys_for_shown(article) | sources


def ninjs_items(request, ids):
    """The NINJS of the published articles among `ids`, in their order: each kept from
    one request to the next until what it shows changes (`ninjs_keys`), so that partners
    polling the list cost the articles changed since, not every article listed."""
    site = request.build_absolute_uri("/")

    def read(missing):
        articles = Article.objects.published().for_detail().filter(pk__in=missing)
        return {
            article.pk: (article_ninjs(article, request), ninjs_keys(article))
            for article in with_visible_entries(articles)
        }

    return cache.kept_each(ids, lambda pk: f"ninjs:{pk}:{site}", read)


def live_entry_ninjs(entry, page_url):
    """A live entry as a text association of its article, newest first like the page."""
    association = {
        "name": f"entry-{entry.pk}",
        "uri": f"{page_url}#entry-{entry.pk}",
        "type": "text",
        "firstcreated": iso(entry.posted_at),
        "versioncreated": iso(entry.updated_at),
        "bodies": [{"role": "main", "contenttype": "text/html", "value": entry.body}],
    }
    if entry.is_key_event:
        association["genres"] = [{"name": "Key event", "literal": "key-event"}]
    return association


def _error(message, status=400):
    return JsonResponse({"error": message}, status=status, content_type=CONTENT_TYPE)


def _filtered(request):
    """Published articles narrowed by the query string; BadRequest on a bad value."""
    articles = Article.objects.published()
    slug = request.GET.get("section")
    if slug is not None:
        # Not a slug (a NUL byte, say) cannot name a section, and PostgreSQL would refuse it.
        section = (
            Section.objects.for_readers().filter(slug=slug).first()
            if slug_re.fullmatch(slug)
            else None
        )
        if section is None:
            raise BadRequest(f"Unknown section “{slug}”.")
        articles = articles.filter(section=section)
    since = request.GET.get("updated_since")
    if since is not None:
        try:
            moment = parse_datetime(since.strip().replace(" ", "+"))
            # Compared in UTC: PostgreSQL takes no offset beyond ±15:59, and a moment that
            # falls outside the calendar in UTC (year 1 at +23:59) is no moment at all.
            moment = moment.astimezone(UTC) if moment and moment.tzinfo else None
        except (ValueError, OverflowError):
            moment = None
        if moment is None:
            raise BadRequest(
                "updated_since must be an ISO 8601 date-time with a time zone, "
                "e.g. 2026-11-27T08:00:00Z."
            )
        articles = articles.filter(updated_at__gte=moment)
    return articles


def _list_state(request):
    """(count, last change) of what the list shows, computed once per request, and kept
    until a change to what the API shows (see cache.kept): at a million articles the count
    reads the whole archive, half a second, which every request of a polling client paid."""
    if not hasattr(request, "_api_state"):
        try:
            articles = _filtered(request)
        except BadRequest:
            request._api_state = None
        else:
            filters = hashlib.sha256(request.GET.urlencode().encode()).hexdigest()[:32]
            request._api_state = cache.kept(
                f"api-list-state:{filters}", [cache.API], lambda: _read_list_state(articles)
            )
    return request._api_state


def _read_list_state(articles):
    state = articles.aggregate(
        count=Count("id"), last=Max(Greatest("updated_at", "publish_at")), top=Max("id")
    )
    # Taking an article off the list changes it too, though no row left moved.
    withdrawn = Transition.objects.filter(
        to_state__in=[WorkflowState.UNPUBLISHED, WorkflowState.TRASH]
    ).aggregate(at=Max("at"))["at"]
    state["last"] = max(filter(None, [state["last"], withdrawn]), default=None)
    return state


def _list_etag(request):
    state = _list_state(request)
    if state is None:
        return None
    key = f"{state['count']}|{iso(state['last'])}|{state['top']}|{request.GET.urlencode()}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _list_last_modified(request):
    state = _list_state(request)
    return state["last"] if state else None


@require_safe
@condition(etag_func=_list_etag, last_modified_func=_list_last_modified)
def article_list(request):
    try:
        articles = _filtered(request)
    except BadRequest as error:
        return _error(str(error))
    # The page's articles, newest first, as (id, publish time): their NINJS is mostly kept
    # (ninjs_items), and the time is the keyset cursor (articles.public.keyset).
    rows = articles.order_by("-publish_at", "-id").only("id", "publish_at")
    size = settings.NEWSROOM_API_PAGE_SIZE
    count = _list_state(request)["count"]  # counted once: the ETag's state already did
    try:
        shown, older, newer = _list_page(rows, request.GET, size, count)
    except BadRequest as error:
        return _error(str(error))
    except Http404:
        return _error("No such page.", status=404)

    def link(cursor):
        if not cursor:
            return None
        query = request.GET.copy()
        for name in ("page", "before", "after"):
            query.pop(name, None)
        query.update(QueryDict(cursor))
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    return JsonResponse(
        {
            "count": count,
            "next": link(older),
            "previous": link(newer),
            "results": ninjs_items(request, [article.pk for article in shown]),
        },
        content_type=CONTENT_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )


def _list_page(rows, params, size, count):
    """(articles shown, query string of the next page, of the previous one).

    `next` and `previous` are keyset links (`?before=` / `?after=` a cursor, as the section
    pages have): following them, page 20,000 costs what page 1 does. `?page=N`, the
    numbered page of before, is still understood (with OFFSET) and links on by cursor."""
    if "page" in params and ("before" in params or "after" in params):
        raise BadRequest("Use page or before/after, not both.")
    if "page" not in params:
        # An `after` page that reaches the newest articles is the first page.
        page = keyset.paginate(rows, params, size) or keyset.paginate(rows, {}, size)
        return page.object_list, page.older, page.newer
    paginator = Paginator(rows, size)
    paginator.count = count
    try:
        page = paginator.page(params["page"])
    except PageNotAnInteger:
        raise BadRequest("page must be a whole number.") from None
    except EmptyPage:
        raise Http404("No such page.") from None
    shown = list(page.object_list)
    older = keyset.link("before", shown[-1]) if page.has_next() else ""
    newer = keyset.link("after", shown[0]) if page.has_previous() else ""
    return shown, older, newer


def _published_article(request, pk):
    """The article's id and dates, for its ETag; its NINJS is kept (ninjs_items)."""
    if not hasattr(request, "_api_article"):
        found = Article.objects.published().filter(pk=pk).only("updated_at", "publish_at")
        request._api_article = found.first()
    return request._api_article


def _detail_etag(request, pk):
    article = _published_article(request, pk)
    return f"{article.pk}-{article.updated_at.timestamp()}" if article else None


def _detail_last_modified(request, pk):
    article = _published_article(request, pk)
    return max(article.updated_at, article.publish_at) if article else None


@require_safe
@condition(etag_func=_detail_etag, last_modified_func=_detail_last_modified)
def article_detail(request, pk):
    article = _published_article(request, pk)
    if article is None:
        return _error("No such article.", status=404)
    items = ninjs_items(request, [article.pk])
    if not items:  # withdrawn since its dates were read
        return _error("No such article.", status=404)
    return JsonResponse(
        items[0],
        content_type=CONTENT_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )
