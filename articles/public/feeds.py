"""RSS 2.0 and Atom feeds of the whole site, each section and each tag.

Items carry the lead photo twice: as the enclosure every reader understands, and as Media RSS
`media:content` with the agency credit, which an enclosure cannot hold.
"""

import io

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import format_html, format_html_join, strip_tags
from django.utils.xmlutils import SimplerXMLGenerator

from ..formats import iso
from ..live.models import with_visible_entries
from ..models import Article
from . import cache
from .seo import byline_names, share_images

MEDIA_RSS_NS = "http://search.yahoo.com/mrss/"


class MediaRSSMixin:
    # Each item as kept from an earlier render (ArticleFeed.get_feed), in order: its XML
    # and its latest date. None to write `items` the usual way.
    kept_items = None

    def add_media_namespace(self, attributes):
        return {**attributes, "xmlns:media": MEDIA_RSS_NS}

    def write_items(self, handler):
        if self.kept_items is None:
            return super().write_items(handler)
        for xml, _ in self.kept_items:
            # Written as it was kept, escaped when it was drawn (`items_drawn`): SAX's one
            # way to write text unescaped.
            handler.ignorableWhitespace(xml)

    def latest_post_date(self):
        if self.kept_items is None:
            return super().latest_post_date()
        return max((date for _, date in self.kept_items), default=None) or timezone.now()

    def items_drawn(self):
        """Each of `items` as this feed writes it, and its latest date (as the feed's own
        date counts it): what `kept_items` holds."""
        drawn, items = [], self.items
        try:
            for item in items:
                self.items = [item]
                out = io.StringIO()
                self.write_items(SimplerXMLGenerator(out, "utf-8", short_empty_elements=True))
                drawn.append((out.getvalue(), super().latest_post_date()))
        finally:
            self.items = items
        return drawn

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for image in item.get("images", ()):
            handler.startElement(
                "media:content",
                {
                    "url": image["url"],
                    "medium": "image",
                    "type": image["mime_type"],
                    "width": str(image["width"]),
                    "height": str(image["height"]),
                },
            )
            handler.addQuickElement("media:credit", image["credit"])
            if image["caption"]:
                handler.addQuickElement("media:description", image["caption"])
            handler.endElement("media:content")


class RssWithMedia(MediaRSSMixin, Rss201rev2Feed):
    def rss_attributes(self):
        return self.add_media_namespace(super().rss_attributes())


class AtomWithMedia(MediaRSSMixin, Atom1Feed):
    def root_attributes(self):
        return self.add_media_namespace(super().root_attributes())


class ArticleFeed(Feed):
    """The newest published articles of the whole site, as RSS 2.0."""

    feed_type = RssWithMedia
    item_count = settings.NEWSROOM_FEED_SIZE

    @classmethod
    def as_view(cls):
        """A fresh feed per request: items need the request for absolute image URLs, and a
        shared instance would hand one request's host to another's thread."""

        def view(request, *args, **kwargs):
            feed = cls()
            feed.request = request
            return feed(request, *args, **kwargs)

        return view

    def title(self, obj=None):
        return settings.NEWSROOM_NAME

    def link(self, obj=None):
        return reverse("articles:front-page")

    def description(self, obj=None):
        return f"The latest news from {settings.NEWSROOM_NAME}."

    def feed_url(self, obj=None):
        return self.request.path

    def articles(self, obj):
        return Article.objects.published()

    # The items Django's get_feed draws; see get_feed.
    drawing = ()

    def items(self, obj=None):
        return self.drawing

    def get_feed(self, obj, request):
        """The feed, each item's XML kept from one render to the next until what it shows
        changes: every change purges the feeds, and a render then reads and draws only the
        articles that changed (cache.kept_each). Django's syndication draws each item, as
        a one-item feed of the same kind (`items_drawn`)."""
        newest = self.articles(obj).for_cards().values_list("pk", flat=True)
        site = request.build_absolute_uri("/")
        place = cache.reader_place()

        def read(missing):
            articles = Article.objects.published().filter(pk__in=missing)
            articles = articles.for_listing().with_tags().with_bylines()
            shown = [
                (article.pk, FeedItem(article, request), FeedItem.keys(article))
                for article in with_visible_entries(articles)
            ]
            self.drawing = [item for _, item, _ in shown]
            drawn = super(ArticleFeed, self).get_feed(obj, request).items_drawn()
            return {pk: (item, keys) for (pk, _, keys), item in zip(shown, drawn, strict=True)}

        kept = cache.kept_each(
            list(newest[: self.item_count]),
            lambda pk: f"feed-item:{self.feed_type.__name__}:{pk}:{site}:{place}",
            read,
        )
        self.drawing = ()
        feed = super().get_feed(obj, request)
        feed.kept_items = kept
        return feed

    def item_title(self, item):
        return item.title

    def item_link(self, item):
        return item.link

    def item_description(self, item):
        return item.description

    def item_pubdate(self, item):
        return item.pubdate

    def item_updateddate(self, item):
        return item.updateddate

    def item_author_name(self, item):
        return item.author_name

    def item_categories(self, item):
        return item.categories

    def item_guid(self, item):
        return item.guid

    def item_guid_is_permalink(self, item):
        return True

    def item_enclosure_url(self, item):
        return item.images[0]["url"] if item.images else None

    def item_enclosure_length(self, item):
        # RSS allows 0 when the size is unknown. The rendition's size would be a file
        # system or object storage request per item on every feed render; the original's
        # (what this reported before) is the size of another file.
        return 0

    def item_enclosure_mime_type(self, item):
        return item.images[0]["mime_type"]

    def item_extra_kwargs(self, item):
        return {"images": item.images}


class FeedItem:
    """What a feed shows of one article, as plain values."""

    def __init__(self, article, request):
        self.title = article.headline
        self.link = article.get_absolute_url()
        self.description = self.describe(article)
        self.pubdate = article.publish_at
        self.updateddate = article.last_modified
        self.author_name = ", ".join(byline_names(article)) or None
        self.categories = [article.section.name, *(tag.name for tag in article.tag_list())]
        self.guid = request.build_absolute_uri(self.link)
        # The enclosure and Media RSS's `media:content`, with the agency credit.
        self.images = [
            {**image._asdict(), "credit": article.photo.credit, "caption": article.photo.caption}
            for image in share_images(article.photo, request)
        ]

    @staticmethod
    def describe(article):
        if not article.is_live_blog:
            return article.standfirst
        # A live blog carries its entries, newest first, as the page shows them.
        entries = format_html_join(
            "",
            '<li><time datetime="{}">{}</time> {}</li>',
            (
                (
                    iso(entry.posted_at),
                    formats.date_format(timezone.localtime(entry.posted_at), "j F Y, H:i"),
                    strip_tags(entry.body),
                )
                for entry in article.visible_live_entries
            ),
        )
        return format_html("<p>{}</p><ol>{}</ol>", article.standfirst, entries)

    @staticmethod
    def keys(article):
        """What the item shows: what every representation shows (a live entry purges the
        article too) and its authors' names."""
        authors = {cache.author_key(author.pk) for author in article.author_list()}
        return cache.keys_for_shown(article) | authors


class AtomArticleFeed(ArticleFeed):
    feed_type = AtomWithMedia
    subtitle = ArticleFeed.description


class SectionFeed(ArticleFeed):
    def get_object(self, request, slug):
        return cache.reader_section(request, slug)

    def title(self, obj):
        return f"{obj.name} | {settings.NEWSROOM_NAME}"

    def link(self, obj):
        return obj.get_absolute_url()

    def description(self, obj):
        return obj.description or f"The latest {obj.name} news from {settings.NEWSROOM_NAME}."

    def articles(self, obj):
        return super().articles(obj).filter(section=obj)


class AtomSectionFeed(SectionFeed):
    feed_type = AtomWithMedia
    subtitle = SectionFeed.description


class TagFeed(ArticleFeed):
    def get_object(self, request, slug):
        # The tag page's rule: a tag only unpublished articles carry is not revealed.
        return get_object_or_404(Article.objects.published().carried_tags(), slug=slug)

    def title(self, obj):
        return f"{obj.name} | {settings.NEWSROOM_NAME}"

    def link(self, obj):
        return reverse("articles:tag-detail", kwargs={"slug": obj.slug})

    def description(self, obj):
        return f"The latest news tagged “{obj.name}” from {settings.NEWSROOM_NAME}."

    def articles(self, obj):
        return super().articles(obj).tagged(obj)


class AtomTagFeed(TagFeed):
    feed_type = AtomWithMedia
    subtitle = TagFeed.description
