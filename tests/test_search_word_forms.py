"""Readers find an article by any form of its words, ranked by headline, strength and age.

Both databases stem with the same English Snowball algorithm, so each expectation below
holds on SQLite and on PostgreSQL alike.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.public.search import search_articles
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def headlines(query):
    return [article.headline for article in search_articles(query)]


@pytest.fixture
def talks(politics):
    return ArticleFactory(
        section=politics,
        headline="Kremlin talks end without agreement",
        standfirst="Negotiators left after six hours.",
        body="<p>The delegations were negotiating a prisoner exchange.</p>",
    )


@pytest.mark.parametrize(
    "query", ["negotiator", "negotiators", "negotiate", "negotiating", "talk", "talking"]
)
def test_any_form_of_a_word_finds_the_article(talks, query):
    assert headlines(query) == ["Kremlin talks end without agreement"]


def test_stemming_keeps_accent_folding(politics):
    ArticleFactory(section=politics, headline="Łódź councillors vote for trams")
    assert headlines("lodz councillor") == ["Łódź councillors vote for trams"]
    assert headlines("ŁÓDŹ voting") == ["Łódź councillors vote for trams"]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        # Porter, unlike Snowball, makes "news" into "new" and "dying" into "dy".
        ("new", ["New tram line opens"]),
        ("news", ["News agencies merge"]),
        ("die", ["Coral reefs dying off the coast"]),
        # Nothing is a stop word: "the" must be there, as on SQLite.
        ("the agencies", []),
    ],
)
def test_both_databases_conflate_the_same_word_forms(politics, query, found):
    for headline in [
        "New tram line opens",
        "News agencies merge",
        "Coral reefs dying off the coast",
    ]:
        ArticleFactory(section=politics, headline=headline, standfirst="", body="<p>Report.</p>")
    assert headlines(query) == found


def test_a_headline_with_every_searched_word_ranks_above_one_with_some(politics):
    now = timezone.now()
    ArticleFactory(
        section=politics,
        headline="Budget talks resume",
        body="<p>The vote is next week.</p>",
        publish_at=now - timedelta(minutes=5),
    )
    ArticleFactory(
        section=politics,
        headline="Budget vote passes",
        body="<p>Deputies voted late.</p>",
        publish_at=now - timedelta(days=20),
    )
    ArticleFactory(
        section=politics,
        headline="Deputies go home",
        body="<p>After the budget vote, the chamber emptied.</p>",
        publish_at=now - timedelta(minutes=1),
    )
    assert headlines("budget vote") == [
        "Budget vote passes",
        "Budget talks resume",
        "Deputies go home",
    ]


def test_a_recent_match_beats_an_old_one_of_similar_strength(politics):
    now = timezone.now()
    ArticleFactory(
        section=politics,
        headline="Port workers strike",
        body="<p>The harbour closed. Ships waited outside the harbour.</p>",
        publish_at=now - timedelta(days=400),
    )
    ArticleFactory(
        section=politics,
        headline="Ferry timetable changes",
        body="<p>The harbour reopened and the ships sailed.</p>",
        publish_at=now - timedelta(hours=2),
    )
    assert headlines("harbour") == ["Ferry timetable changes", "Port workers strike"]


def test_search_page_marks_every_form_of_the_searched_word(client, talks):
    html = client.get("/search/", {"q": "negotiator"}).content.decode()
    assert "<mark>Negotiators</mark> left after six hours." in html
    assert "were <mark>negotiating</mark> a prisoner" in html


@pytest.mark.django_db(transaction=True)
def test_articles_indexed_before_stemming_are_found_by_any_word_form():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("articles", "0023_give_editors_the_wire_desk")]
    after = [("articles", "0025_reindex_search_with_stems")]
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(before)
        apps = executor.loader.project_state(before).apps
        section = apps.get_model("articles", "Section").objects.create(name="Politics", slug="p")
        apps.get_model("articles", "Article").objects.create(
            section=section,
            headline="Negotiators walk out",
            slug="negotiators-walk-out",
            status="published",
            publish_at=timezone.now() - timedelta(hours=1),
        )
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        assert headlines("negotiator") == ["Negotiators walk out"]
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes("articles"))
