from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from ..models import Source
from . import renditions
from .forms import PhotoAdminForm, PhotoBatchForm
from .metadata import read_metadata
from .models import Photo
from .uploads import check_upload, make_renditions_after_commit, photo_from_upload

THUMBNAIL_WIDTH = 96
PREVIEW_WIDTH = 480


def photo_image(photo, width, crop=renditions.CARD.crop, attrs=""):
    """A rendition, never the original: the admin shows what readers get."""
    rendition = renditions.smallest(photo, crop=crop, at_least=width) if photo else None
    if rendition is None:
        return "—"
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="{}" loading="lazy" class="desk-thumbnail" {}>',
        rendition.file.url,
        width,
        round(rendition.height * width / rendition.width),
        photo.alt_text,
        attrs,
    )


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    form = PhotoAdminForm
    list_display = ["thumbnail", "__str__", "credit", "provider", "size", "created_at"]
    list_display_links = ["thumbnail", "__str__"]
    list_filter = ["provider", "created_at"]
    list_select_related = ["provider"]
    search_fields = ["caption", "credit", "creator", "alt_text", "provider__name"]
    autocomplete_fields = ["provider"]
    readonly_fields = ["preview", "size", "used_in", "original_url", "uploaded_by", "created_at"]
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
        ("Rights", {"fields": ["creator", "copyright_notice", "usage_terms", "original_url"]}),
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
            photo, PREVIEW_WIDTH, crop=renditions.FULL.crop, attrs="data-focal-preview "
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
        renditions.delete_files(obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for photo in queryset:
            renditions.delete_files(photo)
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
            check_upload(file)
        except ValidationError as error:
            return JsonResponse({"error": " ".join(error.messages)}, status=400)
        metadata = read_metadata(file)
        provider = Source.objects.named(metadata.source)
        duplicate = Photo.objects.with_same_file(file).first()
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
                    saved.append(
                        photo_from_upload(
                            file,
                            user=request.user,
                            credit=form.cleaned_data["credit"],
                            provider=form.cleaned_data["provider"],
                        )
                    )
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
