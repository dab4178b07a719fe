"""Readers get the same results whichever way SQLite finds the newest matches: by collecting
every match (rare words) or by walking the published articles newest first (common words)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from articles.models import Article
from articles.public.search import _sqlite_newest_matches, search_articles, sqlite_ranked_sql
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

WALKS = "rowid = articles_article.id"

# WALK_TEST_COST decides where the plans meet: at 0 any match at all makes the search walk,
# at 10**12 no archive is big enough for it to.
PLANS = {"collecting": 10**12, "walking": 0}


@pytest.fixture(params=PLANS)
def plan(request, monkeypatch):
    monkeypatch.setattr("articles.public.search.WALK_TEST_COST", PLANS[request.param])
    return request.param


@pytest.fixture
def harbour_reports(politics):
    """Reports that differ only by name, so rank them by age alone, ids out of publish order."""
    now = timezone.now()

    def report(name, **fields):
        return ArticleFactory(
            section=politics,
            headline=f"Harbour report {name}",
            standfirst="Ships wait.",
            body="<p>The port authority said so.</p>",
            byline="By Anna Nowak",
            **fields,
        )

    report("alpha", publish_at=now - timedelta(hours=1))
    ArticleFactory(section=politics, headline="Budget report alpha")
    report("bravo", publish_at=now - timedelta(hours=3))
    report("charlie", future=True)
    report("delta", status=Article.Status.UNPUBLISHED, publish_at=now - timedelta(minutes=30))
    report("echo", publish_at=now - timedelta(hours=2))
    report("foxtrot", publish_at=now - timedelta(days=5))
    report("golf", publish_at=now - timedelta(minutes=10), deleted_at=now)
    # Filed last, published first of all: the newest id, the oldest publish time.
    report("hotel", publish_at=now - timedelta(days=10))


def headlines(query):
    return [article.headline for article in search_articles(query)]


def test_both_plans_find_the_published_matches_newest_first(harbour_reports, plan):
    if connection.vendor == "sqlite":
        assert (WALKS in sqlite_ranked_sql(["harbour"])[0]) == (plan == "walking")
    assert headlines("harbour") == [
        "Harbour report alpha",
        "Harbour report echo",
        "Harbour report bravo",
        "Harbour report foxtrot",
        "Harbour report hotel",
    ]


def test_both_plans_keep_the_newest_published_matches_only(harbour_reports, plan, monkeypatch):
    monkeypatch.setattr("articles.public.search.MAX_RESULTS", 3)
    assert headlines("harbour") == [
        "Harbour report alpha",
        "Harbour report echo",
        "Harbour report bravo",
    ]


def test_both_plans_rank_headline_matches_first(politics, plan):
    now = timezone.now()
    ArticleFactory(
        section=politics,
        headline="Ministers meet",
        body="<p>A pipeline deal was signed.</p>",
        publish_at=now - timedelta(minutes=1),
    )
    ArticleFactory(section=politics, headline="Ferry timetable", publish_at=now)
    ArticleFactory(
        section=politics,
        headline="Pipeline opens",
        body="<p>The deal held.</p>",
        publish_at=now - timedelta(days=2),
    )
    assert headlines("pipeline deal") == ["Pipeline opens", "Ministers meet"]
    assert headlines("ferry pipeline") == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL has one plan")
def test_a_common_word_walks_and_a_rare_one_collects(politics, monkeypatch):
    # Ids 1-9: the plans meet at isqrt(1 x 2 x 9) = 4 matches.
    monkeypatch.setattr("articles.public.search.WALK_TEST_COST", 1)
    monkeypatch.setattr("articles.public.search.MAX_RESULTS", 2)
    for number in range(1, 9):
        ArticleFactory(pk=number, section=politics, headline=f"Harbour report {number}")
    ArticleFactory(pk=9, section=politics, headline="Ferry report", future=True)
    assert WALKS in sqlite_ranked_sql(["harbour"])[0]
    assert WALKS not in sqlite_ranked_sql(["ferry"])[0]
    assert WALKS not in sqlite_ranked_sql(["zzzyzx"])[0]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL has one plan")
def test_the_walk_reads_the_listing_index_and_one_index_row_per_article(politics, monkeypatch):
    monkeypatch.setattr("articles.public.search.WALK_TEST_COST", 0)
    ArticleFactory(section=politics, headline="Harbour report")
    explained = _sqlite_newest_matches(["harbour"]).explain()
    assert "USING INDEX article_status_publish_idx (status=? AND publish_at<?)" in explained
    # The MATCH (M) and the article's rowid (=) both go to FTS5, in one lookup.
    assert "SCAN article_fts VIRTUAL TABLE INDEX 0:=M" in explained
    assert "TEMP B-TREE" not in explained
