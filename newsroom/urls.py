from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from articles.admin import view_on_site

admin.site.site_header = f"{settings.NEWSROOM_NAME} newsroom"
admin.site.site_title = "Newsroom"
admin.site.index_title = "Desk"

urlpatterns = [
    # Before the admin's own shortcut, which would redirect anyone to any draft's address.
    path(
        "admin/r/<int:content_type_id>/<path:object_id>/",
        admin.site.admin_view(view_on_site),
    ),
    path("admin/", admin.site.urls),
    path("", include("articles.urls")),
]

if settings.DEBUG:
    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns
