from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = f"{settings.NEWSROOM_NAME} newsroom"
admin.site.site_title = "Newsroom"
admin.site.index_title = "Desk"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("articles.urls")),
]

if settings.DEBUG:
    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns
