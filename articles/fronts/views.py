"""The fronts desk inside the admin: arrange, preview, history and restore.

`FrontAdmin` mounts these behind the admin's login; each refuses anyone who may not arrange
fronts (editors may), whatever link they followed.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.views import View

from ..models import Article, Front, FrontRevision
from ..public.search import search_articles
from ..public.views import FrontPageView, SectionDetailView
from . import services
from .forms import SlotForm

SEARCH_RESULTS = 10


class FrontPage(View):
    """A page of the fronts desk: the admin's chrome, and editors only."""

    model_admin = None
    template_name = None

    def dispatch(self, request, *args, **kwargs):
        if not services.can_arrange(request.user):
            raise PermissionDenied
        self.front = get_object_or_404(
            Front.objects.select_related("section"), pk=kwargs["front_id"]
        )
        return super().dispatch(request, *args, **kwargs)

    def render(self, title, **context):
        return TemplateResponse(
            self.request,
            f"admin/articles/front/{self.template_name}",
            {
                **self.model_admin.admin_site.each_context(self.request),
                "opts": self.model_admin.opts,
                "title": title,
                "object": self.front,
                **context,
            },
        )

    def url(self, name, *args):
        return reverse(f"admin:articles_front_{name}", args=[self.front.pk, *args])


class Arrange(FrontPage):
    """The draft arrangement: reorder, change, remove and add slots; preview; publish."""

    template_name = "arrange.html"

    def arrangement(self):
        draft = self.front.draft()
        return draft or self.front.published_revision

    def slots(self, revision):
        if revision is None:
            return []
        return list(revision.slots.select_related("article__section", "photo"))

    def get(self, request, *args, **kwargs):
        revision = self.arrangement()
        slots = self.slots(revision)
        rows = [
            (slot, SlotForm(instance=slot, prefix=f"slot-{slot.article_id}")) for slot in slots
        ]
        return self.page(revision, rows)

    def page(self, revision, rows):
        query = self.request.GET.get("q", "").strip()
        on_front = {slot.article_id for slot, _ in rows}
        # A search of published stories; the newest of them before anything is typed.
        found = search_articles(query) if query else Article.objects.published().for_listing()
        candidates = [a for a in found[: SEARCH_RESULTS + len(on_front)] if a.pk not in on_front]
        return self.render(
            f"Arrange the {self.front}",
            revision=revision,
            is_draft=revision is not None and revision.published_at is None,
            rows=rows,
            query=query,
            candidates=candidates[:SEARCH_RESULTS],
            suggestions=list(
                self.front.suggestions.filter(handled_at__isnull=True)
                .exclude(article__in=on_front)
                .select_related("article", "suggested_by")
            ),
            preview_url=self.url("preview"),
            history_url=self.url("history"),
        )

    def post(self, request, *args, **kwargs):
        draft = services.draft_of(front=self.front, user=request.user)
        slots = {slot.article_id: slot for slot in self.slots(draft)}
        order = [int(pk) for pk in request.POST.getlist("order") if pk.isdigit()]
        removed = {int(pk) for pk in request.POST.getlist("remove") if pk.isdigit()}
        rows = [
            (slots[pk], SlotForm(request.POST, instance=slots[pk], prefix=f"slot-{pk}"))
            for pk in order
            if pk in slots and pk not in removed
        ]
        # Slots the form did not list (added meanwhile in another tab) keep their place.
        rows += [
            (slot, SlotForm(instance=slot, prefix=f"slot-{pk}"))
            for pk, slot in slots.items()
            if pk not in order and pk not in removed
        ]
        if not all(form.is_valid() for _, form in rows if form.is_bound):
            messages.error(request, "Please correct the errors below; nothing was saved.")
            return self.page(draft, rows)
        rows = self.moved(rows, request.POST.get("move", ""))
        services.arrange(
            front=self.front,
            user=request.user,
            rows=[(slot, form.changes() if form.is_bound else {}) for slot, form in rows],
        )
        return self.after_saving(request)

    @staticmethod
    def moved(rows, move):
        """The rows with one moved a place up or down, for the buttons that work without JS."""
        article_id, _, direction = move.partition(":")
        index = next(
            (i for i, (slot, _) in enumerate(rows) if str(slot.article_id) == article_id), None
        )
        if index is None:
            return rows
        target = index - 1 if direction == "up" else index + 1
        if 0 <= target < len(rows):
            rows[index], rows[target] = rows[target], rows[index]
        return rows

    def after_saving(self, request):
        try:
            if request.POST.get("add"):
                article = get_object_or_404(Article, pk=request.POST["add"])
                services.add_to_front(front=self.front, article=article, user=request.user)
                messages.success(request, f"“{article}” is in the last slot of the draft.")
            if request.POST.get("dismiss"):
                suggestion = get_object_or_404(self.front.suggestions, pk=request.POST["dismiss"])
                services.dismiss_suggestion(suggestion=suggestion, user=request.user)
            if "_publish" in request.POST:
                services.publish_front(front=self.front, user=request.user)
                messages.success(request, f"The {self.front} is published: readers see it now.")
                return HttpResponseRedirect(self.url("change"))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        if "_preview" in request.POST:
            return HttpResponseRedirect(self.url("preview"))
        query = request.POST.get("q", "").strip()
        return HttpResponseRedirect(
            self.url("change") + (f"?{urlencode({'q': query})}" if query else "")
        )


class Preview(FrontPage):
    """The draft arrangement with the public template, as readers would see it now."""

    def get(self, request, *args, **kwargs):
        revision = self.front.draft() or self.front.published_revision
        if self.front.section_id:
            view = SectionDetailView.as_view(preview_revision=revision)
            response = view(request, slug=self.front.section.slug)
        else:
            response = FrontPageView.as_view(preview_revision=revision)(request)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response


class History(FrontPage):
    """Every published arrangement: who published it, when, and what it held."""

    template_name = "history.html"

    def get(self, request, *args, **kwargs):
        revisions = list(
            self.front.revisions.filter(published_at__isnull=False)
            .select_related("published_by", "restored_from")
            .prefetch_related("slots__article")
        )
        for revision, older in zip(revisions, [*revisions[1:], None], strict=True):
            revision.changes = arrangement_changes(older, revision)
        return self.render(f"History of the {self.front}", revisions=revisions)


def arrangement_changes(older, newer):
    """What changed between two arrangements, in words an editor reads at a glance."""
    before = {slot.article_id: slot for slot in older.slots.all()} if older else {}
    after = {slot.article_id: slot for slot in newer.slots.all()}
    changes = [f"added “{after[pk].article}”" for pk in after if pk not in before]
    changes += [f"removed “{before[pk].article}”" for pk in before if pk not in after]
    moved = [
        f"“{slot.article}” to slot {slot.position}"
        for pk, slot in after.items()
        if pk in before and before[pk].position != slot.position
    ]
    if moved:
        changes.append("moved " + ", ".join(moved))
    return changes


class Restore(FrontPage):
    def post(self, request, *args, **kwargs):
        revision = get_object_or_404(
            FrontRevision, front=self.front, published_at__isnull=False, pk=kwargs["revision_id"]
        )
        services.restore_front_revision(revision=revision, user=request.user)
        messages.success(
            request,
            "The arrangement is restored as the draft: preview it, then publish it.",
        )
        return HttpResponseRedirect(self.url("change"))
