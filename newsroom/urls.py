from django.contrib import admin
from django.urls import include, path

from articles.admin import view_on_site
from newsroom.metrics import metrics

urlpatterns = [
    # Before the admin's own shortcut, which would redirect anyone to any draft's address.
    path(
        "admin/r/<int:content_type_id>/<path:object_id>/",
        admin.site.admin_view(view_on_site),
    ),
    path("admin/", admin.site.urls),
    # Prometheus scrapes this; newsroom.metrics refuses everyone else.
    path("metrics", metrics, name="metrics"),
    path("", include("articles.urls")),
]

# A database that stops answering is a 503 with a clear page, not a 500 (newsroom.health).
handler500 = "newsroom.health.server_error"
