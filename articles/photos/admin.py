from pathlib import PurePosixPath

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from ..desk.workflow import is_editor
from ..fields import HTTPS_URLS
from ..formats import display_name
from ..models import Source
from . import changes, picker, renditions
from .forms import PhotoAdminForm, PhotoBatchForm
from .metadata import read_metadata
from .models import Photo, PhotoChange
from .renditions import PREVIEW_WIDTH, THUMBNAIL_WIDTH
from .storage import PhotoStoreUnavailable
from .uploads import check_upload, make_renditions_after_commit


def photo_image(photo, width, crop=renditions.CARD.crop, attrs=""):
    """A rendition, never the original: the admin shows what readers get."""
    if photo is None:
        return "—"
    if not photo.image:
        # A wire picture known only by the agency's URL: nothing to show until it arrives.
        return mark_safe('<span class="no-image-yet">No image yet</span>')  # noqa: S308 (constant)
    rendition = renditions.smallest(photo, crop=crop, at_least=width)
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
    formfield_overrides = HTTPS_URLS
    form = PhotoAdminForm
    list_display = [
        "thumbnail",
        "__str__",
        "credit",
        "provider",
        "credentials_badge",
        "size",
        "created_at",
    ]
    list_display_links = ["thumbnail", "__str__"]
    list_filter = ["provider", "credentials_state", "created_at"]
    list_select_related = ["provider"]
    search_fields = ["caption", "credit", "creator", "alt_text", "provider__name"]
    autocomplete_fields = ["provider"]
    readonly_fields = [
        "preview",
        "size",
        "used_in",
        "original_url",
        "image_problem",
        "uploaded_by",
        "created_at",
        "change_history",
        "content_credentials",
    ]
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
        (
            "Rights",
            {
                "fields": [
                    "creator",
                    "copyright_notice",
                    "usage_terms",
                    "original_url",
                    "image_problem",
                ]
            },
        ),
        (
            "Focal point",
            {
                "fields": ["focal_x", "focal_y"],
                "description": "Click the preview to set what cropped thumbnails keep in frame.",
            },
        ),
        (
            "Content credentials",
            {
                "fields": ["content_credentials"],
                "description": "The C2PA manifest in the file, checked when it was uploaded, "
                "and what the wire said about how the picture was made.",
            },
        ),
        ("About the file", {"fields": ["size", "used_in", "uploaded_by", "created_at"]}),
        (
            "Changes",
            {
                "fields": ["change_history"],
                "description": "Changes to a photo that a published or scheduled article uses "
                "wait for an editor unless you may publish; only an editor replaces its image.",
            },
        ),
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

    @admin.display(description="content credentials")
    def credentials_badge(self, photo):
        return photo.credentials_badge or "—"

    @admin.display(description="content credentials")
    def content_credentials(self, photo):
        return render_to_string("articles/includes/content_credentials.html", {"photo": photo})

    @admin.display(description="size")
    def size(self, photo):
        return f"{photo.width} × {photo.height}" if photo.width else "—"

    def get_object(self, request, object_id, from_field=None):
        photo = super().get_object(request, object_id, from_field)
        if photo is not None:
            # "Used in" names only the articles this person may open.
            using = photo.articles.order_by("-publish_at", "-id")
            photo.articles_for_viewer = list(using.visible_to(request.user))
            photo.articles_hidden_from_viewer = using.count() - len(photo.articles_for_viewer)
            photo.change_list = list(photo.changes.select_related("created_by", "decided_by"))
            photo.viewer_decides = is_editor(request.user)
        return photo

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    @admin.display(description="changes")
    def change_history(self, photo):
        records = getattr(photo, "change_list", [])
        if not records:
            return "No changes since the photo was added."
        provider_ids = {
            value
            for record in records
            for old_new in [record.changes.get("provider")]
            if old_new
            for value in old_new.values()
        }
        providers = Source.objects.in_bulk([pk for pk in provider_ids if pk])

        def when(moment):
            return f"{timezone.localtime(moment):%d %b %Y %H:%M}"

        def shown(field, value):
            if field == "provider":
                return str(providers.get(value, "—")) if value else "—"
            if field == "image":
                return PurePosixPath(value).name if value else "—"
            return "—" if value in (None, "") else str(value)

        def what(record):
            return format_html_join(
                "",
                "<li>{}: {} → {}</li>",
                (
                    (
                        changes.FIELDS.get(field, field),
                        shown(field, values.get("old")),
                        shown(field, values.get("new")),
                    )
                    for field, values in record.changes.items()
                ),
            )

        def status(record):
            if record.decided_by:
                return format_html(
                    "{} by {}, {}",
                    record.get_status_display(),
                    display_name(record.decided_by),
                    when(record.decided_at),
                )
            return record.get_status_display()

        def actions(record):
            if not (photo.viewer_decides and record.status == PhotoChange.Status.PENDING):
                return ""
            return format_html_join(
                " ",
                '<button type="submit" class="button" formmethod="post" formnovalidate '
                'formaction="{}">{}</button>',
                (
                    (
                        reverse(
                            f"admin:articles_photo_{decision}_change", args=[photo.pk, record.pk]
                        ),
                        label,
                    )
                    for decision, label in (("approve", "Approve"), ("reject", "Reject"))
                ),
            )

        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td><ul>{}</ul></td><td>{}</td><td>{}</td></tr>",
            (
                (
                    when(record.created_at),
                    display_name(record.created_by) if record.created_by else "—",
                    what(record),
                    status(record),
                    actions(record),
                )
                for record in records
            ),
        )
        return format_html(
            '<table class="photo-changes"><thead><tr><th scope="col">When</th>'
            '<th scope="col">By</th><th scope="col">What changed</th>'
            '<th scope="col">Status</th><th scope="col"></th></tr></thead>'
            "<tbody>{}</tbody></table>",
            rows,
        )

    @admin.display(description="used in")
    def used_in(self, photo):
        articles = getattr(photo, "articles_for_viewer", [])
        hidden = getattr(photo, "articles_hidden_from_viewer", 0)
        if not articles and not hidden:
            return "No article uses this photo."
        listed = format_html_join(
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
        )
        if hidden:
            listed += format_html(
                "<li>{} other article{} you cannot open</li>", hidden, "s" if hidden > 1 else ""
            )
        return format_html("<ul>{}</ul>", listed)

    def save_model(self, request, obj, form, change):
        if change:
            # A change is applied, or kept for an editor, by the one service; both recorded.
            values = {name: form.cleaned_data[name] for name in form.changed_data}
            try:
                obj.photo_change = changes.photo_change(
                    photo=obj, user=request.user, values=values
                )
            except ValidationError as error:
                # The form refused what it could; what is left is a forged or stale request.
                raise PermissionDenied(" ".join(error.messages)) from error
            return
        obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)
        make_renditions_after_commit(obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except PhotoStoreUnavailable as error:
            # Django's atomic block has rolled the row back: no photo without its file.
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def response_change(self, request, obj):
        record = getattr(obj, "photo_change", None)
        if record is None or record.status != PhotoChange.Status.PENDING:
            return super().response_change(request, obj)
        self.message_user(
            request,
            "Your change waits for an editor: a published or scheduled article uses this "
            "photo. Readers see the photo as it was until an editor approves the change.",
            messages.WARNING,
        )
        return HttpResponseRedirect(reverse("admin:articles_photo_change", args=[obj.pk]))

    def decide_change(self, request, photo_id, change_id, decision):
        record = get_object_or_404(PhotoChange, pk=change_id, photo_id=photo_id)
        try:
            record = decision(change=record, user=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(request, f"The change is {record.get_status_display().lower()}.")
        return HttpResponseRedirect(reverse("admin:articles_photo_change", args=[photo_id]))

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
                "picker/",
                self.admin_site.admin_view(picker.PickerPhotos.as_view(model_admin=self)),
                name="articles_photo_picker",
            ),
            path(
                "picker/upload/",
                self.admin_site.admin_view(picker.PickerUpload.as_view(model_admin=self)),
                name="articles_photo_picker_upload",
            ),
            path(
                "upload-several/",
                self.admin_site.admin_view(self.upload_several),
                name="articles_photo_upload_several",
            ),
            *(
                path(
                    f"<int:photo_id>/changes/<int:change_id>/{name}/",
                    self.admin_site.admin_view(require_POST(self.decide_change)),
                    {"decision": decision},
                    name=f"articles_photo_{name}_change",
                )
                for name, decision in (
                    ("approve", changes.photo_change_approve),
                    ("reject", changes.photo_change_reject),
                )
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
            saved, refused = form.save(user=request.user)
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
