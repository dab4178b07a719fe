"""The article form's background requests: autosave, and who else has the article open.

Mounted by `ArticleAdmin.get_urls` behind the admin's login and CSRF check. Each refuses
anyone who may not open the article (`visibility.may_open`), and keeps an autosave only for
someone who may change it (`workflow.can_edit`).
"""

import re
from datetime import UTC, datetime

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views import View

from .. import visibility
from ..models import Article
from . import autosave, presence, workflow
from .forms import SOURCES, posted_sources

# The most a form's text may weigh: a long read is a few hundred kilobytes.
MAX_AUTOSAVE_CHARACTERS = 2_000_000
# A decision, not writing: never brought back by a restore.
NOT_AUTOSAVED = {"override_credentials"}


def refused(message, status=403):
    return JsonResponse({"error": message}, status=status)


def clock(moment):
    """A time of day in the newsroom's time zone, as the desk shows it."""
    return f"{timezone.localtime(moment):%H:%M}"


def stamp(seconds):
    return datetime.fromtimestamp(seconds, tz=UTC)


class ArticleEndpoint(View):
    """A POST-only endpoint about one article (or, without an id, the person's new one)."""

    model_admin = None
    http_method_names = ["post"]

    def dispatch(self, request, article_id=None):
        self.article = None
        if article_id is not None:
            self.article = get_object_or_404(Article.objects.not_in_trash(), pk=article_id)
            if not visibility.may_open(request.user, self.article):
                return refused("You may not open this article.")
        elif not self.model_admin.has_add_permission(request):
            return refused("You may not write articles.")
        return super().dispatch(request)

    def may_write(self):
        if self.article is None:
            return True
        return workflow.can_edit(self.request.user, self.article)


class StoreAutosave(ArticleEndpoint):
    def post(self, request):
        if not self.may_write():
            return refused("You cannot change this article in its current state.")
        form = self.model_admin.get_form(request, self.article)
        names = [name for name in form.base_fields if name not in NOT_AUTOSAVED]
        kept = re.compile(rf"^(?:{'|'.join(map(re.escape, names))})(?:_\d+)?$")
        posted = dict(request.POST.lists())
        data = {key: values for key, values in posted.items() if kept.match(key)}
        if f"{SOURCES}-TOTAL_FORMS" in posted:  # the sources inline came with the form
            data[SOURCES] = [str(pk) for pk in posted_sources(posted)]
        if sum(len(value) for values in data.values() for value in values) > (
            MAX_AUTOSAVE_CHARACTERS
        ):
            return refused("This text is too long to autosave; save the draft instead.", 413)
        try:
            stored = autosave.autosave_store(article=self.article, user=request.user, data=data)
        except autosave.TooManyAutosaves:
            return refused("Too many autosaves; the next one will be kept.", 429)
        return JsonResponse({"saved_at": clock(stored.saved_at)})


class DiscardAutosave(ArticleEndpoint):
    """The offer's "Dismiss" button: a plain form, so it works without scripts."""

    def post(self, request):
        autosave.autosave_discard(article=self.article, user=request.user)
        self.model_admin.message_user(
            request, "Your unsaved changes were dismissed.", messages.SUCCESS
        )
        if self.article is None:
            return HttpResponseRedirect(reverse("admin:articles_article_add"))
        return HttpResponseRedirect(
            reverse("admin:articles_article_change", args=[self.article.pk])
        )


class Heartbeat(ArticleEndpoint):
    def post(self, request):
        editing = self.may_write()
        others, taken_over = presence.presence_beat(
            article=self.article, user=request.user, editing=editing
        )
        return JsonResponse(
            {
                "others": [
                    {"name": entry["name"], "since": clock(stamp(entry["since"]))}
                    for entry in others
                ],
                "taken_over": {"name": taken_over["name"], "at": clock(stamp(taken_over["at"]))}
                if taken_over
                else None,
                "can_take_over": editing and workflow.is_editor(request.user),
                "interval": settings.NEWSROOM_PRESENCE_HEARTBEAT_SECONDS,
            }
        )


class Leave(ArticleEndpoint):
    def post(self, request):
        presence.presence_leave(article=self.article, user=request.user)
        return JsonResponse({})


class TakeOver(ArticleEndpoint):
    def post(self, request):
        if not (self.may_write() and workflow.is_editor(request.user)):
            return refused("Only an editor who may change this article can take it over.")
        presence.presence_take_over(article=self.article, user=request.user)
        return JsonResponse({})
