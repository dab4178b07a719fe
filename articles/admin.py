from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from taggit.models import Tag

from . import images
from .forms import ArticleAdminForm, PhotoAdminForm, PhotoBatchForm
from .models import Article, ArticleSource, Photo, Section, Source

THUMBNAIL_WIDTH = 96
PREVIEW_WIDTH = 480


def photo_image(photo, width, crop=images.CARD.crop, attrs=""):
    """A rendition, never the original: the admin shows what readers get."""
    rendition = images.smallest(photo, crop=crop, at_least=width) if photo else None
    if rendition is None:
        return "—"
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="{}" loading="lazy" {}'
        'style="max-width: 100%; height: auto;">',
        rendition.file.url,
        width,
        round(rendition.height * width / rendition.width),
        photo.alt_text,
        attrs,
    )


def make_renditions_after_commit(photo):
    """Renditions are made once, after the photo is saved, and reused by every page."""
    transaction.on_commit(lambda: images.renditions_for(photo))


def find_provider(name):
    return Source.objects.filter(name__iexact=name.strip()).first() if name.strip() else None


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
    form = PhotoAdminForm
    list_display = ["thumbnail", "__str__", "credit", "provider", "size", "created_at"]
    list_display_links = ["thumbnail", "__str__"]
    list_filter = ["provider", "created_at"]
    list_select_related = ["provider"]
    search_fields = ["caption", "credit", "creator", "alt_text", "provider__name"]
    autocomplete_fields = ["provider"]
    readonly_fields = ["preview", "size", "used_in", "uploaded_by", "created_at"]
    fieldsets = [
        (
            None,
            {
                "fields": ["image", "preview", "credit", "caption", "alt_text", "provider"],
                "description": "Choosing a file fills credit, caption, creator, copyright and "
                "provider from its XMP or IPTC metadata where they are empty; check them "
                "before saving.",
            },
        ),
        ("Rights", {"fields": ["creator", "copyright_notice"]}),
        (
            "Focal point",
            {
                "fields": ["focal_x", "focal_y"],
                "description": "Click the preview to set what cropped thumbnails keep in frame.",
            },
        ),
        ("About the file", {"fields": ["size", "used_in", "uploaded_by", "created_at"]}),
    ]

    class Media:
        js = ["js/photo_admin.js"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("renditions")

    @admin.display(description="photo")
    def thumbnail(self, photo):
        return photo_image(photo, THUMBNAIL_WIDTH)

    @admin.display(description="preview")
    def preview(self, photo):
        return photo_image(
            photo, PREVIEW_WIDTH, crop=images.FULL.crop, attrs="data-focal-preview "
        )

    @admin.display(description="size")
    def size(self, photo):
        return f"{photo.width} × {photo.height}" if photo.width else "—"

    @admin.display(description="used in")
    def used_in(self, photo):
        articles = photo.articles.order_by("-publish_at", "-id") if photo.pk else []
        return (
            format_html(
                "<ul>{}</ul>",
                format_html_join(
                    "",
                    '<li><a href="{}">{}</a> ({})</li>',
                    (
                        (
                            reverse("admin:articles_article_change", args=[a.pk]),
                            a.headline,
                            a.get_status_display(),
                        )
                        for a in articles
                    ),
                ),
            )
            if articles
            else "No article uses this photo."
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)
        make_renditions_after_commit(obj)

    def delete_model(self, request, obj):
        # A withdrawn photo must stop being public: its rendition files go with the row.
        images.delete_files(obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for photo in queryset:
            images.delete_files(photo)
        super().delete_queryset(request, queryset)

    def get_urls(self):
        return [
            path(
                "read-metadata/",
                self.admin_site.admin_view(self.read_metadata),
                name="articles_photo_read_metadata",
            ),
            path(
                "upload-several/",
                self.admin_site.admin_view(self.upload_several),
                name="articles_photo_upload_several",
            ),
            *super().get_urls(),
        ]

    def read_metadata(self, request):
        """What the chosen file says about itself, for the form to prefill; nothing is kept."""
        if request.method != "POST":
            return JsonResponse({"error": "POST a file."}, status=405)
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            return JsonResponse({"error": "forbidden"}, status=403)
        file = request.FILES.get("image")
        if file is None:
            return JsonResponse({"error": "No file was sent."}, status=400)
        try:
            images.check_upload(file)
        except ValidationError as error:
            return JsonResponse({"error": " ".join(error.messages)}, status=400)
        metadata = images.read_metadata(file)
        provider = find_provider(metadata.source)
        duplicate = Photo.objects.filter(content_hash=images.content_hash(file)).first()
        return JsonResponse(
            {
                "credit": metadata.credit,
                "caption": metadata.caption,
                "creator": metadata.creator,
                "copyright_notice": metadata.copyright_notice,
                "source": metadata.source,
                "provider": provider and {"id": provider.pk, "text": provider.name},
                "duplicate": duplicate
                and {
                    "url": reverse("admin:articles_photo_change", args=[duplicate.pk]),
                    "label": str(duplicate),
                },
            }
        )

    def upload_several(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = PhotoBatchForm(request.POST or None, request.FILES or None)
        saved, refused = [], []
        if request.method == "POST" and form.is_valid():
            for file in form.cleaned_data["files"]:
                try:
                    saved.append(self.save_one(request, file, form.cleaned_data))
                except ValidationError as error:
                    refused.append((file.name, " ".join(error.messages)))
            if saved:
                self.message_user(request, f"{len(saved)} photo(s) saved.", level=messages.SUCCESS)
            if refused:
                self.message_user(
                    request, f"{len(refused)} file(s) refused: see below.", level=messages.ERROR
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Upload several photos",
            "form": form,
            "saved": saved,
            "refused": refused,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/articles/photo/upload_several.html", context)

    def save_one(self, request, file, defaults):
        images.check_upload(file)
        duplicate = Photo.objects.filter(content_hash=images.content_hash(file)).first()
        if duplicate:
            raise ValidationError(f"already in the library as “{duplicate}” (no. {duplicate.pk}).")
        metadata = images.read_metadata(file)
        credit = metadata.credit or defaults["credit"]
        if not credit:
            raise ValidationError("no credit in the file's metadata and none given for the batch.")
        photo = Photo(
            image=file,
            credit=credit,
            caption=metadata.caption,
            creator=metadata.creator,
            copyright_notice=metadata.copyright_notice,
            provider=find_provider(metadata.source) or defaults["provider"],
            uploaded_by=request.user,
        )
        photo.full_clean()
        photo.save()
        make_renditions_after_commit(photo)
        return photo


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
        (None, {"fields": ["headline", "slug", "section", "standfirst", "body"]}),
        ("Lead photo", {"fields": ["photo", "photo_preview"]}),
        ("Credits", {"fields": ["byline", "authors", "tags"]}),
        (
            "Publishing",
            {
                "fields": [
                    "status",
                    "publish_at",
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

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("photo__renditions")

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
