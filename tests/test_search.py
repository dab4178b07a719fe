"""Readers find published articles by any word of them, with or without Polish letters."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.postgres.search import SearchQuery
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article
from articles.public.search import search_articles, sqlite_ranked_sql
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def headlines(query):
    return [article.headline for article in search_articles(query)]


def test_search_finds_words_of_headline_standfirst_body_byline_and_tags(politics):
    article = ArticleFactory(
        section=politics,
        headline="Sejm passes the budget",
        standfirst="Opposition walks out.",
        body="<p>The vote came after <strong>midnight</strong>.</p>",
        byline="By Zofia Wiśniewska",
    )
    article.tags.add("fiscal policy")
    for word in ["sejm", "opposition", "midnight", "zofia", "fiscal"]:
        assert headlines(word) == ["Sejm passes the budget"], word


def test_search_ignores_diacritics_both_ways(politics):
    ArticleFactory(section=politics, headline="Flood warning for Łódź")
    ArticleFactory(section=politics, headline="Tram strike in Lodz ends")
    assert sorted(headlines("lodz")) == ["Flood warning for Łódź", "Tram strike in Lodz ends"]
    assert sorted(headlines("Łódź")) == ["Flood warning for Łódź", "Tram strike in Lodz ends"]
    assert sorted(headlines("ŁÓDŹ")) == ["Flood warning for Łódź", "Tram strike in Lodz ends"]


def test_search_needs_every_word(politics):
    ArticleFactory(section=politics, headline="Budget vote delayed")
    ArticleFactory(section=politics, headline="Budget vote passes")
    assert headlines("budget delayed") == ["Budget vote delayed"]


def test_headline_matches_come_before_newer_body_matches(politics):
    now = timezone.now()
    ArticleFactory(
        section=politics,
        headline="Councils meet",
        body="<p>Talk of a pipeline.</p>",
        publish_at=now - timedelta(minutes=5),
    )
    ArticleFactory(
        section=politics,
        headline="Pipeline deal signed",
        body="<p>Signed.</p>",
        publish_at=now - timedelta(days=3),
    )
    assert headlines("pipeline") == ["Pipeline deal signed", "Councils meet"]


def test_equal_matches_are_ordered_newest_first(politics):
    now = timezone.now()
    for hours, headline in [(5, "older"), (1, "newest"), (3, "middle")]:
        ArticleFactory(
            section=politics,
            headline=f"Harbour reopens {headline}",
            body="<p>Same body.</p>",
            publish_at=now - timedelta(hours=hours),
        )
    assert headlines("harbour") == [
        "Harbour reopens newest",
        "Harbour reopens middle",
        "Harbour reopens older",
    ]


def test_edits_and_new_tags_are_found_at_once(politics):
    article = ArticleFactory(section=politics, headline="Storm hits coast")
    article.headline = "Hurricane hits coast"
    article.save()
    assert headlines("storm") == []
    assert headlines("hurricane") == ["Hurricane hits coast"]
    article.tags.add("Weather")
    assert headlines("weather") == ["Hurricane hits coast"]
    article.tags.remove("Weather")
    assert headlines("weather") == []


def test_renamed_tag_is_found_under_its_new_name(politics):
    ArticleFactory(section=politics, headline="Storm hits coast").tags.add("Weather")
    tag = Tag.objects.get(name="Weather")
    tag.name = "Climate"
    tag.save()
    assert headlines("climate") == ["Storm hits coast"]
    assert headlines("weather") == []


def test_demo_newsroom_is_searchable(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    assert "Kremlin talks end without agreement on prisoner exchange" in headlines("kremlin")


def test_deleted_article_is_not_found(politics):
    article = ArticleFactory(section=politics, headline="Ferry cancelled")
    article.delete()
    assert headlines("ferry") == []


def test_search_page_shows_results_with_highlighted_snippet(client, politics):
    ArticleFactory(
        section=politics,
        headline="Bridge closed",
        standfirst="Engineers found cracks <again>.",
        body="<p>The bridge in Łódź will stay shut until spring.</p>",
    )
    response = client.get("/search/", {"q": "lodz"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "1 result for “lodz”" in page
    assert "Bridge closed" in page
    assert "<mark>Łódź</mark>" in page
    assert "cracks &lt;again&gt;" in page


def test_search_count_and_pages(client, politics, settings):
    now = timezone.now()
    for i in range(25):
        ArticleFactory(
            section=politics,
            headline=f"Election night {i}",
            publish_at=now - timedelta(minutes=i + 1),
        )
    first = client.get("/search/", {"q": "election"}).content.decode()
    assert "25 results for “election”" in first
    assert "Election night 0<" in first
    assert "?q=election&amp;page=2" in first
    second = client.get("/search/", {"q": "election", "page": 2}).content.decode()
    assert "Election night 24<" in second
    assert "Election night 0<" not in second


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "budget" * 1700,
        '"unbalanced quote',
        "budget AND NOT OR NEAR(x y) * ^ : - +",
        "100% budget",
        "%_%",
        "budget 🗳️🔥",
        "🗳️",
        "'; DROP TABLE articles_article; --",
        "headline : budget",
        "{body} budget",
        "\x00",
    ],
    ids=lambda query: repr(query[:20]),
)
def test_any_query_gets_a_page(client, politics, query):
    ArticleFactory(section=politics, headline="Budget passes")
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200


def test_odd_queries_still_find_their_words(politics):
    ArticleFactory(section=politics, headline="Budget passes")
    assert headlines('"budget') == ["Budget passes"]
    assert headlines("100% budget 🔥") == []
    assert headlines("budget 🔥") == ["Budget passes"]
    assert headlines("budget AND passes") == []
    assert headlines("-budget") == ["Budget passes"]


def test_empty_query_shows_the_form_and_no_results(client, politics):
    ArticleFactory(section=politics, headline="Budget passes")
    page = client.get("/search/").content.decode()
    assert 'name="q"' in page
    assert "Budget passes" not in page


@pytest.mark.parametrize("count", [3, 25])
def test_search_page_queries_do_not_grow_with_results(
    client, politics, django_assert_max_num_queries, count
):
    from tests.test_query_counts import fill

    fill(politics, count)
    # The search's own four and the breaking-news banner; on SQLite two more, the archive's
    # size and the matches counted up to a bound, to choose how to find the newest matches.
    with django_assert_max_num_queries(5 if connection.vendor == "postgresql" else 7):
        response = client.get("/search/", {"q": "budget"})
    assert response.status_code == 200
    assert f"{count} result" in response.content.decode()


def test_rebuilding_the_index_catches_up_with_rows_changed_behind_its_back(politics):
    article = ArticleFactory(section=politics, headline="Storm hits coast")
    # A bulk update bypasses save() and its signals, as a raw data fix would.
    Article.objects.filter(pk=article.pk).update(headline="Hurricane hits coast")
    call_command("update_search_index", "--dry-run", stdout=StringIO())
    assert headlines("hurricane") == []
    out = StringIO()
    call_command("update_search_index", stdout=out)
    assert "Indexed 1 article(s)." in out.getvalue()
    assert headlines("hurricane") == ["Hurricane hits coast"]
    assert headlines("storm") == []


def test_search_is_served_by_the_full_text_index(politics):
    ArticleFactory(section=politics, headline="Budget passes")
    if connection.vendor == "postgresql":
        # On tiny tables the planner prefers the status index for published(); what matters is
        # that the full-text condition itself can be answered from the GIN index.
        matching = Article.objects.filter(
            search_vector=SearchQuery("budget", config="newsroom", search_type="plain")
        )
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            explained = matching.explain()
        assert "article_search_vector_idx" in explained
    else:
        sql, params = sqlite_ranked_sql(["budget"])
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            explained = " ".join(str(row) for row in cursor.fetchall())
        assert "VIRTUAL TABLE INDEX" in explained.upper()


def test_a_searched_word_in_the_headline_ranks_first(politics):
    now = timezone.now()
    ArticleFactory(
        section=politics,
        headline="Ministers meet",
        body="<p>A pipeline deal was signed.</p>",
        publish_at=now - timedelta(minutes=1),
    )
    ArticleFactory(
        section=politics,
        headline="Pipeline opens",
        body="<p>The deal held.</p>",
        publish_at=now - timedelta(days=2),
    )
    assert headlines("pipeline deal") == ["Pipeline opens", "Ministers meet"]


def test_a_common_word_ranks_and_counts_only_the_newest_matches(client, politics, monkeypatch):
    monkeypatch.setattr("articles.public.search.MAX_RESULTS", 3)
    now = timezone.now()
    ArticleFactory(
        section=politics, headline="Budget budget budget", publish_at=now - timedelta(days=9)
    )
    for i in range(4):
        ArticleFactory(
            section=politics,
            headline=f"Story {i}",
            standfirst="On the budget.",
            publish_at=now - timedelta(hours=i + 1),
        )
    # The strongest match is older than the newest three: a bounded search leaves it out.
    assert sorted(headlines("budget")) == ["Story 0", "Story 1", "Story 2"]
    page = client.get("/search/", {"q": "budget"}).content.decode()
    assert "3+ results for “budget”" in page


def test_a_snippet_never_shows_a_tag_cut_in_half(client, politics, monkeypatch):
    monkeypatch.setattr("articles.public.search.SNIPPET_BODY_CHARS", 38)
    ArticleFactory(
        section=politics,
        headline="Harbour reopens",
        standfirst="",
        body='<p>The harbour reopened at dawn <a href="https://example.org/x">details</a></p>',
    )
    page = client.get("/search/", {"q": "harbour"}).content.decode()
    snippet = re.search(r'<p class="snippet">(.*?)</p>', page, re.S).group(1)
    assert "<mark>harbour</mark> reopened at dawn" in snippet
    assert "&lt;" not in snippet and "href" not in snippet
