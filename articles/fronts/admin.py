"""The fronts desk in the admin: fronts (editors), suggestions (journalists), the banner."""

from django.contrib import admin, messages
from django.db.models import Count, Q
from django.http import Http404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from ..models import BreakingNews, Front, FrontSuggestion, Section
from . import services, views
from .forms import FrontSuggestionForm


@admin.register(Front)
class FrontAdmin(admin.ModelAdmin):
    list_display = ["__str__", "published", "published_by", "open_suggestions", "arrange"]
    list_select_related = ["section", "published_revision__published_by"]
    fields = ["section"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "section":
            # A desk inbox has no page, so no front.
            kwargs["queryset"] = Section.objects.for_readers()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        open_suggestions = Count("suggestions", filter=Q(suggestions__handled_at__isnull=True))
        return super().get_queryset(request).annotate(open_suggestion_count=open_suggestions)

    @admin.display(description="published")
    def published(self, front):
        revision = front.published_revision
        return revision.published_at if revision else "never"

    @admin.display(description="by")
    def published_by(self, front):
        revision = front.published_revision
        return (revision.published_by if revision else None) or "—"

    @admin.display(description="suggestions waiting")
    def open_suggestions(self, front):
        return front.open_suggestion_count

    @admin.display(description="")
    def arrange(self, front):
        url = reverse("admin:articles_front_change", args=[front.pk])
        return format_html('<a href="{}">Arrange</a>', url)

    # Only editors arrange: the admin's own views and the desk's pages share this check.

    def has_module_permission(self, request):
        return services.can_arrange(request.user)

    def has_view_permission(self, request, obj=None):
        return services.can_arrange(request.user)

    def has_change_permission(self, request, obj=None):
        return services.can_arrange(request.user)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        def view(page):
            return self.admin_site.admin_view(page.as_view(model_admin=self))

        return [
            path("<int:front_id>/preview/", view(views.Preview), name="articles_front_preview"),
            path(
                "<int:front_id>/revisions/<int:revision_id>/restore/",
                view(views.Restore),
                name="articles_front_restore",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not object_id.isdigit():
            raise Http404("No such front.")
        return self.admin_site.admin_view(views.Arrange.as_view(model_admin=self))(
            request, front_id=int(object_id)
        )

    def history_view(self, request, object_id, extra_context=None):
        if not object_id.isdigit():
            raise Http404("No such front.")
        return views.History.as_view(model_admin=self)(request, front_id=int(object_id))


@admin.register(FrontSuggestion)
class FrontSuggestionAdmin(admin.ModelAdmin):
    """Journalists suggest published stories; editors see them on the front's page."""

    form = FrontSuggestionForm
    list_display = ["article", "front", "suggested_by", "suggested_at", "handled_at"]
    list_select_related = ["article", "front__section", "suggested_by"]
    autocomplete_fields = ["article"]

    def get_queryset(self, request):
        suggestions = super().get_queryset(request)
        if services.can_arrange(request.user):
            return suggestions
        return suggestions.filter(suggested_by=request.user)

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # The service checks the permission and records who suggested it.
        created = services.suggest_for_front(
            front=obj.front, article=obj.article, user=request.user, note=obj.note
        )
        obj.pk = created.pk


@admin.register(BreakingNews)
class BreakingNewsAdmin(admin.ModelAdmin):
    list_display = ["text", "starts_at", "expires_at", "showing", "created_by", "taken_down_by"]
    list_select_related = ["created_by", "taken_down_by"]
    fields = ["text", "article", "link", "starts_at", "expires_at"]
    autocomplete_fields = ["article"]
    actions = ["take_down"]

    @admin.display(description="on the site now", boolean=True)
    def showing(self, banner):
        now = timezone.now()
        return banner.taken_down_at is None and banner.starts_at <= now < banner.expires_at

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description="Take down the selected banners", permissions=["change"])
    def take_down(self, request, queryset):
        for banner in queryset:
            services.take_down_banner(banner=banner, user=request.user)
        self.message_user(request, "Taken down: readers no longer see them.", messages.SUCCESS)
