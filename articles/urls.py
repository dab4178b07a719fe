from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.FrontPageView.as_view(), name="front-page"),
    path("search/", views.search, name="search"),
    path("<slug:slug>/", views.SectionDetailView.as_view(), name="section-detail"),
    path(
        "<slug:section>/<int:pk>-<slug:slug>/",
        views.ArticleDetailView.as_view(),
        name="article-detail",
    ),
]
