from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST
from taggit.models import Tag

from .forms import ArticleAdminForm, WireUploadForm
from .ingest import ingest_upload
from .ingest.base import Outcome
from .ingest.feeds import entry_to_draft
from .models import (
    Article,
    ArticleSource,
    FeedEntry,
    Photo,
    Section,
    SectionRule,
    Source,
    WireItem,
)

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
    list_display = ["name", "slug", "position", "is_inbox"]
    list_editable = ["position"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "url", "feed_url"]
    search_fields = ["name", "url"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    list_display = ["thumbnail", "__str__", "credit", "provider", "size", "created_at"]
    list_display_links = ["thumbnail", "__str__"]
    list_filter = ["provider", "created_at"]
    list_select_related = ["provider"]
    search_fields = ["caption", "credit", "alt_text", "provider__name"]
    autocomplete_fields = ["provider"]
    readonly_fields = ["preview", "size", "original_url", "uploaded_by", "created_at"]
    fields = [
        "image",
        "preview",
        "credit",
        "caption",
        "alt_text",
        "provider",
        "copyright_notice",
        "usage_terms",
        "original_url",
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
    readonly_fields = [
        "photo_preview",
        "wire_versions",
        "first_published_at",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "section", "standfirst", "body", "language"]}),
        ("Lead photo", {"fields": ["photo", "photo_preview"]}),
        ("Credits", {"fields": ["byline", "authors", "tags"]}),
        ("Wire", {"fields": ["wire_versions"], "classes": ["collapse"]}),
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

    @admin.display(description="agency versions")
    def wire_versions(self, article):
        """Where the copy came from, and newer versions kept beside the edited draft."""
        if not article.pk:
            return "—"
        items = article.wire_items.select_related("source")
        rows = format_html_join(
            "",
            "<li>{}{} v{} from {}, {}: {}{}</li>",
            (
                (
                    format_html("<strong>{}</strong> ", "Flagged update:")
                    if item.flagged_update
                    else "",
                    item.get_format_display(),
                    item.version,
                    item.source or "unknown provider",
                    item.received_at.strftime("%Y-%m-%d %H:%M"),
                    item.headline,
                    format_html(
                        ' (<a href="{}" rel="noopener noreferrer">original</a>)', item.link
                    )
                    if item.link
                    else "",
                )
                for item in items
            ),
        )
        return format_html("<ul>{}</ul>", rows) if rows else "—"

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


@admin.register(SectionRule)
class SectionRuleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "match_on", "value", "section", "priority"]
    list_editable = ["priority"]
    list_filter = ["match_on", "section"]
    list_select_related = ["section"]
    search_fields = ["value"]


@admin.register(WireItem)
class WireItemAdmin(admin.ModelAdmin):
    list_display = [
        "headline",
        "source",
        "format",
        "version",
        "flagged_update",
        "article",
        "photo",
        "received_at",
    ]
    list_filter = ["flagged_update", "format", "source"]
    list_select_related = ["source", "article", "photo"]
    search_fields = ["headline", "guid"]
    date_hierarchy = "received_at"
    change_list_template = "admin/articles/wireitem/change_list.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="articles_wireitem_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        """Upload NINJS or NewsML-G2 files; report what each item became."""
        if not request.user.has_perm("articles.add_article"):
            raise PermissionDenied
        outcomes = []
        form = WireUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            for upload in form.cleaned_data["files"]:
                outcomes.extend(ingest_upload(upload))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import wire copy",
            "form": form,
            "outcomes": outcomes,
            "failed": sum(o.status == Outcome.FAILED for o in outcomes),
        }
        return TemplateResponse(request, "admin/articles/wireitem/import.html", context)


@admin.register(FeedEntry)
class FeedEntryAdmin(admin.ModelAdmin):
    list_display = ["title", "source", "published_at", "original", "draft"]
    list_filter = ["source", ("article", admin.EmptyFieldListFilter)]
    list_select_related = ["source", "article"]
    search_fields = ["title", "summary"]
    date_hierarchy = "published_at"
    readonly_fields = ["source", "guid", "link", "title", "summary", "published_at", "article"]
    actions = ["create_drafts"]

    def has_add_permission(self, request):
        return False

    @admin.display(description="link")
    def original(self, entry):
        return (
            format_html('<a href="{}" rel="noopener noreferrer">open</a>', entry.link)
            if (entry.link)
            else "—"
        )

    @admin.display(description="draft")
    def draft(self, entry):
        if entry.article_id:
            url = reverse("admin:articles_article_change", args=[entry.article_id])
            return format_html('<a href="{}">{}</a>', url, entry.article)
        # A button inside the changelist form: one click posts it with the CSRF token.
        return format_html(
            '<button type="submit" class="button" name="entry" value="{}" formaction="{}">'
            "Create draft</button>",
            entry.pk,
            reverse("admin:articles_feedentry_create_draft"),
        )

    def get_urls(self):
        return [
            path(
                "create-draft/",
                self.admin_site.admin_view(require_POST(self.create_draft_view)),
                name="articles_feedentry_create_draft",
            ),
            *super().get_urls(),
        ]

    def create_draft_view(self, request):
        if not request.user.has_perm("articles.add_article"):
            raise PermissionDenied
        entry = get_object_or_404(FeedEntry, pk=request.POST.get("entry"))
        article = entry_to_draft(entry)
        messages.success(request, f"Draft “{article}” created from the {entry.source} feed.")
        return redirect("admin:articles_article_change", article.pk)

    @admin.action(description="Create drafts from the selected entries", permissions=["draft"])
    def create_drafts(self, request, queryset):
        articles = [entry_to_draft(entry) for entry in queryset]
        messages.success(request, f"{len(articles)} draft(s) ready in the Wire inbox.")

    def has_draft_permission(self, request):
        return request.user.has_perm("articles.add_article")
