"""Full-text search over published articles, behind one function for both databases.

PostgreSQL keeps a weighted `tsvector` on each article (GIN-indexed) under the `newsroom`
text search configuration, which folds accents with `unaccent`. SQLite keeps the same four
weighted fields in an FTS5 table, transliterated to ASCII with anyascii (FTS5 alone does not
fold letters such as `ł`). Both are brought up to date synchronously on every save and tag
change, inside the same transaction, so search never sees a state the database does not.

Queries are cut into words on both databases, so quotes, operators, `%` and emoji never
reach a query parser and both databases find the same articles.
"""

import html
import re

from anyascii import anyascii
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, F, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.lookups import GreaterThan
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from taggit.models import Tag

from .models import Article

CONFIG = "newsroom"
# A reader's query is read up to this many characters and this many words.
MAX_QUERY_CHARS = 500
MAX_TERMS = 12
SNIPPET_WORDS = 30
WORD = re.compile(r"\w+")


def fold(word):
    """A word as both databases index it: transliterated to ASCII, lower case."""
    return anyascii(word).lower()


def query_terms(query):
    """The words of a reader's query; everything else (quotes, operators, emoji) drops out."""
    return WORD.findall(query[:MAX_QUERY_CHARS])[:MAX_TERMS]


def plain_text(body_html):
    return html.unescape(strip_tags(body_html))


def search_articles(query):
    """Published articles matching every word of `query`: headline matches first, then by
    relevance, then newest first. Each carries `rank` and `headline_hit`."""
    terms = query_terms(query)
    articles = Article.objects.published().for_listing()
    if not terms:
        return articles.none()
    if connection.vendor == "postgresql":
        articles = _postgresql_matches(articles, terms)
    else:
        articles = _sqlite_matches(articles, terms)
    return articles.order_by("-headline_hit", "-rank", "-publish_at", "-id")


def _postgresql_matches(articles, terms):
    query = SearchQuery(" ".join(terms), config=CONFIG, search_type="plain")
    # ts_rank weights are ordered D, C, B, A: this rank is above zero only for the headline.
    headline_rank = SearchRank(F("search_vector"), query, weights=[0, 0, 0, 1])
    return articles.filter(search_vector=query).annotate(
        rank=SearchRank(F("search_vector"), query),
        headline_hit=Case(When(GreaterThan(headline_rank, 0), then=Value(1)), default=Value(0)),
    )


def _fts_query(terms):
    # Each word becomes a quoted FTS5 string: nothing a reader types is read as syntax.
    return " ".join('"{}"'.format(fold(term).replace('"', '""')) for term in terms)


def _sqlite_matches(articles, terms):
    match = _fts_query(terms)
    return articles.filter(
        pk__in=RawSQL("SELECT rowid FROM article_fts WHERE article_fts MATCH %s", [match])
    ).annotate(
        # bm25() is lower for better matches; the column weights mirror PostgreSQL's A-D.
        rank=RawSQL(
            "SELECT -bm25(article_fts, 10.0, 4.0, 2.0, 1.0) FROM article_fts"
            " WHERE article_fts MATCH %s AND article_fts.rowid = articles_article.id",
            [match],
        ),
        headline_hit=RawSQL(
            "SELECT count(*) FROM article_fts"
            " WHERE article_fts MATCH %s AND article_fts.rowid = articles_article.id",
            [f"headline : ({match})"],
        ),
    )


def highlight(text, query):
    """About SNIPPET_WORDS words of `text` around the first match, matches in <mark>."""
    wanted = {fold(term) for term in query_terms(query)}
    words = list(WORD.finditer(text))
    if not words:
        return ""
    hits = [i for i, word in enumerate(words) if fold(word.group()) in wanted]
    first = max(hits[0] - SNIPPET_WORDS // 4, 0) if hits else 0
    window = words[first : first + SNIPPET_WORDS]
    pieces = ["… " if first else ""]
    position = window[0].start()
    for word in window:
        pieces.append(escape(text[position : word.start()]))
        marked = fold(word.group()) in wanted
        pieces.append(f"<mark>{escape(word.group())}</mark>" if marked else escape(word.group()))
        position = word.end()
    if first + SNIPPET_WORDS < len(words):
        pieces.append(" …")
    return mark_safe("".join(pieces))  # noqa: S308 (every piece of the reader's text is escaped)


def add_snippets(articles, query):
    """Give each article a highlighted `snippet` from its standfirst and body."""
    for article in articles:
        article.snippet = highlight(f"{article.standfirst} {plain_text(article.body)}", query)
    return articles


def index_article(article):
    """Bring the article's search entry up to date with its row and its tags."""
    byline_and_tags = " ".join([article.byline, *(tag.name for tag in article.tags.all())])
    body = plain_text(article.body)
    if connection.vendor == "postgresql":
        Article.objects.filter(pk=article.pk).update(
            search_vector=(
                SearchVector(Value(article.headline), weight="A", config=CONFIG)
                + SearchVector(Value(article.standfirst), weight="B", config=CONFIG)
                + SearchVector(Value(byline_and_tags), weight="C", config=CONFIG)
                + SearchVector(Value(body), weight="D", config=CONFIG)
            )
        )
    elif connection.vendor == "sqlite":
        fields = [article.headline, article.standfirst, byline_and_tags, body]
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM article_fts WHERE rowid = %s", [article.pk])
            cursor.execute(
                "INSERT INTO article_fts (rowid, headline, standfirst, byline_tags, body)"
                " VALUES (%s, %s, %s, %s, %s)",
                [article.pk, *(" ".join(fold(w) for w in WORD.findall(f)) for f in fields)],
            )


@receiver(post_save, sender=Article, dispatch_uid="search_index_saved_article")
def index_saved_article(sender, instance, raw=False, **kwargs):
    if not raw:
        index_article(instance)


@receiver(m2m_changed, sender=Article.tags.through, dispatch_uid="search_index_tagged_article")
def index_retagged_article(sender, instance, action, **kwargs):
    if isinstance(instance, Article) and action in {"post_add", "post_remove", "post_clear"}:
        index_article(instance)


@receiver(post_save, sender=Tag, dispatch_uid="search_index_renamed_tag")
def index_articles_of_renamed_tag(sender, instance, created=False, raw=False, **kwargs):
    if created or raw:
        return
    for article in Article.objects.filter(tags__in=[instance]).prefetch_related("tags"):
        index_article(article)


@receiver(post_delete, sender=Article, dispatch_uid="search_index_deleted_article")
def unindex_deleted_article(sender, instance, **kwargs):
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM article_fts WHERE rowid = %s", [instance.pk])
