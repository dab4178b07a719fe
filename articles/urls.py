from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, register_converter

from .desk import views as desk_views
from .live import views as live_views
from .public import api, cache, feeds, sitemaps, views

app_name = "articles"

# Pages whose cache keys follow from the address: any article change purges them.
feed_page = cache.recording(cache.FEEDS)
sitemap_page = cache.recording(cache.SITEMAPS)
api_page = cache.recording(cache.API)


class UsernameConverter:
    """What Django's username validator allows: anything else (a NUL byte) is no author."""

    regex = r"[\w.@+-]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(UsernameConverter, "username")

urlpatterns = [
    path("", views.FrontPageView.as_view(), name="front-page"),
    path("preview/<str:token>/", desk_views.preview_link, name="preview"),
    path(
        "renditions/<int:photo_id>/<str:filename>",
        views.rendition,
        name="rendition",
    ),
    # Before the section catch-all: "api" is a reserved section slug.
    path("api/articles/", api_page(api.article_list), name="api-article-list"),
    path("api/articles/<int:pk>/", api_page(api.article_detail), name="api-article-detail"),
    path("search/", views.search, name="search"),
    path("live/<int:pk>/", live_views.live_coverage, name="live-coverage"),
    path("robots.txt", sitemaps.robots_txt, name="robots-txt"),
    path(
        "sitemap.xml",
        sitemap_page(sitemaps.sitemap_index),
        {"sitemaps": sitemaps.SITEMAPS, "sitemap_url_name": "articles:sitemap-section"},
        name="sitemap-index",
    ),
    path("sitemap-news.xml", sitemap_page(sitemaps.news_sitemap), name="news-sitemap"),
    path(
        "sitemap-<section>.xml",
        sitemap_page(sitemap_views.sitemap),
        {"sitemaps": sitemaps.SITEMAPS},
        name="sitemap-section",
    ),
    path(
        "photos/<int:pk>/credentials/",
        views.PhotoCredentialsView.as_view(),
        name="photo-credentials",
    ),
    path("tags/<slug:slug>/", views.TagDetailView.as_view(), name="tag-detail"),
    path("tags/<str:slug>/", views.old_tag_address, {"url_name": "articles:tag-detail"}),
    # <str:...>: old addresses carry login names, which may hold "." or "@".
    path("authors/<str:slug>/", views.AuthorDetailView.as_view(), name="author-detail"),
    path("feeds/rss/", feed_page(feeds.ArticleFeed.as_view()), name="site-feed-rss"),
    path("feeds/atom/", feed_page(feeds.AtomArticleFeed.as_view()), name="site-feed-atom"),
    path(
        "feeds/sections/<slug:slug>/rss/",
        feed_page(feeds.SectionFeed.as_view()),
        name="section-feed-rss",
    ),
    path(
        "feeds/sections/<slug:slug>/atom/",
        feed_page(feeds.AtomSectionFeed.as_view()),
        name="section-feed-atom",
    ),
    path("feeds/tags/<slug:slug>/rss/", feed_page(feeds.TagFeed.as_view()), name="tag-feed-rss"),
    path(
        "feeds/tags/<slug:slug>/atom/",
        feed_page(feeds.AtomTagFeed.as_view()),
        name="tag-feed-atom",
    ),
    path(
        "feeds/tags/<str:slug>/rss/", views.old_tag_address, {"url_name": "articles:tag-feed-rss"}
    ),
    path(
        "feeds/tags/<str:slug>/atom/",
        views.old_tag_address,
        {"url_name": "articles:tag-feed-atom"},
    ),
    path("<slug:slug>/", views.SectionDetailView.as_view(), name="section-detail"),
    path(
        "<slug:section>/<int:pk>-<slug:slug>/",
        views.ArticleDetailView.as_view(),
        name="article-detail",
    ),
]
