from django.contrib import admin
from django.http import JsonResponse
from django.urls import path
from django.utils.html import format_html
from taggit.models import Tag

from .forms import ArticleAdminForm
from .models import Article, ArticleSource, Photo, Section, Source

THUMBNAIL_WIDTH = 96
PREVIEW_WIDTH = 480


def photo_image(photo, width):
    if not photo or not photo.image:
        return "—"
    height = round(photo.height * width / photo.width) if photo.width else None
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="{}" loading="lazy" '
        'style="object-fit: cover; max-width: 100%; height: auto;">',
        photo.image.url,
        width,
        height or "",
        photo.alt_text,
    )


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "url"]
    search_fields = ["name", "url"]


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    list_display = ["thumbnail", "__str__", "credit", "provider", "size", "created_at"]
    list_display_links = ["thumbnail", "__str__"]
    list_filter = ["provider", "created_at"]
    list_select_related = ["provider"]
    search_fields = ["caption", "credit", "alt_text", "provider__name"]
    autocomplete_fields = ["provider"]
    readonly_fields = ["preview", "size", "uploaded_by", "created_at"]
    fields = [
        "image",
        "preview",
        "credit",
        "caption",
        "alt_text",
        "provider",
        "size",
        "uploaded_by",
        "created_at",
    ]

    @admin.display(description="photo")
    def thumbnail(self, photo):
        return photo_image(photo, THUMBNAIL_WIDTH)

    @admin.display(description="preview")
    def preview(self, photo):
        return photo_image(photo, PREVIEW_WIDTH)

    @admin.display(description="size")
    def size(self, photo):
        return f"{photo.width} × {photo.height}" if photo.width else "—"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)


class ArticleSourceInline(admin.TabularInline):
    model = ArticleSource
    autocomplete_fields = ["source"]
    fields = ["source", "position"]
    extra = 1
    verbose_name_plural = "sources (in the order readers see them)"


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    inlines = [ArticleSourceInline]
    list_display = ["headline", "thumbnail", "section", "status", "byline", "publish_at"]
    list_filter = ["status", "section", "publish_at"]
    list_select_related = ["section", "photo"]
    search_fields = ["headline", "standfirst", "byline", "slug"]
    date_hierarchy = "publish_at"
    autocomplete_fields = ["section", "photo", "authors"]
    prepopulated_fields = {"slug": ["headline"]}
    readonly_fields = ["photo_preview", "first_published_at", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "section", "standfirst", "body", "language"]}),
        ("Lead photo", {"fields": ["photo", "photo_preview"]}),
        ("Credits", {"fields": ["byline", "authors", "tags"]}),
        (
            "Publishing",
            {
                "fields": [
                    "status",
                    "publish_at",
                    "embargo_until",
                    "first_published_at",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]

    @admin.display(description="photo")
    def thumbnail(self, article):
        return photo_image(article.photo, THUMBNAIL_WIDTH)

    @admin.display(description="preview")
    def photo_preview(self, article):
        return photo_image(article.photo, PREVIEW_WIDTH)

    def get_changeform_initial_data(self, request):
        return {"authors": [request.user.pk], **super().get_changeform_initial_data(request)}

    def save_formset(self, request, form, formset, change):
        if formset.model is not ArticleSource:
            return super().save_formset(request, form, formset, change)
        # Keep the order the journalist set: numbered rows by number, the rest as listed.
        rows = [
            f
            for f in formset.forms
            if f.cleaned_data and f not in formset.deleted_forms and f.cleaned_data.get("source")
        ]
        rows.sort(key=lambda f: f.cleaned_data.get("position") or float("inf"))
        for position, row in enumerate(rows, start=1):
            row.instance.position = position
        super().save_formset(request, form, formset, change)
        # Rows the form left unchanged are not saved by the formset: renumber them too.
        ArticleSource.objects.bulk_update([row.instance for row in rows], ["position"])

    def get_urls(self):
        return [
            path(
                "tag-suggestions/",
                self.admin_site.admin_view(self.tag_suggestions),
                name="articles_article_tag_suggestions",
            ),
            *super().get_urls(),
        ]

    def tag_suggestions(self, request):
        """Select2-shaped suggestions for the tags field; new tags are typed, not looked up."""
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            return JsonResponse({"error": "forbidden"}, status=403)
        term = request.GET.get("term", "").strip()
        names = (
            Tag.objects.filter(name__icontains=term)
            .order_by("name")
            .values_list("name", flat=True)[:20]
        )
        return JsonResponse(
            {"results": [{"id": n, "text": n} for n in names], "pagination": {"more": False}}
        )
