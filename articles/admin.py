"""The newsroom's admin: sections and sources here, each desk's classes in its own package."""

from django.contrib import admin
from django.db import models

from .desk import admin as desk_admin  # noqa: F401 (registers the article desk)
from .models import Section, Source
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
