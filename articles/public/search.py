"""Full-text search over published articles, behind one function for both databases.

PostgreSQL keeps a weighted `tsvector` on each article (GIN-indexed) under the `newsroom`
text search configuration, which folds accents with `unaccent` and stems English words with
Snowball. SQLite keeps the same four weighted fields in an FTS5 table, transliterated to
ASCII with anyascii (FTS5 alone does not fold letters such as `ł`) and stemmed here with the
same Snowball algorithm (FTS5's porter tokenizer is the older Porter, which conflates other
forms: "news" with "new"). Neither drops stop words. Both are brought up to date
synchronously on every save and tag change, inside the same transaction, so search never
sees a state the database does not.

Queries are cut into words on both databases, so quotes, operators, `%` and emoji never
reach a query parser and both databases find the same articles.

Ranking: articles with every searched word in the headline first, then those with some,
then by strength weighed by age (a match loses half its weight in RECENCY_HALF_LIFE_DAYS),
so among matches of similar strength the recent one wins.

Bounded at any archive size: only the newest MAX_RESULTS matches are ranked and counted, so
a word in half of a million articles costs one LIMIT query, not a rank and a COUNT(*) over
every match; the page says "1000+ results". On SQLite those matches are found from the end
of each word's list in FTS5, which keeps it in id order (see _sqlite_newest_matches).
Snippets come from the first SNIPPET_BODY_CHARS characters of the body: result cards never
load whole bodies.
"""

import functools
import html
import json
import re
from collections.abc import Sequence
from datetime import UTC

import snowballstemmer
from anyascii import anyascii
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    Q,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Extract, Left
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from taggit.models import Tag

from .. import queue
from ..models import Article

CONFIG = "newsroom"
# A reader's query is read up to this many characters and this many words.
MAX_QUERY_CHARS = 500
MAX_TERMS = 12
SNIPPET_WORDS = 30
WORD = re.compile(r"\w+")
RECENCY_HALF_LIFE_DAYS = 30
MAX_RESULTS = 1000
SNIPPET_BODY_CHARS = 2000
# How many matches SQLite takes newest id first before it looks at publish times; doubled
# while fewer than MAX_RESULTS of them are published (see _sqlite_newest_matches).
NEWEST_BY_ID = 2 * MAX_RESULTS
STEMMER = snowballstemmer.stemmer("english")


def fold(word):
    """A word transliterated to ASCII, lower case."""
    return anyascii(word).lower()


def stems(text):
    """The words of `text` as both databases index them: folded, then stemmed."""
    return STEMMER.stemWords(WORD.findall(fold(text)))


def query_terms(query):
    """The words of a reader's query; everything else (quotes, operators, emoji) drops out."""
    return WORD.findall(query[:MAX_QUERY_CHARS])[:MAX_TERMS]


def plain_text(body_html):
    return html.unescape(strip_tags(body_html))


def search_articles(query):
    """Published articles matching any form of every word of `query`, ranked as the module
    says. Each carries `rank` and `headline_level` (2: every word in the headline, 1: some).

    A queryset on PostgreSQL; on SQLite a SearchResults sequence. Both count, slice and
    iterate, which is all a Paginator and a template need.
    """
    terms = query_terms(query)
    if not terms:
        return Article.objects.none()
    if connection.vendor == "postgresql":
        return _postgresql_matches(terms).order_by(
            "-headline_level", "-score", "-publish_at", "-id"
        )
    return SearchResults(_sqlite_ranked(terms))


def capped(count):
    """Whether a result count is the bound, not all there are (shown as "1000+")."""
    return count >= MAX_RESULTS


def result_cards():
    """Published articles as result cards: the listing's, with the start of the body."""
    return (
        Article.objects.published()
        .for_listing()
        .annotate(body_start=Left("body", SNIPPET_BODY_CHARS))
    )


def _postgresql_matches(terms):
    query = SearchQuery(" ".join(terms), config=CONFIG, search_type="plain")
    newest = (
        Article.objects.published()
        .filter(search_vector=query)
        .order_by("-publish_at", "-id")
        .values("pk")[:MAX_RESULTS]
    )
    articles = result_cards().filter(pk__in=newest)

    def in_headline(operator):
        # `word:A` matches the word only where it has weight A, the headline's. The terms
        # are \w+ words, which hold none of to_tsquery's operators.
        raw = f" {operator} ".join(f"{term}:A" for term in terms)
        return Q(search_vector=SearchQuery(raw, config=CONFIG, search_type="raw"))

    age = ExpressionWrapper(Value(timezone.now()) - F("publish_at"), output_field=DurationField())
    age_days = Extract(age, "epoch") / 86400.0
    return articles.filter(search_vector=query).annotate(
        rank=SearchRank(F("search_vector"), query),
        headline_level=Case(
            When(in_headline("&"), then=Value(2)),
            When(in_headline("|"), then=Value(1)),
            default=Value(0),
        ),
        score=ExpressionWrapper(
            F("rank") / (1.0 + age_days / RECENCY_HALF_LIFE_DAYS), output_field=FloatField()
        ),
    )


def _fts_query(terms, column=""):
    # Each stem becomes a quoted FTS5 string: nothing a reader types is read as syntax.
    words = " ".join('"{}"'.format(stem.replace('"', '""')) for t in terms for stem in stems(t))
    return f"{column} : ({words})" if column else words


SQLITE_RANKED_SQL = (
    # The newest MAX_RESULTS published matches (a JSON list of ids); bm25() and highlight()
    # run on those only.
    "WITH candidate AS MATERIALIZED (SELECT value AS id FROM json_each(%s)),"
    " hit AS MATERIALIZED ("
    # bm25() is lower for better matches; the column weights mirror PostgreSQL's A-D.
    " SELECT rowid AS id, -bm25(article_fts, 10.0, 4.0, 2.0, 1.0) AS rank,"
    # highlight() marks the searched words it finds in column 0, the headline.
    " instr(highlight(article_fts, 0, char(1), char(2)), char(1)) > 0 AS headline_hit"
    # `rowid >=` the oldest candidate: FTS5 seeks there in each word's list instead of
    # reading all of it (bm25's statistics are the whole index's either way). `+rowid`: a
    # plain filter; offered to FTS5 as a rowid constraint, it ran the search again for each
    # candidate (seconds at 100,000 articles).
    " FROM article_fts WHERE article_fts MATCH %s AND rowid >= %s"
    " AND +rowid IN (SELECT id FROM candidate)"
    "), whole_headline AS MATERIALIZED ("
    " SELECT rowid AS id FROM article_fts WHERE article_fts MATCH %s AND rowid >= %s"
    " AND +rowid IN (SELECT id FROM candidate)"
    "), ranked AS ("
    " SELECT hit.id, hit.rank,"
    " hit.headline_hit + (hit.id IN (SELECT id FROM whole_headline)) AS headline_level,"
    " hit.rank / (1.0 + (julianday(%s) - julianday(articles_article.publish_at)) / %s)"
    " AS score, articles_article.publish_at"
    " FROM hit JOIN articles_article ON articles_article.id = hit.id"
    ") SELECT id, rank, headline_level FROM ranked"
    " ORDER BY headline_level DESC, score DESC, publish_at DESC, id DESC"
)

# The id of the n-th newest match by id: FTS5 reads each word's list from its end.
SQLITE_NTH_NEWEST_ID_SQL = (
    "SELECT rowid FROM article_fts WHERE article_fts MATCH %s"
    " ORDER BY rowid DESC LIMIT 1 OFFSET %s"
)


def sqlite_ranked_sql(terms):
    """The SQL and parameters that rank the published articles matching `terms` on SQLite.

    The FTS5 search runs once, materialised, before it meets the articles: joined directly,
    SQLite re-ran the MATCH for every candidate row, which took seconds on 10,000 articles
    instead of about a tenth of one. The candidates come from _sqlite_newest_matches.
    """
    candidates = _sqlite_newest_matches(terms)
    oldest = min(candidates, default=0)
    now = timezone.now().astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    return SQLITE_RANKED_SQL, [
        json.dumps(candidates),
        _fts_query(terms),
        oldest,
        _fts_query(terms, column="headline"),
        oldest,
        now,
        RECENCY_HALF_LIFE_DAYS,
    ]


def _sqlite_newest_matches(terms):
    """The ids of the newest MAX_RESULTS published articles matching `terms`, at a cost that
    follows MAX_RESULTS, not the archive or the number of matches.

    FTS5 keeps each word's articles in id order and reads them from the newest id cheaply,
    whereas publish times are the articles table's. Ids mostly follow publish times, so:

    1. The newest `window` matches by id (those from the id `lowest` up; every match when
       there are fewer). Their published ones newest first give the MAX_RESULTS-th publish
       time, `since`; the window doubles until it holds MAX_RESULTS published articles.
    2. A match below `lowest` can only rank if it went out at or after `since`: a story
       filed long ago and published late. Those are found by walking the articles published
       since `since` along the listings' index (its entries carry the id), testing only the
       ones below `lowest` with a full-text lookup of their own row.

    Collecting every match instead cost what the words match (8 s for a word in every one of
    a million articles, 1-2.8 s for common words); walking every published article cost a
    full-text lookup per article.
    """
    fts_query = _fts_query(terms)
    published = Article.objects.published().order_by("-publish_at", "-id")
    window, lowest = NEWEST_BY_ID, None
    with connection.cursor() as cursor:
        while True:
            cursor.execute(SQLITE_NTH_NEWEST_ID_SQL, [fts_query, window - 1])
            row = cursor.fetchone()
            lowest = row[0] if row else None
            in_window = RawSQL(
                "SELECT rowid FROM article_fts WHERE article_fts MATCH %s AND rowid >= %s",
                [fts_query, lowest or 0],
            )
            newest = list(
                published.filter(pk__in=in_window).values_list("id", "publish_at")[:MAX_RESULTS]
            )
            if lowest is None or len(newest) == MAX_RESULTS:
                break
            window *= 2
    if lowest is None:
        return [pk for pk, _ in newest]
    late = _sqlite_late_matches(fts_query, below=lowest, since=newest[-1][1])
    merged = sorted([*newest, *late.values_list("id", "publish_at")], reverse=True, key=by_age)
    return [pk for pk, _ in merged[:MAX_RESULTS]]


def by_age(row):
    """(id, publish time) in the listings' order, newest first when reversed."""
    pk, publish_at = row
    return publish_at, pk


def _sqlite_late_matches(fts_query, *, below, since):
    """Published matches with an id below `below` that went out at or after `since`."""
    # `+id`: the walk goes by the listings' index from now back to `since`, whatever SQLite
    # guesses of how many ids lie below `below`.
    return Article.objects.published().filter(
        RawSQL("+articles_article.id < %s", [below], output_field=BooleanField()),
        RawSQL(
            # `rowid =` the walked article's id: FTS5 takes it with the MATCH and seeks to
            # that one row in each word's list (EXPLAIN QUERY PLAN: `INDEX 0:=M4`).
            "EXISTS (SELECT 1 FROM article_fts WHERE article_fts MATCH %s"
            " AND rowid = articles_article.id)",
            [fts_query],
            output_field=BooleanField(),
        ),
        publish_at__gte=since,
    )


def _sqlite_ranked(terms):
    with connection.cursor() as cursor:
        cursor.execute(*sqlite_ranked_sql(terms))
        return cursor.fetchall()


class SearchResults(Sequence):
    """Ranked matches, counted and sliced like a queryset: only the articles of the slice
    asked for are fetched, with the listing's eager loading."""

    def __init__(self, ranked):
        self.ranked = ranked  # (article id, rank, headline level), best first

    def __len__(self):
        return len(self.ranked)

    def count(self):
        return len(self.ranked)

    def __iter__(self):
        return iter(self[:])

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1 or None][0]
        rows = self.ranked[index]
        found = result_cards().in_bulk([row[0] for row in rows])
        page = []
        for article_id, rank, headline_level in rows:
            if article_id in found:
                article = found[article_id]
                article.rank, article.headline_level = rank, headline_level
                page.append(article)
        return page


def highlight(text, query):
    """About SNIPPET_WORDS words of `text` around the first match, matches in <mark>."""
    wanted = {stem for term in query_terms(query) for stem in stems(term)}
    words = list(WORD.finditer(text))
    if not words:
        return ""
    hits = [i for i, word in enumerate(words) if matches(word.group(), wanted)]
    first = max(hits[0] - SNIPPET_WORDS // 4, 0) if hits else 0
    window = words[first : first + SNIPPET_WORDS]
    pieces = ["… " if first else ""]
    position = window[0].start()
    for word in window:
        pieces.append(escape(text[position : word.start()]))
        marked = matches(word.group(), wanted)
        pieces.append(f"<mark>{escape(word.group())}</mark>" if marked else escape(word.group()))
        position = word.end()
    if first + SNIPPET_WORDS < len(words):
        pieces.append(" …")
    return mark_safe("".join(pieces))  # noqa: S308 (every piece of the reader's text is escaped)


def matches(word, wanted):
    return any(stem in wanted for stem in word_stems(word))


@functools.lru_cache(maxsize=50_000)
def word_stems(word):
    """stems(word), remembered: snippets look at a few hundred words of each of 20 results,
    mostly the same words, and the Snowball stemmer is pure Python."""
    return tuple(stems(word))


def add_snippets(articles, query):
    """Give each article a highlighted `snippet` from its standfirst and its body's start."""
    for article in articles:
        body = article.body_start
        if body.rfind("<") > body.rfind(">"):
            body = body[: body.rfind("<")]  # a tag cut in half by the limit
        article.snippet = highlight(f"{article.standfirst} {plain_text(body)}", query)
    return articles


FTS_INSERT = (
    "INSERT INTO article_fts (rowid, headline, standfirst, byline_tags, body)"
    " VALUES (%s, %s, %s, %s, %s)"
)


def _weighted_vector(article, byline_and_tags, body):
    return (
        SearchVector(Value(article.headline), weight="A", config=CONFIG)
        + SearchVector(Value(article.standfirst), weight="B", config=CONFIG)
        + SearchVector(Value(byline_and_tags), weight="C", config=CONFIG)
        + SearchVector(Value(body), weight="D", config=CONFIG)
    )


def index_articles(articles, tag_names=None):
    """index_article for many articles: one statement on PostgreSQL, for imports that write
    articles in bulk. `tag_names` ({article pk: names}) spares reading back tags just written."""

    def names(article):
        if tag_names is not None:
            return tag_names[article.pk]
        return [tag.name for tag in article.tags.all()]

    rows = [
        [
            article.pk,
            article.headline,
            article.standfirst,
            " ".join([article.byline, *names(article)]),
            plain_text(article.body),
        ]
        for article in articles
    ]
    if not rows:
        return
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            marks = ", ".join(["%s"] * len(rows))
            cursor.execute(
                f"DELETE FROM article_fts WHERE rowid IN ({marks})",  # noqa: S608 (only marks)
                [row[0] for row in rows],
            )
            cursor.executemany(
                FTS_INSERT, [[pk, *(" ".join(stems(f)) for f in fields)] for pk, *fields in rows]
            )
        return
    if connection.vendor != "postgresql":
        return
    # The weights and configuration of _weighted_vector, as one UPDATE over a VALUES list.
    weighted = " || ".join(
        f"setweight(to_tsvector('{CONFIG}'::regconfig, v.{column}), '{weight}')"
        for column, weight in (("a", "A"), ("b", "B"), ("c", "C"), ("d", "D"))
    )
    values = ", ".join(["(%s::bigint, %s, %s, %s, %s)"] * len(rows))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE articles_article SET search_vector = {weighted}"  # noqa: S608 (constants)
            f" FROM (VALUES {values}) AS v(id, a, b, c, d) WHERE articles_article.id = v.id",
            [value for row in rows for value in row],
        )


def index_article(article):
    """Bring the article's search entry up to date with its row and its tags."""
    byline_and_tags = " ".join([article.byline, *(tag.name for tag in article.tags.all())])
    body = plain_text(article.body)
    if connection.vendor == "postgresql":
        Article.objects.filter(pk=article.pk).update(
            search_vector=_weighted_vector(article, byline_and_tags, body)
        )
    elif connection.vendor == "sqlite":
        fields = [article.headline, article.standfirst, byline_and_tags, body]
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM article_fts WHERE rowid = %s", [article.pk])
            cursor.execute(FTS_INSERT, [article.pk, *(" ".join(stems(field)) for field in fields)])


def reindex(article):
    """The article's entry brought up to date: at once, or with the task queue on by a worker
    once the change commits (the desk's save never waits for the index)."""
    if queue.queue_is_on():
        queue.enqueue_on_commit("articles.tasks.update_search_entry", article.pk)
    else:
        index_article(article)


def reindex_tagged(tag):
    """Every entry carrying the tag (a rename): a tag on 100,000 articles is a worker's job."""
    if queue.queue_is_on():
        queue.enqueue_on_commit("articles.tasks.update_search_entries_of_tag", tag.pk)
        return
    articles = Article.objects.filter(tags__in=[tag]).prefetch_related("tags")
    for article in articles.iterator(chunk_size=500):
        index_article(article)


@receiver(post_save, sender=Article, dispatch_uid="search_index_saved_article")
def index_saved_article(sender, instance, raw=False, **kwargs):
    if not raw:
        reindex(instance)


@receiver(m2m_changed, sender=Article.tags.through, dispatch_uid="search_index_tagged_article")
def index_retagged_article(sender, instance, action, **kwargs):
    if isinstance(instance, Article) and action in {"post_add", "post_remove", "post_clear"}:
        reindex(instance)


@receiver(post_save, sender=Tag, dispatch_uid="search_index_renamed_tag")
def index_articles_of_renamed_tag(sender, instance, created=False, raw=False, **kwargs):
    if not (created or raw):
        reindex_tagged(instance)


@receiver(post_delete, sender=Article, dispatch_uid="search_index_deleted_article")
def unindex_deleted_article(sender, instance, **kwargs):
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM article_fts WHERE rowid = %s", [instance.pk])
