from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join

from .. import visibility
from ..editor_media import BodyEditorMediaMixin
from ..live import services as live
from ..models import Article, ArticleSource, DeskPolicy, Photo
from ..photos.admin import PREVIEW_WIDTH, THUMBNAIL_WIDTH, photo_image
from ..photos.picker import lead_photo_widget
from . import autosave, views, workflow, writing
from .forms import (
    ArticleAdminForm,
    autosave_changes,
    autosave_is_behind,
    autosaved_sources,
    ordered_source_rows,
    sources_change,
)
from .revisions import snapshot_form


def pressed_button(request):
    action = request.POST.get("_workflow", "save")
    return action if action in workflow.ACTIONS else "save"


def pending_sources(request, obj):
    """The sources of a live article's pending changes, when the form shows those.

    A form posted with rows of the live article (loaded before the pending changes
    existed) is read as it was rendered.
    """
    if obj is None or not obj.is_live or not obj.pending_revision_id:
        return None
    if request.method == "POST" and request.POST.get("source_links-INITIAL_FORMS", "0") != "0":
        return None
    return obj.pending_revision.data["sources"]


class ArticleSourceInline(admin.TabularInline):
    model = ArticleSource
    autocomplete_fields = ["source"]
    fields = ["source", "position"]
    extra = 1
    verbose_name_plural = "sources (in the order readers see them)"
    # A table's cells have no <label>: the position box is named for screen readers.
    formfield_overrides = {
        models.PositiveSmallIntegerField: {
            "widget": forms.NumberInput(attrs={"aria-label": "Position"})
        }
    }

    def sources_shown(self, request, obj):
        """The sources the form shows in place of the article's rows (None: its rows): those
        of the autosave the person chose to restore, else a live article's pending ones."""
        restored = self.restored_sources(request, obj)
        return restored if restored is not None else pending_sources(request, obj)

    def restored_sources(self, request, obj):
        """The sources of the autosave being restored, if it kept them."""
        if request.method != "GET" or "restore" not in request.GET:
            return None
        if not hasattr(self, "_restored_sources"):  # an inline lives for one request
            kept = autosave.autosave_of(obj, request.user)
            self._restored_sources = autosaved_sources(kept.data) if kept else None
        return self._restored_sources

    def get_min_num(self, request, obj=None, **kwargs):
        # Sources shown in place of the article's rows must be validated, kept or deleted.
        shown = self.sources_shown(request, obj)
        return len(shown) if shown is not None else super().get_min_num(request, obj)

    def has_add_permission(self, request, obj=None):
        return obj is None or workflow.can_edit(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return obj is None or workflow.can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return obj is None or workflow.can_edit(request.user, obj)


class MyWorkFilter(admin.SimpleListFilter):
    """The person's own articles, or those an editor returned to them with a note."""

    title = "my work"
    parameter_name = "desk"

    def lookups(self, request, model_admin):
        return [("mine", "Mine"), ("returned", "Returned to me")]

    def queryset(self, request, queryset):
        if self.value() == "mine":
            return queryset.written_by(request.user)
        if self.value() == "returned":
            return queryset.written_by(request.user).filter(return_note__isnull=False)
        return queryset


@admin.register(Article)
class ArticleAdmin(BodyEditorMediaMixin, admin.ModelAdmin):
    form = ArticleAdminForm
    inlines = [ArticleSourceInline]
    list_display = ["headline", "thumbnail", "section", "state_and_note", "byline", "publish_at"]
    list_filter = [MyWorkFilter, "status", "section", "publish_at"]
    list_select_related = ["section", "photo"]
    search_fields = ["headline", "standfirst", "byline", "slug"]
    date_hierarchy = "publish_at"
    autocomplete_fields = ["section", "photo", "authors"]
    prepopulated_fields = {"slug": ["headline"]}
    actions = [
        "publish_selected",
        "unpublish_selected",
        "move_to_trash",
        "open_live_coverage",
        "close_live_coverage",
    ]
    change_list_template = "admin/articles/article/change_list.html"

    class Media:
        js = ["js/desk_labels.js", "js/desk_writing.js"]
        css = {"all": ["css/desk_writing.css"]}

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

    @admin.display(description="state", ordering="status")
    def state_and_note(self, article):
        """In the list, a returned article's state comes with the editor's note."""
        note = getattr(article, "return_note", None)
        if not note:
            return self.state(article)
        return format_html(
            '{}<div class="return-note"><strong>Editor\'s note:</strong> {}</div>',
            self.state(article),
            note,
        )

    # Who sees and changes what: the workflow's rules, enforced on every admin path.

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .not_in_trash()
            .visible_to(request.user)
            .with_return_note()
            .prefetch_related("photo__renditions")
        )

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return super().has_view_permission(request)
        return visibility.may_open(request.user, obj)

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
            readonly.append("publish_time")
        return readonly

    @admin.display(description="publish at")
    def publish_time(self, article):
        """The publish time without the field's help, which is about setting it (editors)."""
        return (
            formats.localize(timezone.localtime(article.publish_at)) if article.publish_at else "—"
        )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not workflow.is_editor(request.user):
            return [
                (
                    name,
                    {
                        **opts,
                        "fields": [
                            n if n != "publish_at" else "publish_time" for n in opts["fields"]
                        ],
                    },
                )
                for name, opts in fieldsets
            ]
        if not DeskPolicy.current().hold_doubtful_lead_photos:
            return fieldsets
        # Only editors decide to publish over the content credentials rule.
        return [
            (name, {**options, "fields": [*options["fields"], "override_credentials"]})
            if name == "Publishing"
            else (name, options)
            for name, options in fieldsets
        ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "photo":
            photo_admin = self.admin_site.get_model_admin(Photo)
            kwargs["widget"] = lead_photo_widget(db_field, self.admin_site, request, photo_admin)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        action = pressed_button(request) if request.method == "POST" else "save"
        attributes = {"user": request.user, "action": action}
        if request.method == "GET" and "restore" in request.GET:
            kept = autosave.autosave_of(obj, request.user)
            attributes["restored"] = kept.data if kept else None
        return type(form.__name__, (form,), attributes)

    @admin.display(description="agency versions")
    def wire_versions(self, article):
        """Where the copy came from, and newer versions kept beside the edited draft."""
        if not article.pk:
            return "—"
        items = article.wire_items.select_related("source", "imported_by")
        # The provider is what the file claims; who imported it is what we know.
        rows = format_html_join(
            "",
            "<li>{}{} v{} claimed from {}, imported by {}, {}: {}{}</li>",
            (
                (
                    format_html("<strong>{}</strong> ", "Flagged update:")
                    if item.flagged_update
                    else "",
                    item.get_format_display(),
                    item.version,
                    item.source or "unknown provider",
                    item.importer,
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
        shown = (
            inline.sources_shown(request, obj) if isinstance(inline, ArticleSourceInline) else None
        )
        if shown is not None:
            # Saving such a form replaces the article's rows (see save_formset).
            kwargs["queryset"] = ArticleSource.objects.none()
            kwargs["initial"] = [{"source": pk, "position": n} for n, pk in enumerate(shown, 1)]
        return kwargs

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        buttons = workflow.available_actions(request.user, obj)
        context["workflow_buttons"] = buttons
        context["main_action"] = workflow.main_action(request.user, buttons)
        context["is_editor"] = workflow.is_editor(request.user)
        context["return_step"] = obj.return_step() if obj else None
        context.update(self.writing_context(request, context["adminform"].form, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def writing_context(self, request, form, obj):
        """The autosave offer (what it changes, field by field) and the form's endpoints."""
        kept = None if request.method == "POST" else autosave.autosave_of(obj, request.user)
        changes = []
        if kept and form.restored is None:
            changes = autosave_changes(form, kept.data) + sources_change(
                self.sources_now(request, obj), autosaved_sources(kept.data)
            )
        args = [obj.pk] if obj else []
        return {
            "autosave": kept if changes or form.restored is not None else None,
            "autosave_changes": changes,
            "autosave_restored": form.restored is not None,
            # A restored autosave, or a refused save shown again: not in the article yet.
            "form_unsaved": form.restored is not None or request.method == "POST",
            "autosave_behind": bool(kept) and autosave_is_behind(form, kept.data),
            "autosave_url": reverse(
                "admin:articles_article_autosave" if obj else "admin:articles_new_autosave",
                args=args,
            ),
            "autosave_discard_url": reverse(
                "admin:articles_article_autosave_discard"
                if obj
                else "admin:articles_new_autosave_discard",
                args=args,
            ),
            "autosave_seconds": settings.NEWSROOM_AUTOSAVE_SECONDS,
        }

    def sources_now(self, request, obj):
        """The source ids the form shows as it opens, in order."""
        if obj is None:
            return []
        pending = pending_sources(request, obj)
        if pending is not None:
            return pending
        return list(obj.source_links.values_list("source_id", flat=True))

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
        # Rows this form never showed were saved by someone else after it was opened; saving
        # past the conflict warning replaces their version, so theirs give way to these.
        shown = [f.instance.pk for f in formset.initial_forms if f.instance.pk]
        ArticleSource.objects.filter(article=form.instance).exclude(pk__in=shown).delete()
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
            # Saved: what was typed is in the article now, so the autosave has done its job.
            autosave.autosave_discard(article=article if change else None, user=request.user)
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
        elif action in {"publish", "schedule"}:
            workflow.article_publish(
                article=article,
                user=user,
                at=form.cleaned_data.get("publish_at") if action == "schedule" else None,
                note=note,
                override_credentials=form.cleaned_data.get("override_credentials", False),
            )
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
        if pressed_button(request) == "submit" and not workflow.is_editor(request.user):
            # Back to the desk, where the story now waits under "In review".
            desk = reverse("admin:index", current_app=self.admin_site.name)
            return HttpResponseRedirect(f"{desk}?highlight={obj.pk}#desk-in-review-{obj.pk}")
        if workflow.can_edit(request.user, obj):
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[obj.pk]))
        return HttpResponseRedirect(reverse("admin:articles_article_changelist"))

    # Deleting moves to the trash; only editors may, and they may restore.

    def delete_view(self, request, object_id, extra_context=None):
        context = {"title": "Move to the trash?", **(extra_context or {})}
        return super().delete_view(request, object_id, context)

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

    @admin.action(description="Cover the selected articles live", permissions=["publish"])
    def open_live_coverage(self, request, queryset):
        self.run_bulk(request, queryset, live.open_coverage, "opened for live coverage")

    @admin.action(description="Close live coverage of the selected", permissions=["publish"])
    def close_live_coverage(self, request, queryset):
        self.run_bulk(request, queryset, live.close_coverage, "closed to live coverage")

    # Pages of the desk beyond the form: views of their own, behind the admin's login.

    def get_urls(self):
        def view(page):
            return self.admin_site.admin_view(page.as_view(model_admin=self))

        return [
            path("autosave/", view(writing.StoreAutosave), name="articles_new_autosave"),
            path(
                "autosave/discard/",
                view(writing.DiscardAutosave),
                name="articles_new_autosave_discard",
            ),
            path(
                "<int:article_id>/autosave/",
                view(writing.StoreAutosave),
                name="articles_article_autosave",
            ),
            path(
                "<int:article_id>/autosave/discard/",
                view(writing.DiscardAutosave),
                name="articles_article_autosave_discard",
            ),
            path(
                "<int:article_id>/presence/",
                view(writing.Heartbeat),
                name="articles_article_presence",
            ),
            path(
                "<int:article_id>/presence/leave/",
                view(writing.Leave),
                name="articles_article_presence_leave",
            ),
            path(
                "<int:article_id>/presence/take-over/",
                view(writing.TakeOver),
                name="articles_article_take_over",
            ),
            path(
                "tag-suggestions/",
                view(views.TagSuggestions),
                name="articles_article_tag_suggestions",
            ),
            path("review-queue/", view(views.ReviewQueue), name="articles_article_review_queue"),
            path("trash/", view(views.Trash), name="articles_article_trash"),
            path(
                "trash/<int:article_id>/restore/",
                view(views.RestoreFromTrash),
                name="articles_article_restore",
            ),
            path(
                "<int:article_id>/correction/",
                view(views.AddCorrection),
                name="articles_article_correction",
            ),
            path(
                "<int:article_id>/revisions/compare/",
                view(views.CompareRevisions),
                name="articles_article_compare",
            ),
            path(
                "<int:article_id>/revisions/<int:revision_id>/restore/",
                view(views.RestoreRevision),
                name="articles_article_restore_revision",
            ),
            path(
                "<int:article_id>/revisions/<int:revision_id>/preview/",
                view(views.PreviewRevision),
                name="articles_article_preview_revision",
            ),
            path(
                "<int:article_id>/revisions/<int:revision_id>/share/",
                view(views.ShareRevision),
                name="articles_article_share_revision",
            ),
            path(
                "<int:article_id>/preview-links/<int:link_id>/revoke/",
                view(views.RevokePreviewLink),
                name="articles_article_revoke_preview_link",
            ),
            *super().get_urls(),
        ]

    def history_view(self, request, object_id, extra_context=None):
        page = views.History.as_view(model_admin=self)
        return page(request, article_id=int(object_id), extra_context=extra_context)


@admin.register(DeskPolicy)
class DeskPolicyAdmin(admin.ModelAdmin):
    """The newsroom's switchable rules: one page, no list, nothing to add or delete."""

    fields = ["hold_doubtful_lead_photos", "changed_at", "changed_by"]
    readonly_fields = ["changed_at", "changed_by"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        page = reverse("admin:articles_deskpolicy_change", args=[DeskPolicy.SINGLE_ROW])
        return HttpResponseRedirect(page)

    def get_object(self, request, object_id, from_field=None):
        if str(object_id) != str(DeskPolicy.SINGLE_ROW):
            return None
        # The row exists from the first look on: every rule starts off.
        return DeskPolicy.objects.get_or_create(pk=DeskPolicy.SINGLE_ROW)[0]

    def save_model(self, request, obj, form, change):
        obj.changed_by = request.user
        obj.changed_at = timezone.now()
        super().save_model(request, obj, form, change)
