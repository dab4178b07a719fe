"""The newsroom's admin: sections and sources here, each desk's classes in its own package."""

from django.contrib import admin
from django.db import models

from .desk import admin as desk_admin  # noqa: F401 (registers the article desk)
from .models import AuthorProfile, Section, Source
from .photos import admin as photos_admin  # noqa: F401 (registers the photo desk)
from .wire import admin as wire_admin  # noqa: F401 (registers the wire desk)


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position", "is_inbox"]
    list_editable = ["position"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "url", "feed_url"]
    search_fields = ["name", "url"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(AuthorProfile)
class AuthorProfileAdmin(admin.ModelAdmin):
    """Author pages come with every account; a superuser may fix a slug by hand."""

    list_display = ["__str__", "slug", "user"]
    list_select_related = ["user"]
    search_fields = ["slug", "user__first_name", "user__last_name"]
    fields = ["user", "slug"]
    readonly_fields = ["user"]

    def has_add_permission(self, request):
        return False
