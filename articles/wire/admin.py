from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from .. import visibility
from ..fields import HTTPS_URLS
from ..models import Article
from .feeds import entry_to_draft
from .files import ingest_upload
from .forms import WireUploadForm
from .models import FeedEntry, SectionRule, WireItem
from .store import Outcome


@admin.register(SectionRule)
class SectionRuleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "match_on", "value", "section", "priority"]
    list_editable = ["priority"]
    list_filter = ["match_on", "section"]
    list_select_related = ["section"]
    search_fields = ["value"]


@admin.register(WireItem)
class WireItemAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = [
        "headline",
        "source",
        "format",
        "version",
        "flagged_update",
        "article",
        "photo",
        "received_at",
        "imported",
    ]
    list_filter = ["flagged_update", "format", "source", "imported_via"]
    list_select_related = ["source", "article", "photo", "imported_by"]
    search_fields = ["headline", "guid"]
    date_hierarchy = "received_at"
    change_list_template = "admin/articles/wireitem/change_list.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="imported by", ordering="imported_by")
    def imported(self, item):
        return item.importer

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
        # Who may not see the wire items list would find its own breadcrumb refused.
        if not request.user.has_perms(["articles.add_article", "articles.view_wireitem"]):
            raise PermissionDenied
        outcomes = []
        form = WireUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            for upload in form.cleaned_data["files"]:
                outcomes.extend(ingest_upload(upload, user=request.user))
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
    formfield_overrides = HTTPS_URLS
    list_display = ["title", "source", "published_at", "original", "draft"]
    list_filter = ["source", ("article", admin.EmptyFieldListFilter)]
    list_select_related = ["source", "article"]
    search_fields = ["title", "summary"]
    date_hierarchy = "published_at"
    fields = ["source", "guid", "link", "title", "summary", "published_at", "draft"]
    readonly_fields = fields
    actions = ["create_drafts"]

    def has_add_permission(self, request):
        return False

    def get_queryset(self, request):
        # Whether this person may open the entry's draft: its headline is shown only then.
        visible = Article.objects.visible_to(request.user).filter(pk=OuterRef("article"))
        return super().get_queryset(request).annotate(draft_visible=Exists(visible))

    @admin.display(description="link")
    def original(self, entry):
        return (
            format_html('<a href="{}" rel="noopener noreferrer">open</a>', entry.link)
            if (entry.link)
            else "—"
        )

    @admin.display(description="draft")
    def draft(self, entry):
        if entry.article_id and entry.draft_visible:
            url = reverse("admin:articles_article_change", args=[entry.article_id])
            return format_html('<a href="{}">{}</a>', url, entry.article)
        if entry.article_id:
            return "A colleague's draft"
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
        if not self.has_draft_permission(request):
            raise PermissionDenied
        entry = get_object_or_404(FeedEntry, pk=request.POST.get("entry"))
        article = entry_to_draft(entry, user=request.user)
        if not visibility.may_open(request.user, article):
            messages.warning(request, "This entry already has a draft, made by a colleague.")
            return redirect("admin:articles_feedentry_changelist")
        messages.success(request, f"Draft “{article}” created from the {entry.source} feed.")
        return redirect("admin:articles_article_change", article.pk)

    @admin.action(description="Create drafts from the selected entries", permissions=["draft"])
    def create_drafts(self, request, queryset):
        articles = [entry_to_draft(entry, user=request.user) for entry in queryset]
        messages.success(request, f"{len(articles)} draft(s) ready in the Wire inbox.")

    def has_draft_permission(self, request):
        """Turning an entry into a draft writes an article and changes the entry."""
        return request.user.has_perm("articles.add_article") and request.user.has_perm(
            "articles.change_feedentry"
        )
