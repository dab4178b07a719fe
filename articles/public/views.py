import copy
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import FileResponse, Http404, HttpResponseNotFound
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView, TemplateView

from ..live.views import coverage_context
from ..models import Article, AuthorProfile, FrontSlot, Photo, Rendition, tag_by_old_slug
from ..photos import renditions
from ..photos.access import PREVIEW_PHOTOS_SESSION_KEY
from . import cache, keyset, seo
from .middleware import personal
from .search import add_snippets, capped, search_articles


class ReaderPageResponse(TemplateResponse):
    """A reader page: its kept cards are looked up together once it is drawn."""

    @property
    def rendered_content(self):
        if not settings.NEWSROOM_SITE_CACHE:
            return super().rendered_content
        request = self._request
        request.kept_later = cache.KeptLater(getattr(request, "page_started", None))
        try:
            html = super().rendered_content
            return request.kept_later.fill(html)
        finally:
            del request.kept_later


class PublishedArticlesMixin:
    """Every public view starts from what readers may see, and nothing else."""

    response_class = ReaderPageResponse

    def get_queryset(self):
        return Article.objects.published()


class FrontSlotsMixin:
    """The page's front: its published arrangement, or the draft the desk previews."""

    # Set by the desk's preview to show a draft arrangement instead of the published one.
    preview_revision = None

    def front_slots(self, section=None):
        """The slots readers see now, lead first; a hidden article's slot is not there."""
        slots = FrontSlot.objects.showing().for_page()
        if self.preview_revision is not None:
            return list(slots.filter(revision=self.preview_revision))
        return cache.front_slots(
            section,
            lambda: list(slots.live_on(section)),
            getattr(self.request, "page_started", None),
        )

    def front_context(self, slots):
        context = {"lead_slot": slots[0] if slots else None, "top_slots": slots[1:]}
        if self.preview_revision is not None:
            context["preview_front"] = self.preview_revision
        return context


def record_slots(request, slots):
    """A slot shows its article, maybe under another photo."""
    cache.record(request, cache.keys_for_slots(slots))


def fetch_renditions(photos):
    """Every listed photo's renditions in one query, however many lists the page has, read
    when the page first shows one of them: not at all when every card on it was kept."""
    renditions.RenditionBatch(photos)


class FrontPageView(FrontSlotsMixin, PublishedArticlesMixin, TemplateView):
    """The front: the editors' slots, then the newest stories and sections, none twice."""

    template_name = "articles/front_page.html"
    latest_count = 10
    per_section_count = 4

    def get_context_data(self, **kwargs):
        slots = self.front_slots()
        in_slots = {slot.article_id for slot in slots}
        rest = self.get_queryset().exclude(pk__in=in_slots)
        latest = list(rest.for_cards()[: self.latest_count])
        blocks = self.section_blocks(cache.site_chrome(self.request).sections, in_slots)
        newest = [article for section in blocks for article in section.newest_articles]
        fetch_renditions([slot.shown_photo for slot in slots] + [a.photo for a in latest + newest])
        record_slots(self.request, slots)
        cache.record(self.request, {cache.SITE, cache.FRONT})
        cache.record(self.request, cache.keys_for_listed(latest + newest))
        return super().get_context_data(
            latest_articles=latest,
            section_blocks=blocks,
            **self.front_context(slots),
            **kwargs,
        )

    def section_blocks(self, sections, in_slots):
        """The sections with articles, in navigation order, each with its newest not in the
        slots as `newest_articles`: from the sections' kept newest (cache.sections_newest),
        or read for a section whose kept newest are nearly all in the slots."""
        started = getattr(self.request, "page_started", None)
        kept = cache.sections_newest([section.pk for section in sections], started)
        wanted = self.per_section_count
        blocks = []
        for section in sections:
            newest = [article for article in kept[section.pk] if article.pk not in in_slots]
            if len(newest) < wanted and len(kept[section.pk]) == cache.SECTION_NEWEST:
                newest = list(
                    self.get_queryset()
                    .filter(section=section)
                    .exclude(pk__in=in_slots)
                    .for_cards()[:wanted]
                )
            if newest:
                block = copy.copy(section)  # the site's chrome is shared by the request
                block.newest_articles = newest[:wanted]
                blocks.append(block)
        return blocks


class ArticleListView(PublishedArticlesMixin, ListView):
    """Cards of published articles, 20 a page, newest first, paged by keyset (see
    articles.public.keyset): sections, tags and authors."""

    context_object_name = "articles"
    page_size = settings.NEWSROOM_SECTION_PAGE_SIZE
    # Old `?page=N` links deeper than this go to the first page instead of an OFFSET walk.
    old_page_limit = 100

    def get(self, request, *args, **kwargs):
        if "page" in request.GET:
            return self.old_page_redirect(request.GET["page"])
        self.object_list = self.get_queryset()
        self.page = keyset.paginate(self.object_list, request.GET, self.page_size)
        if self.page is None:
            return redirect(request.path)
        if not self.page.object_list and not self.allow_empty and self.page.is_first:
            raise Http404("Nothing published here.")
        return self.render_to_response(self.get_context_data())

    def old_page_redirect(self, value):
        """`?page=N` from before keyset pages: 301 to the page showing the same cards."""
        try:
            number = int(value)
        except ValueError:
            raise Http404("No such page.") from None
        if number < 1:
            raise Http404("No such page.")
        if number == 1 or number > self.old_page_limit:
            return redirect(self.request.path, permanent=True)
        offset = (number - 1) * self.page_size - 1
        last_before = list(self.get_queryset()[offset : offset + 1])
        if not last_before:
            raise Http404("No such page.")
        return redirect(
            f"{self.request.path}?{keyset.link('before', last_before[0])}", permanent=True
        )

    def photos_shown(self):
        return [article.photo for article in self.page.object_list]

    def get_context_data(self, **kwargs):
        fetch_renditions(self.photos_shown())
        return super().get_context_data(
            object_list=self.page.object_list,
            page_obj=self.page,
            is_paginated=self.page.has_other_pages,
            **kwargs,
        )


class SectionDetailView(FrontSlotsMixin, ArticleListView):
    """A section's front: its slots on the first page, then its articles, none twice."""

    template_name = "articles/section_detail.html"

    def get_queryset(self):
        self.section = cache.reader_section(self.request, self.kwargs["slug"])
        self.slots = self.front_slots(self.section)
        on_front = [slot.article_id for slot in self.slots]
        return (
            super()
            .get_queryset()
            .filter(section=self.section)
            .exclude(pk__in=on_front)
            .for_cards()
        )

    def slots_shown(self):
        return self.slots if self.page.is_first else []

    def photos_shown(self):
        return [slot.shown_photo for slot in self.slots_shown()] + super().photos_shown()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        slots = self.slots_shown()
        articles = self.page.object_list
        record_slots(self.request, slots)
        cache.record(self.request, {cache.SITE, cache.section_key(self.section.pk)})
        cache.record(self.request, cache.keys_for_listed(articles))
        return {
            **context,
            **self.front_context(slots),
            "section": self.section,
            "section_fallback_description": (
                f"The latest {self.section.name} news from {settings.NEWSROOM_NAME}."
            ),
            "breadcrumbs": seo.breadcrumbs(
                self.request, (self.section.name, self.section.get_absolute_url())
            ),
        }


class TagDetailView(ArticleListView):
    """Published articles with a tag; a tag only hidden articles carry answers 404."""

    template_name = "articles/tag_detail.html"
    allow_empty = False

    def get_queryset(self):
        self.tag = get_object_or_404(
            Article.objects.published().carried_tags(), slug=self.kwargs["slug"]
        )
        return super().get_queryset().tagged(self.tag).for_cards()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(tag=self.tag, **kwargs)
        cache.record(self.request, {cache.SITE, cache.tag_key(self.tag.pk)})
        cache.record(self.request, cache.keys_for_listed(context["articles"]))
        return context


def old_tag_address(request, slug, url_name):
    """Tag addresses with Polish letters, from before tag slugs were ASCII, moved for good."""
    tag = tag_by_old_slug(slug)
    if tag is None:
        raise Http404("No tag has this address.")
    return redirect(reverse(url_name, kwargs={"slug": tag.slug}), permanent=True)


class AuthorDetailView(ArticleListView):
    """A journalist's published articles; someone with none published answers 404.

    The address is the author's public slug. Pages used to be at the login name: such an
    address answers 301 to the slug, for people with something published.
    """

    template_name = "articles/author_detail.html"
    allow_empty = False

    def get(self, request, *args, **kwargs):
        key = kwargs["slug"]
        if "\x00" in key:
            raise Http404
        self.profile = (
            AuthorProfile.objects.select_related("user")
            .filter(slug=key, user__is_active=True)
            .first()
        )
        if self.profile is None:
            old = AuthorProfile.objects.filter(
                user__username=key,
                user__is_active=True,
                user__in=Article.objects.published().values("authors"),
            ).first()
            if old is None:
                raise Http404("No such author.")
            return redirect(old, permanent=True)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return super().get_queryset().filter(authors=self.profile.user_id).for_cards()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            author=self.profile.user, profile=self.profile, **kwargs
        )
        cache.record(self.request, {cache.SITE, cache.author_key(self.profile.user_id)})
        cache.record(self.request, cache.keys_for_listed(context["articles"]))
        return context


class ArticleDetailView(PublishedArticlesMixin, DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_object(self, queryset=None):
        """The article, if readers may see it now: whether they may is asked of `published()`
        on every request; what it shows is kept from one reader to the next until changed.
        Staff (anyone with a session) see it as it is now, never a kept copy."""
        pk = self.kwargs["pk"]
        if personal(self.request):
            return self.read_article(pk)
        if not self.get_queryset().filter(pk=pk).exists():
            raise Http404("No such article.")
        return cache.article_page(
            pk, lambda: self.read_article(pk), getattr(self.request, "page_started", None)
        )

    def read_article(self, pk):
        """Everything the page shows of the article, its corrections included."""
        article = self.get_queryset().for_detail().with_correction_flag().filter(pk=pk).first()
        if article is None:  # withdrawn since it was asked
            raise Http404("No such article.")
        if article.has_corrections:
            prefetch_related_objects([article], "corrections")
        return article

    def get(self, request, *args, **kwargs):
        try:
            self.object = self.get_object()
        except Http404:
            if Article.objects.withdrawn().filter(pk=kwargs["pk"]).exists():
                return TemplateResponse(request, "410.html", status=410)
            raise
        # The id is the article's stable key: an old slug or section answers with a 301.
        if request.path != self.object.get_absolute_url():
            return redirect(self.object, permanent=True)
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs):
        article = self.object
        if article.is_live_blog:
            kwargs.update(coverage_context(article))
        started = getattr(self.request, "page_started", None)
        more_in_section = cache.more_in_section(article, started)
        related = cache.related(article, started)
        shown = cache.keys_for_article_page(article)
        record_article_page(self.request, article, shown, [*more_in_section, *related])
        cache.record(
            self.request,
            {cache.photo_key(entry.photo_id) for entry in kwargs.get("live_entries", ())},
        )
        return super().get_context_data(
            # A live blog's entries are drawn each time: its article is not kept as HTML.
            article_keys=() if article.is_live_blog else shown,
            more_in_section=more_in_section,
            more_in_keys=cache.section_list_keys(article.section_id, more_in_section),
            related_articles=related,
            related_keys=cache.related_keys(article, related),
            head=seo.ArticleHead(article, self.request, kwargs.get("live_entries")),
            **kwargs,
        )


def record_article_page(request, article, shown, listed):
    """The article's page shows it (`shown`: cache.keys_for_article_page), its "More in" (the
    section's newest) and "Related" (its tags' articles) blocks, and the site's navigation."""
    cache.record(request, shown)
    cache.record(request, {cache.section_key(article.section_id)})
    cache.record(request, cache.keys_for_listed(listed))


class PhotoCredentialsView(DetailView):
    """What readers can learn about a published photo's origin, and how to check it."""

    template_name = "articles/photo_credentials.html"
    context_object_name = "photo"

    def get_queryset(self):
        return Photo.objects.seen_by_readers().prefetch_related("renditions")

    def get_context_data(self, **kwargs):
        photo = self.object
        articles = list(
            Article.objects.published()
            .filter(photo=photo)
            .select_related("section")
            .order_by("-publish_at", "-id")[:20]
        )
        cache.record(self.request, {cache.SITE, cache.photo_key(photo.pk)})
        cache.record(self.request, cache.keys_for_listed(articles))
        return super().get_context_data(
            articles=articles,
            largest_jpeg=renditions.largest(photo, renditions.FULL.crop),
            signed=settings.NEWSROOM_C2PA_SIGNING,
            **kwargs,
        )


def search(request):
    """Full-text search over published articles; any query at all gets a page."""
    query = request.GET.get("q", "").strip()
    paginator = Paginator(search_articles(query), settings.NEWSROOM_SECTION_PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    page_obj.object_list = add_snippets(list(page_obj.object_list), query)
    return render(
        request,
        "articles/search.html",
        {
            "query": query,
            "page_obj": page_obj,
            "articles": page_obj.object_list,
            "is_paginated": page_obj.has_other_pages(),
            "page_query": urlencode({"q": query}),
            "results_capped": capped(paginator.count),
        },
    )


# Photos whose renditions a shared preview link showed this visitor (see desk.views).
def rendition_not_found():
    # The same answer as for no such file: an embargoed photo's address confirms nothing.
    response = HttpResponseNotFound("Not found.", content_type="text/plain")
    patch_cache_control(response, no_store=True)
    return response


@require_safe
def rendition(request, photo_id, filename):
    """A rendition file: public once an article using the photo is live, else desk-only.

    Checked at every request, because scheduled articles go live by time alone; the
    answer is cached briefly by browsers and proxies when public, and not at all otherwise.
    """
    found = Rendition.objects.filter(
        photo_id=photo_id, file=f"renditions/{photo_id}/{filename}"
    ).first()
    public = found is not None and Photo.objects.seen_by_readers().filter(pk=photo_id).exists()
    allowed = public or (
        found is not None
        and (
            admin.site.has_permission(request)
            or photo_id in request.session.get(PREVIEW_PHOTOS_SESSION_KEY, [])
        )
    )
    if not allowed:
        return rendition_not_found()
    etag = f'"{found.source_key}-{found.crop or "full"}-{found.width}-{found.format}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        try:
            response = FileResponse(found.file.open("rb"), content_type=f"image/{found.format}")
        except FileNotFoundError:
            return rendition_not_found()
    response["ETag"] = etag
    if public:
        patch_cache_control(response, public=True, max_age=settings.PHOTO_PUBLIC_CACHE_SECONDS)
    else:
        patch_cache_control(response, private=True, no_cache=True)
    return response
