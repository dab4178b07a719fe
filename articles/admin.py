from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST
from js_asset import Media
from taggit.models import Tag

from . import images, workflow
from .forms import (
    ArticleAdminForm,
    PhotoAdminForm,
    PhotoBatchForm,
    WireUploadForm,
    ordered_source_rows,
)
from .ingest import ingest_upload
from .ingest.base import Outcome
from .ingest.feeds import entry_to_draft
from .models import (
    Article,
    ArticleSource,
    AuthorProfile,
    FeedEntry,
    Photo,
    Revision,
    Section,
    SectionRule,
    Source,
    WireItem,
    WorkflowState,
)
from .revisions import compare_revisions, snapshot_form
from .views import render_preview

THUMBNAIL_WIDTH = 96
PREVIEW_WIDTH = 480


def photo_image(photo, width, crop=images.CARD.crop, attrs=""):
    """A rendition, never the original: the admin shows what readers get."""
    rendition = images.smallest(photo, crop=crop, at_least=width) if photo else None
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


def make_renditions_after_commit(photo):
    """Renditions are made once, after the photo is saved, and reused by every page."""
    transaction.on_commit(lambda: images.renditions_for(photo))


def find_provider(name):
    return Source.objects.filter(name__iexact=name.strip()).first() if name.strip() else None


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


# The workflow buttons: (POST value, label). The form's `action` is one of these values.
WORKFLOW_BUTTONS = {
    "save": "Save draft",
    "submit": "Submit for review",
    "publish": "Publish",
    "schedule": "Schedule",
    "return": "Return to author",
    "unpublish": "Unpublish",
}
EDITABLE_DRAFT_STATES = {WorkflowState.DRAFT, WorkflowState.RETURNED}
PUBLISHABLE_STATES = {
    WorkflowState.DRAFT,
    WorkflowState.RETURNED,
    WorkflowState.IN_REVIEW,
    WorkflowState.SCHEDULED,
    WorkflowState.UNPUBLISHED,
    WorkflowState.CHANGES_PENDING,
    WorkflowState.CHANGES_IN_REVIEW,
}


def workflow_buttons(user, article):
    """The buttons that fit the person and the article's state."""
    state = article.workflow_state if article else WorkflowState.DRAFT
    can_edit = article is None or workflow.can_edit(user, article)
    editor = workflow.is_editor(user)
    buttons = []
    if can_edit:
        buttons.append("save")
    if can_edit and state in EDITABLE_DRAFT_STATES | {WorkflowState.CHANGES_PENDING}:
        buttons.append("submit")
    if editor and state in PUBLISHABLE_STATES:
        buttons += ["publish", "schedule"]
    if editor and state in {WorkflowState.IN_REVIEW, WorkflowState.CHANGES_IN_REVIEW}:
        buttons.append("return")
    if editor and state in {
        WorkflowState.PUBLISHED,
        WorkflowState.SCHEDULED,
        WorkflowState.CHANGES_PENDING,
        WorkflowState.CHANGES_IN_REVIEW,
    }:
        buttons.append("unpublish")
    return [(name, WORKFLOW_BUTTONS[name]) for name in buttons]


def pressed_button(request):
    action = request.POST.get("_workflow", "save")
    return action if action in WORKFLOW_BUTTONS else "save"


class ArticleSourceInline(admin.TabularInline):
    model = ArticleSource
    autocomplete_fields = ["source"]
    fields = ["source", "position"]
    extra = 1
    verbose_name_plural = "sources (in the order readers see them)"

    def pending_sources(self, request, obj):
        """The sources of a live article's pending changes, when the form shows those.

        A form posted with rows of the live article (loaded before the pending changes
        existed) is read as it was rendered.
        """
        if obj is None or not obj.is_live or not obj.pending_revision_id:
            return None
        if request.method == "POST" and request.POST.get("source_links-INITIAL_FORMS", "0") != "0":
            return None
        return obj.pending_revision.data["sources"]

    def get_min_num(self, request, obj=None, **kwargs):
        # Pending changes' sources are shown as rows that must be validated, kept or deleted.
        pending = self.pending_sources(request, obj)
        return len(pending) if pending is not None else super().get_min_num(request, obj)

    def has_add_permission(self, request, obj=None):
        return obj is None or workflow.can_edit(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return obj is None or workflow.can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return obj is None or workflow.can_edit(request.user, obj)


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    inlines = [ArticleSourceInline]
    list_display = ["headline", "thumbnail", "section", "state", "byline", "publish_at"]
    list_filter = ["status", "section", "publish_at"]
    list_select_related = ["section", "photo"]
    search_fields = ["headline", "standfirst", "byline", "slug"]
    date_hierarchy = "publish_at"
    autocomplete_fields = ["section", "photo", "authors"]
    prepopulated_fields = {"slug": ["headline"]}
    actions = ["publish_selected", "unpublish_selected", "move_to_trash"]
    change_list_template = "admin/articles/article/change_list.html"
    object_history_template = "admin/articles/article/history.html"
    fieldsets = [
        (None, {"fields": ["headline", "slug", "section", "standfirst", "body", "language"]}),
        ("Lead photo", {"fields": ["photo", "photo_preview"]}),
        ("Credits", {"fields": ["byline", "authors", "tags"]}),
        ("Wire", {"fields": ["wire_versions"], "classes": ["collapse"]}),
        (
            "Publishing",
            {
                "fields": [
                    "state",
                    "publish_at",
                    "workflow_note",
                    "base_revision",
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

    @admin.display(description="state", ordering="status")
    def state(self, article):
        return article.workflow_state.label

    # Who sees and changes what: the workflow's rules, enforced on every admin path.

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .not_in_trash()
            .visible_to(request.user)
            .prefetch_related("photo__renditions")
        )

    def has_view_permission(self, request, obj=None):
        if not super().has_view_permission(request) or obj is None:
            return super().has_view_permission(request)
        return workflow.can_view(request.user, obj) or obj.is_live

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return workflow.can_edit(request.user, obj)

    def has_publish_permission(self, request):
        return workflow.is_editor(request.user)

    def get_readonly_fields(self, request, obj=None):
        readonly = [
            "state",
            "photo_preview",
            "wire_versions",
            "first_published_at",
            "created_at",
            "updated_at",
        ]
        if not workflow.is_editor(request.user):
            readonly.append("publish_at")
        return readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        action = pressed_button(request) if request.method == "POST" else "save"
        return type(form.__name__, (form,), {"user": request.user, "action": action})

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

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        pending = (
            inline.pending_sources(request, obj)
            if isinstance(inline, ArticleSourceInline)
            else None
        )
        if pending is not None:
            kwargs["queryset"] = ArticleSource.objects.none()
            kwargs["initial"] = [{"source": pk, "position": n} for n, pk in enumerate(pending, 1)]
        return kwargs

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The body editor's import map is an inline script: it runs with the request's nonce.
        context["media"] = Media.from_media(context["media"], nonce=request.csp_nonce)
        context["workflow_buttons"] = workflow_buttons(request.user, obj)
        context["is_editor"] = workflow.is_editor(request.user)
        return super().render_change_form(request, context, add, change, form_url, obj)

    # Saving goes through the workflow.

    def save_model(self, request, obj, form, change):
        if change and form.was_live:
            return  # a live article's edit becomes pending changes in save_related
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if formset.model is not ArticleSource:
            return super().save_formset(request, form, formset, change)
        rows = ordered_source_rows(formset)
        for position, row in enumerate(rows, start=1):
            row.instance.position = position
        super().save_formset(request, form, formset, change)
        # Rows the form left unchanged are not saved by the formset: renumber them too.
        ArticleSource.objects.bulk_update([row.instance for row in rows], ["position"])

    def save_related(self, request, form, formsets, change):
        article = form.instance
        try:
            if change and form.was_live:
                sources = next(f for f in formsets if f.model is ArticleSource)
                workflow.article_save(
                    article=article,
                    user=request.user,
                    data=snapshot_form(form, ordered_source_rows(sources)),
                )
            else:
                super().save_related(request, form, formsets, change)
                workflow.article_save(article=article, user=request.user)
            self.run_workflow_action(request, article, form)
        except ValidationError as error:
            # The form checked what it could; what is left is a forged or stale request.
            raise PermissionDenied(" ".join(error.messages)) from error

    def construct_change_message(self, request, form, formsets, add=False):
        if not add and form.was_live:
            # Nothing was saved to the live row; the log names the fields of the pending edit.
            return [{"changed": {"fields": form.changed_data}}]
        return super().construct_change_message(request, form, formsets, add)

    def run_workflow_action(self, request, article, form):
        action, note, user = form.action, form.cleaned_data.get("workflow_note", ""), request.user
        if action == "submit":
            workflow.article_submit(article=article, user=user, note=note)
        elif action == "publish":
            workflow.article_publish(article=article, user=user, note=note)
        elif action == "schedule":
            at = form.cleaned_data["publish_at"]
            workflow.article_publish(article=article, user=user, at=at, note=note)
        elif action == "return":
            workflow.article_return(article=article, user=user, note=note)
        elif action == "unpublish":
            workflow.article_unpublish(article=article, user=user, note=note)
        if action != "save":
            article.refresh_from_db()
            self.message_user(
                request, f"“{article}” is now {article.workflow_state.label.lower()}."
            )

    def response_add(self, request, obj, post_url_continue=None):
        return self.response_change(request, obj)

    def response_change(self, request, obj):
        self.message_user(request, f"“{obj}” was saved.", messages.SUCCESS)
        if workflow.can_edit(request.user, obj):
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[obj.pk]))
        return HttpResponseRedirect(reverse("admin:articles_article_changelist"))

    # Deleting moves to the trash; only editors may, and they may restore.

    def delete_model(self, request, obj):
        workflow.article_trash(article=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            workflow.article_trash(article=article, user=request.user)

    def get_deleted_objects(self, objs, request):
        return [str(obj) for obj in objs], {"articles": len(objs)}, set(), []

    def response_delete(self, request, obj_display, obj_id):
        self.message_user(
            request, f"“{obj_display}” was moved to the trash. It can be restored from there."
        )
        return HttpResponseRedirect(reverse("admin:articles_article_changelist"))

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    # Bulk actions: each article goes through the same transition, refusals are reported.

    def run_bulk(self, request, queryset, transition, done):
        moved, refused = 0, []
        for article in queryset:
            try:
                with transaction.atomic():
                    transition(article=article, user=request.user)
                moved += 1
            except (ValidationError, PermissionDenied) as error:
                reason = " ".join(getattr(error, "messages", [str(error)]))
                refused.append(f"“{article}”: {reason}")
        if moved:
            self.message_user(request, f"{moved} article(s) {done}.", messages.SUCCESS)
        for line in refused:
            self.message_user(request, f"Not {done}: {line}", messages.ERROR)

    @admin.action(description="Publish selected articles", permissions=["publish"])
    def publish_selected(self, request, queryset):
        self.run_bulk(request, queryset, workflow.article_publish, "published")

    @admin.action(description="Unpublish selected articles", permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        self.run_bulk(request, queryset, workflow.article_unpublish, "unpublished")

    @admin.action(description="Move selected articles to the trash", permissions=["delete"])
    def move_to_trash(self, request, queryset):
        self.run_bulk(request, queryset, workflow.article_trash, "moved to the trash")

    # Pages of the desk beyond the form.

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "tag-suggestions/",
                view(self.tag_suggestions),
                name="articles_article_tag_suggestions",
            ),
            path("review-queue/", view(self.review_queue), name="articles_article_review_queue"),
            path("trash/", view(self.trash), name="articles_article_trash"),
            path(
                "trash/<int:article_id>/restore/",
                view(self.restore_from_trash),
                name="articles_article_restore",
            ),
            path(
                "<int:article_id>/correction/",
                view(self.add_correction),
                name="articles_article_correction",
            ),
            path(
                "<int:article_id>/revisions/compare/",
                view(self.compare_revisions),
                name="articles_article_compare",
            ),
            path(
                "<int:article_id>/revisions/<int:revision_id>/restore/",
                view(self.restore_revision),
                name="articles_article_restore_revision",
            ),
            path(
                "<int:article_id>/revisions/<int:revision_id>/preview/",
                view(self.preview_revision),
                name="articles_article_preview_revision",
            ),
            path(
                "<int:article_id>/revisions/<int:revision_id>/share/",
                view(self.share_revision),
                name="articles_article_share_revision",
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

    def page(self, request, template, title, **context):
        return TemplateResponse(
            request,
            f"admin/articles/article/{template}",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": title,
                **context,
            },
        )

    def review_queue(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        queue = (
            Article.objects.in_review_queue()
            .visible_to(request.user)
            .select_related("section", "created_by")
        )
        return self.page(request, "review_queue.html", "Review queue", articles=queue)

    def trash(self, request):
        if not self.has_delete_permission(request):
            raise PermissionDenied
        trashed = Article.objects.in_trash().select_related("section", "deleted_by")
        return self.page(request, "trash.html", "Trash", articles=trashed.order_by("-deleted_at"))

    def restore_from_trash(self, request, article_id):
        if request.method != "POST":
            raise PermissionDenied
        article = get_object_or_404(Article.objects.in_trash(), pk=article_id)
        try:
            workflow.article_restore(article=article, user=request.user)
        except ValidationError as error:
            raise PermissionDenied(" ".join(error.messages)) from error
        self.message_user(request, f"“{article}” was restored.", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))

    def viewable_article(self, request, article_id):
        article = get_object_or_404(Article.objects.not_in_trash(), pk=article_id)
        if not workflow.can_view(request.user, article):
            raise PermissionDenied
        return article

    def history_view(self, request, object_id, extra_context=None):
        article = self.viewable_article(request, int(object_id))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"History: {article}",
            "object": article,
            "revisions": article.revisions.select_related("created_by"),
            "transitions": article.transitions.select_related("user"),
            "can_edit": workflow.can_edit(request.user, article),
            "is_editor": workflow.is_editor(request.user),
            **(extra_context or {}),
        }
        return TemplateResponse(request, self.object_history_template, context)

    def compare_revisions(self, request, article_id):
        article = self.viewable_article(request, article_id)
        revisions = article.revisions.select_related("created_by")
        try:
            old = revisions.get(pk=int(request.GET["a"]))
            new = revisions.get(pk=int(request.GET["b"]))
        except (KeyError, ValueError, Revision.DoesNotExist) as error:
            raise Http404("Choose two revisions of this article to compare.") from error
        if old.created_at > new.created_at:
            old, new = new, old
        return self.page(
            request,
            "compare.html",
            f"Changes to “{article}”",
            object=article,
            old=old,
            new=new,
            changes=compare_revisions(old, new),
        )

    def restore_revision(self, request, article_id, revision_id):
        if request.method != "POST":
            raise PermissionDenied
        article = self.viewable_article(request, article_id)
        revision = get_object_or_404(article.revisions, pk=revision_id)
        workflow.revision_restore(revision=revision, user=request.user)
        self.message_user(
            request,
            f"Revision {revision.pk} was restored as a new revision"
            + (" (pending until an editor publishes it)." if article.is_live else "."),
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:articles_article_history", args=[article.pk]))

    def preview_revision(self, request, article_id, revision_id):
        article = self.viewable_article(request, article_id)
        revision = get_object_or_404(article.revisions, pk=revision_id)
        return render_preview(request, revision)

    def share_revision(self, request, article_id, revision_id):
        if request.method != "POST":
            raise PermissionDenied
        article = self.viewable_article(request, article_id)
        revision = get_object_or_404(article.revisions, pk=revision_id)
        token = workflow.preview_link_token(revision=revision, user=request.user)
        link = request.build_absolute_uri(reverse("articles:preview", args=[token]))
        return self.page(
            request,
            "share.html",
            "Preview link",
            object=article,
            revision=revision,
            link=link,
            hours=settings.NEWSROOM_PREVIEW_LINK_HOURS,
        )

    def add_correction(self, request, article_id):
        article = self.viewable_article(request, article_id)
        if not workflow.is_editor(request.user):
            raise PermissionDenied
        error = None
        if request.method == "POST":
            try:
                workflow.article_add_correction(
                    article=article, user=request.user, text=request.POST.get("text", "")
                )
            except ValidationError as refused:
                error = " ".join(refused.messages)
            else:
                self.message_user(request, "The correction is published.", messages.SUCCESS)
                return HttpResponseRedirect(
                    reverse("admin:articles_article_change", args=[article.pk])
                )
        return self.page(
            request,
            "correction.html",
            f"Correction to “{article}”",
            object=article,
            error=error,
            text=request.POST.get("text", ""),
            corrections=article.corrections.all(),
        )


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
