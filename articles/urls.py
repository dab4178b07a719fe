from django.urls import path

from . import api, views

app_name = "articles"

urlpatterns = [
    path("", views.FrontPageView.as_view(), name="front-page"),
    path("preview/<str:token>/", views.preview_link, name="preview"),
    # Before the section catch-all: "api" is a reserved section slug.
    path("api/articles/", api.article_list, name="api-article-list"),
    path("api/articles/<int:pk>/", api.article_detail, name="api-article-detail"),
    path("<slug:slug>/", views.SectionDetailView.as_view(), name="section-detail"),
    path(
        "<slug:section>/<int:pk>-<slug:slug>/",
        views.ArticleDetailView.as_view(),
        name="article-detail",
    ),
]
