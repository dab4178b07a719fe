"""The desk's own pages beside the article form: queue, trash, history, compare, share,
corrections, tag suggestions, and previews of revisions with the public template.

Each admin page is a view of its own; `ArticleAdmin.get_urls` mounts them behind the
admin's login, and each checks the person's permission itself.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views import View
from django.views.decorators.cache import never_cache

from .. import visibility
from ..models import Article, PreviewLink, Revision
from ..photos.access import allow_preview_photo
from . import workflow
from .revisions import compare_revisions, preview_article, what_changed

ARTICLE_TEMPLATE = "articles/article_detail.html"


def render_preview(request, revision):
    """A revision rendered with the public article template, for staff or a preview link."""
    article = preview_article(revision)
    response = TemplateResponse(
        request,
        ARTICLE_TEMPLATE,
        {
            "article": article,
            "more_in_section": article.more_in_section(),
            "preview_revision": revision,
        },
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
def preview_link(request, token):
    """What an editor shared with someone without an account: one revision, until it expires."""
    revision = workflow.revision_from_preview_token(token)
    if revision is None:
        raise Http404("This preview link is invalid or has expired.")
    photo_id = revision.data.get("photo")
    if photo_id:
        allow_preview_photo(request, photo_id)
    return render_preview(request, revision)


class DeskPage(View):
    """A page of the article desk inside the admin: its chrome, title and permissions."""

    model_admin = None
    template_name = None

    def render(self, title, **context):
        admin_site = self.model_admin.admin_site
        return TemplateResponse(
            self.request,
            f"admin/articles/article/{self.template_name}",
            {
                **admin_site.each_context(self.request),
                "opts": self.model_admin.opts,
                "title": title,
                **context,
            },
        )

    def history_article(self, article_id):
        """An article whose history the person may see (editors any, others their own)."""
        article = get_object_or_404(Article.objects.not_in_trash(), pk=article_id)
        if not visibility.may_see_history(self.request.user, article):
            raise PermissionDenied
        return article

    def message(self, text, level=messages.INFO):
        self.model_admin.message_user(self.request, text, level)


class TagSuggestions(DeskPage):
    """Select2-shaped suggestions for the tags field; new tags are typed, not looked up.

    Only tags of articles the person may open: a tag can give a draft's story away.
    """

    def get(self, request):
        if not (
            self.model_admin.has_add_permission(request)
            or self.model_admin.has_change_permission(request)
        ):
            return JsonResponse({"error": "forbidden"}, status=403)
        term = request.GET.get("term", "").strip()
        names = (
            Article.objects.visible_to(request.user)
            .carried_tags()
            .filter(name__icontains=term)
            .order_by("name")
            .values_list("name", flat=True)[:20]
        )
        return JsonResponse(
            {"results": [{"id": n, "text": n} for n in names], "pagination": {"more": False}}
        )


class ReviewQueue(DeskPage):
    template_name = "review_queue.html"

    def get(self, request):
        if not self.model_admin.has_view_permission(request):
            raise PermissionDenied
        queue = (
            Article.objects.in_review_queue()
            .visible_to(request.user)
            .select_related("section", "created_by")
        )
        return self.render("Review queue", articles=queue)


class Trash(DeskPage):
    template_name = "trash.html"

    def get(self, request):
        if not self.model_admin.has_delete_permission(request):
            raise PermissionDenied
        trashed = Article.objects.in_trash().select_related("section", "deleted_by")
        return self.render(
            "Trash",
            articles=trashed.order_by("-deleted_at"),
            can_restore_live=workflow.is_editor(request.user),
        )


class RestoreFromTrash(DeskPage):
    def get(self, request, article_id):
        raise PermissionDenied

    def post(self, request, article_id):
        article = get_object_or_404(Article.objects.in_trash(), pk=article_id)
        choice = request.POST.get("restore_as", "as_it_was")
        if choice not in {"as_it_was", "draft"}:
            raise PermissionDenied("Choose how to restore the article.")
        try:
            workflow.article_restore(
                article=article, user=request.user, as_draft=choice == "draft"
            )
        except ValidationError as error:
            raise PermissionDenied(" ".join(error.messages)) from error
        self.message(
            f"“{article}” was restored, now {article.workflow_state.label.lower()}.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))


class History(DeskPage):
    template_name = "history.html"

    def get(self, request, article_id, extra_context=None):
        article = self.history_article(article_id)
        revisions = list(article.revisions.select_related("created_by"))
        # Each revision beside the one before it; the oldest has none (and there may be none).
        for newer, older in zip(revisions, [*revisions[1:], None], strict=False):
            newer.changes = what_changed(older, newer)
        return self.render(
            f"History: {article}",
            object=article,
            revisions=revisions,
            transitions=article.transitions.select_related("user"),
            can_edit=workflow.can_edit(request.user, article),
            is_editor=workflow.is_editor(request.user),
            preview_links=PreviewLink.objects.filter(revision__article=article).select_related(
                "created_by", "revoked_by"
            )
            if workflow.is_editor(request.user)
            else [],
            **(extra_context or {}),
        )


class CompareRevisions(DeskPage):
    template_name = "compare.html"

    def get(self, request, article_id):
        article = self.history_article(article_id)
        revisions = article.revisions.select_related("created_by")
        try:
            old = revisions.get(pk=int(request.GET["a"]))
            new = revisions.get(pk=int(request.GET["b"]))
        except (KeyError, ValueError, Revision.DoesNotExist) as error:
            raise Http404("Choose two revisions of this article to compare.") from error
        if old.created_at > new.created_at:
            old, new = new, old
        return self.render(
            f"Changes to “{article}”",
            object=article,
            old=old,
            new=new,
            changes=compare_revisions(old, new),
        )


class RestoreRevision(DeskPage):
    def get(self, request, article_id, revision_id):
        raise PermissionDenied

    def post(self, request, article_id, revision_id):
        article = self.history_article(article_id)
        revision = get_object_or_404(article.revisions, pk=revision_id)
        workflow.revision_restore(revision=revision, user=request.user)
        self.message(
            f"Revision {revision.pk} was restored as a new revision"
            + (" (pending until an editor publishes it)." if article.is_live else "."),
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:articles_article_history", args=[article.pk]))


class PreviewRevision(DeskPage):
    def get(self, request, article_id, revision_id):
        article = self.history_article(article_id)
        revision = get_object_or_404(article.revisions, pk=revision_id)
        return render_preview(request, revision)


class ShareRevision(DeskPage):
    template_name = "share.html"

    def get(self, request, article_id, revision_id):
        raise PermissionDenied

    def post(self, request, article_id, revision_id):
        article = self.history_article(article_id)
        revision = get_object_or_404(article.revisions, pk=revision_id)
        try:
            _, token = workflow.preview_link_share(revision=revision, user=request.user)
        except ValidationError as error:
            raise PermissionDenied(" ".join(error.messages)) from error
        link = request.build_absolute_uri(reverse("articles:preview", args=[token]))
        return self.render(
            "Preview link",
            object=article,
            revision=revision,
            link=link,
            hours=settings.NEWSROOM_PREVIEW_LINK_HOURS,
        )


class RevokePreviewLink(DeskPage):
    def get(self, request, article_id, link_id):
        raise PermissionDenied

    def post(self, request, article_id, link_id):
        article = self.history_article(article_id)
        link = get_object_or_404(PreviewLink, pk=link_id, revision__article=article)
        workflow.preview_link_revoke(link=link, user=request.user)
        self.message(
            f"The preview link to revision {link.revision_id} is revoked.", messages.SUCCESS
        )
        return HttpResponseRedirect(reverse("admin:articles_article_history", args=[article.pk]))


class AddCorrection(DeskPage):
    template_name = "correction.html"

    def dispatch(self, request, article_id):
        self.article = self.history_article(article_id)
        if not workflow.is_editor(request.user):
            raise PermissionDenied
        return super().dispatch(request, article_id)

    def get(self, request, article_id, error=None):
        return self.render(
            f"Correction to “{self.article}”",
            object=self.article,
            error=error,
            text=request.POST.get("text", ""),
            corrections=self.article.corrections.all(),
        )

    def post(self, request, article_id):
        try:
            workflow.article_add_correction(
                article=self.article, user=request.user, text=request.POST.get("text", "")
            )
        except ValidationError as refused:
            return self.get(request, article_id, error=" ".join(refused.messages))
        self.message("The correction is published.", messages.SUCCESS)
        return HttpResponseRedirect(
            reverse("admin:articles_article_change", args=[self.article.pk])
        )
