"""Live entries in the admin: journalists post to open live blogs, editors correct and hide."""

from django.contrib import admin, messages
from django.utils.html import format_html_join

from ..editor_media import BodyEditorMediaMixin
from ..models import LiveEntry
from . import services


@admin.register(LiveEntry)
class LiveEntryAdmin(BodyEditorMediaMixin, admin.ModelAdmin):
    list_display = ["summary", "article", "posted_at", "posted_by", "is_key_event", "showing"]
    list_filter = ["is_key_event", "article__coverage_ended_at"]
    list_select_related = ["article", "posted_by"]
    search_fields = ["body", "article__headline"]
    autocomplete_fields = ["photo"]
    actions = ["hide_selected", "show_selected"]

    def get_fields(self, request, obj=None):
        fields = ["article", "body", "photo", "is_key_event"]
        return fields if obj is None else [*fields, "posted_at", "posted_by", "history"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["article", "posted_at", "posted_by", "history"]

    def get_changeform_initial_data(self, request):
        return {"article": request.GET.get("article")}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "article":
            kwargs["queryset"] = services.live_blogs_open_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="on the page", boolean=True)
    def showing(self, entry):
        return entry.hidden_at is None

    @admin.display(description="changes")
    def history(self, entry):
        return format_html_join(
            "\n",
            "<p>{} by {}: {}</p>",
            (
                (change, change.user or "—", change.previous_body or "")
                for change in entry.changes.select_related("user")
            ),
        )

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        fields = {"body": data["body"], "photo": data["photo"]}
        if change:
            services.correct_entry(
                entry=obj, user=request.user, is_key_event=data["is_key_event"], **fields
            )
        else:
            posted = services.post_entry(
                article=data["article"],
                user=request.user,
                is_key_event=data["is_key_event"],
                **fields,
            )
            obj.pk = posted.pk

    @admin.action(description="Hide the selected entries from readers", permissions=["change"])
    def hide_selected(self, request, queryset):
        for entry in queryset:
            services.hide_entry(entry=entry, user=request.user)
        self.message_user(request, "Hidden: readers no longer see them.", messages.SUCCESS)

    @admin.action(description="Show the selected entries again", permissions=["change"])
    def show_selected(self, request, queryset):
        for entry in queryset:
            services.show_entry(entry=entry, user=request.user)
        self.message_user(request, "Shown again.", messages.SUCCESS)
