"""Readers get the same results however many matches SQLite takes newest id first before it
looks at publish times (articles.public.search._sqlite_newest_matches): all of them at once,
or one at a time, doubling, with stories filed early and published late found apart."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from articles.models import Article
from articles.public.search import (
    _fts_query,
    _sqlite_late_matches,
    search_articles,
    sqlite_ranked_sql,
)
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

WINDOWS = {"every match at once": 10**6, "one match, doubling": 1}


@pytest.fixture(params=WINDOWS)
def window(request, monkeypatch):
    monkeypatch.setattr("articles.public.search.NEWEST_BY_ID", WINDOWS[request.param])
    return request.param


@pytest.fixture
def harbour_reports(politics):
    """Reports that differ only by name, so rank them by age alone, ids out of publish order."""
    now = timezone.now()
    # Filed first of all, published last: the oldest id, the newest publish time.
    india = ArticleFactory(
        section=politics,
        headline="Harbour report india",
        standfirst="Ships wait.",
        body="<p>The port authority said so.</p>",
        byline="By Anna Nowak",
        status=Article.Status.DRAFT,
        publish_at=None,
    )

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
    india.status, india.publish_at = Article.Status.PUBLISHED, now - timedelta(minutes=5)
    india.save()


def headlines(query):
    return [article.headline for article in search_articles(query)]


def test_the_published_matches_come_newest_first(harbour_reports, window):
    assert headlines("harbour") == [
        "Harbour report india",
        "Harbour report alpha",
        "Harbour report echo",
        "Harbour report bravo",
        "Harbour report foxtrot",
        "Harbour report hotel",
    ]


def test_only_the_newest_published_matches_are_kept(harbour_reports, window, monkeypatch):
    monkeypatch.setattr("articles.public.search.MAX_RESULTS", 3)
    # India has the oldest id of all: a window of the newest ids alone would miss it.
    assert headlines("harbour") == [
        "Harbour report india",
        "Harbour report alpha",
        "Harbour report echo",
    ]


def test_a_story_filed_early_and_published_late_is_found_once(politics, window, monkeypatch):
    monkeypatch.setattr("articles.public.search.MAX_RESULTS", 2)
    now = timezone.now()
    early = ArticleFactory(section=politics, headline="Ferry strike, day 9", status="draft")
    for hours in (1, 2, 3):
        ArticleFactory(
            section=politics,
            headline=f"Ferry strike, day {hours}",
            publish_at=now - timedelta(hours=hours),
        )
    assert headlines("ferry") == ["Ferry strike, day 1", "Ferry strike, day 2"]
    early.status, early.publish_at = Article.Status.PUBLISHED, now - timedelta(minutes=90)
    early.save()
    assert headlines("ferry") == ["Ferry strike, day 1", "Ferry strike, day 9"]


def test_headline_matches_rank_first_in_any_window(politics, window):
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


def test_unpublished_matches_in_the_window_make_it_grow(politics, monkeypatch):
    monkeypatch.setattr("articles.public.search.NEWEST_BY_ID", 2)
    monkeypatch.setattr("articles.public.search.MAX_RESULTS", 2)
    now = timezone.now()
    ArticleFactory(section=politics, headline="Harbour report one", publish_at=now)
    ArticleFactory(section=politics, headline="Harbour report two", publish_at=now)
    for name in ("three", "four", "five"):
        ArticleFactory(section=politics, headline=f"Harbour report {name}", status="draft")
    assert headlines("harbour") == ["Harbour report two", "Harbour report one"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plan")
def test_late_stories_are_looked_for_along_the_listing_index(politics):
    explained = _sqlite_late_matches(
        _fts_query(["harbour"]), below=10, since=timezone.now() - timedelta(hours=1)
    ).explain()
    assert (
        "USING INDEX article_status_publish_idx (status=? AND publish_at>? AND publish_at<?)"
        in explained
    )
    # The MATCH (M) and the article's rowid (=) both go to FTS5, in one lookup.
    assert "SCAN article_fts VIRTUAL TABLE INDEX 0:=M" in explained


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plan")
def test_ranking_reads_each_words_list_from_the_oldest_candidate_only(politics):
    ArticleFactory(section=politics, headline="Harbour report")
    sql, params = sqlite_ranked_sql(["harbour"])
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
    # FTS5's plan string: M the MATCH, > a lower bound on the rowid (`rowid >=`).
    assert len(re.findall(r"VIRTUAL TABLE INDEX 0:M\d*>", plan)) == 2, plan
