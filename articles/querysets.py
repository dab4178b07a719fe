"""How the newsroom asks for articles: what readers see, what the desk works on, and how
much of each article a page loads."""

import math

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from . import visibility
from .states import ArticleStatus

# What no card, link list or feed of cards shows: the body and the search vector are most of
# an article's bytes, and listing pages must not read them.
CARD_DEFERRED = ("body", "search_vector")


# How many cards a listing reads (a page and one more), for `tagged`'s choice of plan.
LISTING_READS = 21


def card_deferred(relation):
    """CARD_DEFERRED for an article reached through `relation` (e.g. a front slot's)."""
    return [f"{relation}__{field}" for field in CARD_DEFERRED]


def in_any_of(model, limited):
    """A subquery of the `model` ids in any of `limited`, each a sliced `values()` of ids
    (a tag's newest, a section's newest), for `pk__in`: one UNION ALL in which each list
    keeps its own LIMIT walk of its index. Each list is wrapped in its own IN because SQLite
    takes no LIMIT inside a compound statement. None when there are no lists."""
    lists = [model.objects.filter(pk__in=ids).order_by().values("pk") for ids in limited]
    return lists[0].union(*lists[1:], all=True) if lists else None


def walk_crossover(model, reads_per_match):
    """Where walking `model`'s archive newest first (a test per row) stops being cheaper
    than collecting and sorting the matches: about sqrt(reads_per_match x archive) matches,
    the archive's size being its newest id (one index read). Used by tag pages to choose
    their plan by a count bounded at this number."""
    newest = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    return math.isqrt(reads_per_match * newest)


def tag_items(model):
    """taggit's items tagging `model`'s rows (its index by tag: migration 0032)."""
    return TaggedItem.objects.filter(content_type=ContentType.objects.get_for_model(model))


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """What readers may see: the one definition every public surface starts from."""
        return self.filter(**visibility.published_lookups())

    def withdrawn(self):
        """Articles readers could once read and no longer can: their URLs answer 410 Gone.
        Taken off before its scheduled go-live, an article was never read: unpublished, its
        `first_published_at` is cleared (Article.save); trashed, it went before it."""
        return self.filter(first_published_at__isnull=False).filter(
            Q(status=ArticleStatus.UNPUBLISHED)
            | Q(deleted_at__isnull=False, first_published_at__lte=F("deleted_at"))
        )

    def not_in_trash(self):
        return self.filter(deleted_at__isnull=True)

    def in_trash(self):
        return self.filter(deleted_at__isnull=False)

    def in_review_queue(self):
        """Articles and changes to live articles waiting for an editor, oldest first."""
        return (
            self.not_in_trash()
            .filter(
                Q(status=ArticleStatus.IN_REVIEW)
                | Q(status=ArticleStatus.PUBLISHED, pending_revision__isnull=False)
            )
            .filter(submitted_at__isnull=False)
            .order_by("submitted_at", "id")
        )

    def written_by(self, user):
        """The person's own articles: they created them or are among their authors."""
        return self.filter(visibility.written_by(user)).distinct()

    def drafts(self):
        return self.not_in_trash().filter(status=ArticleStatus.DRAFT)

    def returned(self):
        """Articles whose latest step is an editor's return, with `return_note`."""
        return self.not_in_trash().with_return_note().filter(return_note__isnull=False)

    def scheduled(self, until=None):
        """Approved and waiting for their publish time (up to `until`), soonest first."""
        now = timezone.now()
        due = {"publish_at__lte": until} if until else {}
        return (
            self.not_in_trash()
            .filter(status=ArticleStatus.PUBLISHED, publish_at__gt=now, **due)
            .order_by("publish_at", "id")
        )

    def recently_published(self):
        """What readers see, the newest publication first."""
        return self.published().order_by("-publish_at", "-id")

    def visible_to(self, user):
        """What a staff member may open in the desk (see articles.visibility)."""
        scope = visibility.staff_scope(user)
        return self if scope is None else self.filter(scope).distinct()

    def with_return_note(self):
        """`return_note`: the editor's note while a return is the article's latest step.

        Submitting again (or any later step) makes it history, and the annotation empty.
        """
        transitions = self.model._meta.get_field("transitions").related_model.objects
        latest = (
            transitions.filter(article=OuterRef("article")).order_by("-at", "-id").values("pk")[:1]
        )
        returns = transitions.returns().filter(article=OuterRef("pk"), pk=Subquery(latest))
        return self.annotate(return_note=Subquery(returns.values("note")[:1]))

    def tagged(self, tag):
        """Articles carrying `tag`, by the plan that stays fast for the tag's size.

        Collecting a tag's articles and sorting them costs what the tag has (half a second
        for a tag on a tenth of a million articles); reading the archive newest first and
        checking each article's tags costs about the archive's size over the tag's, per
        card (most of the archive for a rare tag). The two meet where the tag has about
        sqrt(cards x archive) articles: 650 at 20,000 articles, 4,600 at a million. The
        archive's size is its newest id, and the tag's is counted up to that point along
        the tag's own index: two index reads.
        """
        items = tag_items(self.model).filter(tag=tag)
        crossover = walk_crossover(self.model, LISTING_READS)
        if items[: crossover + 1].count() <= crossover:
            return self.filter(tags__in=[tag])
        return self.filter(Exists(items.filter(object_id=OuterRef("pk"))))

    def carried_tags(self):
        """The tags these articles carry: a tag only other articles carry stays unknown."""
        return Tag.objects.filter(pk__in=self.values("tags"))

    def for_cards(self):
        """What a card needs but the photos' renditions, newest first: for pages that fetch
        the renditions of all their photos at once. Never the body (see CARD_DEFERRED)."""
        return (
            self.select_related("section", "photo")
            .defer(*CARD_DEFERRED)
            .order_by("-publish_at", "-id")
        )

    def for_listing(self):
        """What a card needs (section label, thumbnail), newest first."""
        return self.for_cards().prefetch_related("photo__renditions")

    def source_links_model(self):
        return self.model._meta.get_field("source_links").related_model

    def for_detail(self):
        """Everything the article page shows, in a constant number of queries."""
        related = self.select_related("section", "photo", "photo__provider")
        # The whole article, body included, whatever a listing chain deferred before.
        return (
            related.defer(None)
            .defer("search_vector")
            .prefetch_related(
                "photo__renditions",
                models.Prefetch(
                    "source_links",
                    queryset=self.source_links_model().objects.select_related("source"),
                    to_attr="listed_source_links",
                ),
            )
            .with_tags()
            .with_bylines()
        )

    def with_tags(self):
        """Each article's tags (`Article.tag_list`)."""
        return self.prefetch_related(models.Prefetch("tags", to_attr="listed_tags"))

    def with_bylines(self):
        """Each article's authors with their public profiles, in the authors' own query
        (`Article.author_list`): their names and nothing else of their accounts (no
        password hash or e-mail address in a page's kept copy of its article)."""
        users = self.model._meta.get_field("authors").related_model
        return self.prefetch_related(
            models.Prefetch(
                "authors",
                queryset=users.objects.select_related("author_profile").only(
                    "first_name", "last_name", "author_profile__slug"
                ),
                to_attr="listed_authors",
            )
        )

    def with_correction_flag(self):
        """`has_corrections` on each article, so that a page reads the corrections of an
        article that has any (few have) and spends no query on the others: see
        `Article.correction_list`."""
        corrections = self.model._meta.get_field("corrections").related_model.objects
        return self.annotate(has_corrections=Exists(corrections.filter(article=OuterRef("pk"))))

    def newest_per_section(self, sections, count):
        """The `count` newest articles of each of `sections`, in one query.

        Each section's list is a LIMIT walk of its (section, publish_at) index, joined with
        UNION ALL: a window over every article of every section grew with the archive.
        """
        newest = in_any_of(
            self.model,
            (
                self.filter(section=section).order_by("-publish_at", "-id").values("pk")[:count]
                for section in sections
            ),
        )
        return self.none() if newest is None else self.filter(pk__in=newest)
