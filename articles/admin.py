"""The newsroom's admin: sections and sources here, each desk's classes in its own package."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.http import Http404
from django.shortcuts import get_object_or_404
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from .desk import admin as desk_admin  # noqa: F401 (registers the article desk)
from .desk.workflow import is_editor
from .fields import HTTPS_URLS
from .fronts import admin as fronts_admin  # noqa: F401 (registers fronts and the banner)
from .live import admin as live_admin  # noqa: F401 (registers live entries)
from .models import AuthorProfile, Section, Source
from .photos import admin as photos_admin  # noqa: F401 (registers the photo desk)
from .queue import RetryScheduled
from .wire import admin as wire_admin  # noqa: F401 (registers the wire desk)


def view_on_site(request, content_type_id, object_id):
    """The admin's "view on site" shortcut, for what the person may open in the admin only.

    Django's own shortcut redirects to any object's address, and an article's address
    carries its headline as the slug.
    """
    content_type = get_object_or_404(ContentType, pk=content_type_id)
    model_class = content_type.model_class()
    if model_class is None or not admin.site.is_registered(model_class):
        raise Http404
    model_admin = admin.site.get_model_admin(model_class)
    obj = model_admin.get_object(request, unquote(object_id))
    if obj is None or not model_admin.has_view_or_change_permission(request, obj):
        raise Http404
    return shortcut(request, content_type_id, object_id)


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
    formfield_overrides = HTTPS_URLS


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


class TaskOutcomeFilter(admin.SimpleListFilter):
    title = "outcome"
    parameter_name = "outcome"
    retried = f"{RetryScheduled.__module__}.{RetryScheduled.__qualname__}"

    def lookups(self, request, model_admin):
        return [("given-up", "Given up"), ("retried", "Failed, tried again")]

    def queryset(self, request, queryset):
        if self.value() == "given-up":
            return queryset.exclude(exception_class_path=self.retried)
        if self.value() == "retried":
            return queryset.filter(exception_class_path=self.retried)
        return queryset


# django-tasks-db's own admin lists every task to superusers only; the desk's editors need
# to see what failed (a photo without renditions, a feed not polled) and why.
admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class FailedTaskAdmin(DBTaskResultAdmin):
    """Failed queued tasks with their error, for editors and superusers; read-only."""

    list_display = ["task", "attempt", "error", "enqueued_at", "finished_at"]
    list_display_links = ["task"]
    list_filter = [TaskOutcomeFilter, "queue_name"]
    ordering = ["-finished_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).failed()

    def may_see(self, request):
        user = request.user
        return user.is_active and user.is_staff and (user.is_superuser or is_editor(user))

    def has_module_permission(self, request):
        return self.may_see(request)

    def has_view_permission(self, request, obj=None):
        return self.may_see(request)

    @admin.display(description="task")
    def task(self, task_result):
        # From the stored path: the task's function may be gone since, or its backend changed.
        return task_result.task_path.rpartition(".")[2]

    @admin.display(description="attempt")
    def attempt(self, task_result):
        return task_result.args_kwargs.get("kwargs", {}).get("attempt", 1)

    @admin.display(description="error")
    def error(self, task_result):
        # The traceback's last line: the exception and its message (escaped by the admin).
        lines = task_result.traceback.strip().splitlines()
        return lines[-1] if lines else task_result.exception_class_path
