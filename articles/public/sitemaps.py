"""Sitemaps for search engines: sections and articles, and the Google News sitemap."""

from datetime import timedelta
from html import escape  # what django.utils.html.escape calls, without its lazy wrapper

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.contrib.sitemaps.views import x_robots_tag
from django.core.paginator import EmptyPage, Page, PageNotAnInteger
from django.db.models import Q, Subquery
from django.http import HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import date as date_filter
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from ..models import Article, Section
from ..querysets import CARD_DEFERRED
from . import cache

# Google News lists what was published in the last two days, at most 1,000 URLs a file.
NEWS_WINDOW = timedelta(days=2)
NEWS_LIMIT = 1000


class SectionSitemap(Sitemap):
    changefreq = "hourly"

    def items(self):
        return Section.objects.for_readers()


def first_rows(queryset, *orderings):
    """The first row of `queryset` in each of `orderings`, in one query: each an index walk
    that stops at once, where MIN or MAX over a filtered table reads every row it keeps."""
    ids = queryset.order_by().values("pk")
    firsts = Q()
    for ordering in orderings:
        firsts |= Q(pk=Subquery(ids.order_by(*ordering)[:1]))
    return queryset.filter(firsts).order_by()


class IdRangePaginator:
    """Sitemap pages as ranges of `limit` article ids from the first published one: page
    N is an index range scan however deep it is, where a Paginator's OFFSET walked through
    every earlier row. A page lists at most `limit` articles, fewer where ids were skipped.
    """

    def __init__(self, items, limit):
        self.items, self.limit = items, limit

    @cached_property
    def bounds(self):
        """The first and last published ids (see first_rows)."""
        found = list(first_rows(self.items, ["pk"], ["-pk"]).values_list("pk", flat=True))
        return (min(found), max(found)) if found else (None, None)

    @cached_property
    def num_pages(self):
        low, high = self.bounds
        return 1 if low is None else (high - low) // self.limit + 1

    def page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("That page number is not an integer.") from None
        if not 1 <= number <= self.num_pages:
            raise EmptyPage("That page contains no results.")
        start = (self.bounds[0] or 0) + (number - 1) * self.limit
        chunk = self.items.filter(pk__gte=start, pk__lt=start + self.limit).order_by("pk")
        return Page(list(chunk), number, self)


class ArticleSitemap(Sitemap):
    limit = settings.NEWSROOM_SITEMAP_SIZE

    def items(self):
        return Article.objects.published().select_related("section").defer(*CARD_DEFERRED)

    @cached_property
    def paginator(self):
        return IdRangePaginator(self.items(), self.limit)

    def lastmod(self, article):
        return article.last_modified

    def get_latest_lastmod(self):
        # For the index: the last changed and the last published article, along
        # article_updated_idx and article_status_publish_idx (see first_rows).
        newest = first_rows(Article.objects.published(), ["-updated_at"], ["-publish_at", "-id"])
        moments = newest.values_list("updated_at", "publish_at")
        return max((moment for row in moments for moment in row if moment), default=None)


SITEMAPS = {"sections": SectionSitemap, "articles": ArticleSitemap}


@x_robots_tag
def sitemap_index(request, **kwargs):
    """Django's sitemap index, its entries written out in one pass and kept (with
    NEWSROOM_SITE_CACHE on) until a purge of the sitemaps or the next moment pages may change
    by time alone, such as a scheduled go-live. At a million articles it lists 200 pages of
    the article sitemap: drawing them cost more than the rest of the page, and formatting
    the date more again. Its addresses are absolute: each host has its own."""

    def read():
        response = sitemap_views.index(request, template_name="sitemaps/index.xml", **kwargs)
        written = {}

        def lastmod(moment):
            if moment not in written:
                written[moment] = (
                    f"<lastmod>{date_filter(moment, 'c')}</lastmod>" if moment else ""
                )
            return written[moment]

        entries = "".join(
            f"<sitemap><loc>{escape(item.location)}</loc>{lastmod(item.last_mod)}</sitemap>\n"
            for item in response.context_data["sitemaps"]
        )
        return entries, response.get("Last-Modified")

    entries, last_modified = cache.kept(
        f"sitemap-index:{request.build_absolute_uri('/')}",
        [cache.SITEMAPS],
        read,
        started=getattr(request, "page_started", None),
    )
    return TemplateResponse(
        request,
        "sitemaps/index.xml",
        {"entries": mark_safe(entries)},  # noqa: S308 (each location escaped)
        content_type="application/xml",
        headers={"Last-Modified": last_modified} if last_modified else None,
    )


def news_language(language_code):
    """Google News wants an ISO 639 code ("en", "pl"); only Chinese keeps its region."""
    code = language_code.lower()
    return code if code in {"zh-cn", "zh-tw"} else code.split("-")[0]


@require_GET
@x_robots_tag
def news_sitemap(request):
    """The Google News sitemap: articles of the last two days, newest first."""
    articles = (
        Article.objects.published()
        .filter(publish_at__gte=timezone.now() - NEWS_WINDOW)
        .select_related("section")
        .defer(*CARD_DEFERRED)
        .order_by("-publish_at", "-id")[:NEWS_LIMIT]
    )
    return render(
        request,
        "sitemaps/news.xml",
        {
            "articles": articles,
            "site_root": request.build_absolute_uri("/").rstrip("/"),
            "language": news_language(settings.LANGUAGE_CODE),
        },
        content_type="application/xml",
    )


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        f"Disallow: {reverse('admin:index')}",
        f"Disallow: {reverse('articles:search')}",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('articles:sitemap-index'))}",
        f"Sitemap: {request.build_absolute_uri(reverse('articles:news-sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
