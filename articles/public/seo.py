"""How articles present themselves outside the site: feeds, link previews, search engines."""

import json
from typing import NamedTuple

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from ..models import Article
from ..photos import renditions


class ShareImage(NamedTuple):
    url: str
    width: int
    height: int
    ratio: str
    mime_type: str


def share_images(photo, request):
    """The pictures that stand for an article in feeds, OpenGraph and JSON-LD.

    The one place that chooses them: the lead photo's 16x9, 4x3 and 1x1 JPEG renditions
    (stripped of personal metadata, credit kept), each large enough for search engines.
    """
    if not photo or not photo.image:
        return []
    chosen = []
    for crop in renditions.SHARE_CROPS:
        rendition = renditions.largest(photo, crop)
        if rendition and rendition.width * rendition.height >= Article.MIN_SHARE_IMAGE_PIXELS:
            chosen.append(
                ShareImage(
                    url=request.build_absolute_uri(rendition.file.url),
                    width=rendition.width,
                    height=rendition.height,
                    ratio=crop.replace(":", "x"),
                    mime_type=renditions.FORMATS[rendition.format][1],
                )
            )
    return chosen


class ArticleHead:
    """What an article's page says of it in its <head>, for link previews and search
    engines: its share images and structured data, worked out when the head is drawn. A
    reader's page keeps the head as HTML (`kept_fragment`), so most requests never do."""

    def __init__(self, article, request, live_entries=None):
        self.article = article
        self.request = request
        self.live_entries = live_entries

    @cached_property
    def share_images(self):
        return share_images(self.article.photo, self.request)

    @cached_property
    def news_article(self):
        data = news_article(self.article, self.request, self.share_images)
        if self.live_entries is not None:
            data = live_blog_posting(data, self.article, self.live_entries, self.request)
        return data

    @cached_property
    def breadcrumbs(self):
        section = self.article.section
        return breadcrumbs(
            self.request,
            (section.name, section.get_absolute_url()),
            (self.article.headline, self.article.get_absolute_url()),
        )


def printed_byline(article):
    """The byline as printed, without its leading "By"."""
    byline = article.byline.strip()
    return byline[3:].strip() if byline.lower().startswith("by ") else byline


def byline_names(article):
    """Who wrote the article, credited as the page credits it: the printed byline, or else
    the staff authors."""
    if printed_byline(article):
        return [printed_byline(article)]
    return [author.author_profile.name for author in article.author_list()]


def json_ld(data):
    """Structured data as a <script> body: JSON with <, > and & escaped so that no text an
    editor typed can close the script element."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return mark_safe(text.translate(JSON_SCRIPT_ESCAPES))  # noqa: S308 (escaped above)


JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def publisher(request):
    return {
        "@type": "NewsMediaOrganization",
        "name": settings.NEWSROOM_NAME,
        "url": request.build_absolute_uri(reverse("articles:front-page")),
        "logo": {
            "@type": "ImageObject",
            "url": request.build_absolute_uri(static(settings.NEWSROOM_LOGO)),
        },
    }


def news_article(article, request, pictures):
    """schema.org NewsArticle for the article page, as Google News reads it, with its
    `share_images`."""
    url = request.build_absolute_uri(article.get_absolute_url())
    photo = article.photo
    # Credited as the page credits them: the printed byline, or the staff with their pages.
    authors = (
        [{"@type": "Person", "name": printed_byline(article)}]
        if printed_byline(article)
        else [
            {
                "@type": "Person",
                "name": author.author_profile.name,
                "url": request.build_absolute_uri(author.author_profile.get_absolute_url()),
            }
            for author in article.author_list()
        ]
    )
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": article.headline,
        "description": article.standfirst,
        "datePublished": article.publish_at,
        "dateModified": article.last_modified,
        "author": authors,
        "publisher": publisher(request),
        "articleSection": article.section.name,
        "keywords": [tag.name for tag in article.tag_list()],
        "isAccessibleForFree": True,
        "isBasedOn": [
            {
                "@type": "CreativeWork",
                "name": source.name,
                **({"url": source.url} if source.url else {}),
            }
            for source in article.ordered_sources()
        ],
    }
    if pictures:
        if photo.creator:
            creator = {"creator": {"@type": "Person", "name": photo.creator}}
        elif photo.provider:
            creator = {"creator": {"@type": "Organization", "name": photo.provider.name}}
        else:
            creator = {}
        data["image"] = [
            {
                "@type": "ImageObject",
                "url": picture.url,
                "contentUrl": picture.url,
                "width": picture.width,
                "height": picture.height,
                "caption": photo.caption or photo.alt_text,
                "creditText": photo.credit,
                "copyrightNotice": photo.copyright_notice or photo.credit,
                **creator,
            }
            for picture in pictures
        ]
    return data


def live_blog_posting(news_article, article, entries, request):
    """The article's NewsArticle as schema.org LiveBlogPosting, with its visible entries."""
    url = request.build_absolute_uri(article.get_absolute_url())
    data = {
        **news_article,
        "@type": "LiveBlogPosting",
        "coverageStartTime": article.coverage_started_at,
    }
    if article.coverage_ended_at:
        data["coverageEndTime"] = article.coverage_ended_at
    data["liveBlogUpdate"] = [
        {
            "@type": "BlogPosting",
            "headline": Truncator(entry.summary).chars(110),
            "url": f"{url}#entry-{entry.pk}",
            "datePublished": entry.posted_at,
            "dateModified": entry.updated_at,
            "articleBody": strip_tags(entry.body),
        }
        for entry in entries
    ]
    return data


def breadcrumbs(request, *crumbs):
    """schema.org BreadcrumbList from (name, path) pairs, the front page first."""
    trail = [(settings.NEWSROOM_NAME, reverse("articles:front-page")), *crumbs]
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": name,
                "item": request.build_absolute_uri(path),
            }
            for position, (name, path) in enumerate(trail, start=1)
        ],
    }
