"""Partners poll published articles as NINJS 2.2 JSON, cheaply and never anything hidden."""

import json
from datetime import timedelta

import jsonschema
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import http_date

from articles.desk import workflow
from articles.models import Article
from tests.factories import ArticleFactory, PhotoFactory, SourceFactory

pytestmark = pytest.mark.django_db

LIST = "/api/articles/"


@pytest.fixture(scope="module")
def ninjs_validator(wire_samples):
    schema = json.loads((wire_samples / "ninjs/schema/ninjs-schema_2.2.json").read_text())
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def assert_valid(validator, item):
    errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(item)]
    assert errors == []


def detail(article):
    return f"/api/articles/{article.pk}/"


def test_article_is_served_as_ninjs_that_validates(client, wire_article, ninjs_validator):
    wire_article.tags.add("Kremlin", "Diplomacy")
    response = client.get(detail(wire_article))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    item = response.json()
    assert_valid(ninjs_validator, item)
    assert item["uri"] == f"http://testserver/api/articles/{wire_article.pk}/"
    assert item["headlines"] == [{"role": "main", "value": "Kremlin talks end without agreement"}]
    assert item["descriptions"] == [
        {"role": "summary", "value": "Negotiators left after six hours."}
    ]
    assert item["bodies"][0]["value"].startswith("<p>The talks ended late on Tuesday.</p>")
    assert item["by"] == "By Staff and wire reports"
    assert item["infosources"] == [
        {"name": "abcnews.go.com", "role": "source"},
        {"name": "Reuters", "role": "source"},
    ]
    assert {s["name"] for s in item["subjects"]} == {"Politics", "Kremlin", "Diplomacy"}
    assert item["altids"] == [
        {"role": "webpage", "value": f"http://testserver{wire_article.get_absolute_url()}"}
    ]
    [picture] = item["associations"]
    assert picture["by"].startswith("EPA/PHOTOGRAPHER NAME / SPUTNIK")
    assert picture["descriptions"] == [
        {"role": "caption", "value": "Delegacje w Moskwie (podpis źródła zdjęcia)"}
    ]
    assert picture["renditions"][0]["href"].startswith("http://testserver/renditions/")
    assert all(
        not r["href"].startswith("http://testserver/media/photos/") for r in picture["renditions"]
    )


def test_list_items_validate_and_are_paginated(client, politics, settings, ninjs_validator):
    settings.NEWSROOM_API_PAGE_SIZE = 2
    for n in range(3):
        ArticleFactory(
            section=politics,
            headline=f"Story {n}",
            photo=PhotoFactory() if n == 0 else None,
            publish_at=timezone.now() - timedelta(hours=3 - n),
        )
    first = client.get(LIST).json()
    assert first["count"] == 3
    assert [i["headlines"][0]["value"] for i in first["results"]] == ["Story 2", "Story 1"]
    assert first["previous"] is None
    second = client.get(first["next"]).json()
    assert [i["headlines"][0]["value"] for i in second["results"]] == ["Story 0"]
    assert second["next"] is None
    for item in first["results"] + second["results"]:
        assert_valid(ninjs_validator, item)


def headlines_of(response):
    return [item["headlines"][0]["value"] for item in response.json()["results"]]


@pytest.fixture
def five_stories(politics, settings):
    """Story 1 (oldest) to Story 5 (newest), two a page."""
    settings.NEWSROOM_API_PAGE_SIZE = 2
    for n in range(1, 6):
        ArticleFactory(
            section=politics,
            headline=f"Story {n}",
            publish_at=timezone.now() - timedelta(hours=10 - n),
        )


def test_next_and_previous_walk_the_whole_list_and_back(client, five_stories):
    pages, url = [], LIST
    while url:
        response = client.get(url)
        assert response.json()["count"] == 5
        pages.append(headlines_of(response))
        url, back = response.json()["next"], response.json()["previous"]
    assert pages == [["Story 5", "Story 4"], ["Story 3", "Story 2"], ["Story 1"]]
    walked_back = []
    while back:
        response = client.get(back)
        walked_back.append(headlines_of(response))
        back = response.json()["previous"]
    assert walked_back == [["Story 3", "Story 2"], ["Story 5", "Story 4"]]


def test_a_story_published_mid_walk_does_not_repeat_one_on_the_next_page(
    client, five_stories, politics
):
    first = client.get(LIST).json()
    ArticleFactory(section=politics, headline="Story 6")
    # Counted by position, page 2 would now start with Story 4 again.
    assert headlines_of(client.get(first["next"])) == ["Story 3", "Story 2"]


def test_numbered_pages_still_answer_and_link_on_by_cursor(client, five_stories):
    second = client.get(LIST, {"page": 2}).json()
    assert [i["headlines"][0]["value"] for i in second["results"]] == ["Story 3", "Story 2"]
    assert "before=" in second["next"] and "page=" not in second["next"]
    assert headlines_of(client.get(second["next"])) == ["Story 1"]
    assert headlines_of(client.get(second["previous"])) == ["Story 5", "Story 4"]


def test_cursor_links_keep_the_filters(client, five_stories, world):
    ArticleFactory(section=world, headline="Summit opens")
    first = client.get(LIST, {"section": "politics"}).json()
    assert "section=politics" in first["next"]
    assert headlines_of(client.get(first["next"])) == ["Story 3", "Story 2"]


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ({"before": "yesterday"}, 404, "No such page"),
        ({"after": "2026-01-01T00:00:00.000000Z.0"}, 404, "No such page"),
        ({"page": "2", "before": "2026-01-01T00:00:00.000000Z.1"}, 400, "not both"),
    ],
)
def test_bad_cursors_answer_with_a_json_error(client, five_stories, query, status, message):
    response = client.get(LIST, query)
    assert response.status_code == status
    assert message in response.json()["error"]


def test_a_deep_page_costs_the_queries_of_the_first(
    client, politics, settings, django_assert_num_queries
):
    settings.NEWSROOM_API_PAGE_SIZE = 1
    for n in range(30):
        ArticleFactory(section=politics, publish_at=timezone.now() - timedelta(minutes=n + 1))
    url, first_queries = LIST, None
    for depth in range(25):
        with CaptureQueriesContext(connection) as queries:
            url = client.get(url).json()["next"]
        first_queries = first_queries or len(queries)
        assert len(queries) == first_queries, depth
    assert not [q["sql"] for q in queries.captured_queries if "OFFSET" in q["sql"].upper()]


def test_list_filters_by_section(client, politics, world):
    ArticleFactory(section=politics, headline="Sejm votes")
    ArticleFactory(section=world, headline="Summit opens")
    results = client.get(LIST, {"section": "world"}).json()["results"]
    assert [i["headlines"][0]["value"] for i in results] == ["Summit opens"]


def test_list_filters_by_updated_since(client, politics):
    old = ArticleFactory(section=politics, headline="Old news")
    Article.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=2))
    ArticleFactory(section=politics, headline="Fresh news")
    since = (timezone.now() - timedelta(days=1)).isoformat()
    results = client.get(LIST, {"updated_since": since}).json()["results"]
    assert [i["headlines"][0]["value"] for i in results] == ["Fresh news"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"updated_since": "yesterday"}, "updated_since must be an ISO 8601 date-time"),
        ({"updated_since": "2026-11-27T08:00:00"}, "with a time zone"),
        ({"section": "no-such-section"}, "Unknown section"),
        ({"section": "wire"}, "Unknown section"),
        ({"page": "two"}, "page must be a whole number"),
    ],
)
def test_bad_query_values_answer_400_with_a_json_error(client, query, message):
    response = client.get(LIST, query)
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_unpublished_article_answers_404_in_json(client, politics):
    draft = ArticleFactory(section=politics, draft=True)
    response = client.get(detail(draft))
    assert response.status_code == 404
    assert response.json() == {"error": "No such article."}


def test_unchanged_list_answers_304_to_etag_and_last_modified(client, wire_article):
    response = client.get(LIST)
    etag, last_modified = response["ETag"], response["Last-Modified"]
    assert last_modified == http_date(wire_article.publish_at.timestamp())
    assert client.get(LIST, headers={"if-none-match": etag}).status_code == 304
    assert client.get(LIST, headers={"if-modified-since": last_modified}).status_code == 304


def test_list_is_not_304_to_if_modified_since_after_an_article_is_withdrawn(
    client, wire_article, editor
):
    ArticleFactory(section=wire_article.section, headline="Stays")
    last_modified = client.get(LIST)["Last-Modified"]
    with time_machine.travel(timezone.now() + timedelta(minutes=5), tick=False):
        workflow.article_unpublish(article=wire_article, user=editor)
        response = client.get(LIST, headers={"if-modified-since": last_modified})
    assert response.status_code == 200
    assert [item["headlines"][0]["value"] for item in response.json()["results"]] == ["Stays"]


def test_list_etag_changes_when_an_article_goes_live(client, wire_article):
    etag = client.get(LIST)["ETag"]
    ArticleFactory(section=wire_article.section, headline="Breaking")
    response = client.get(LIST, headers={"if-none-match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_edited_article_is_no_longer_304(client, wire_article):
    response = client.get(detail(wire_article))
    etag = response["ETag"]
    assert client.get(detail(wire_article), headers={"if-none-match": etag}).status_code == 304
    wire_article.headline = "Kremlin talks end; new round set"
    wire_article.save()
    response = client.get(detail(wire_article), headers={"if-none-match": etag})
    assert response.status_code == 200
    assert response.json()["headlines"][0]["value"] == "Kremlin talks end; new round set"


def test_list_costs_the_same_queries_for_many_articles(
    client, politics, django_assert_max_num_queries
):
    source = SourceFactory(name="PAP")
    for n in range(12):
        article = ArticleFactory(section=politics, photo=PhotoFactory())
        article.tags.add(f"tag {n}", "budget")
        article.source_links.create(source=source, position=1)
    # Conditional-request state (list and last withdrawal), count, page, then renditions,
    # sources, tags, authors and corrections prefetched.
    with django_assert_max_num_queries(9):
        response = client.get(LIST)
    assert len(response.json()["results"]) == 12


def test_detail_costs_a_constant_number_of_queries(
    client, wire_article, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        assert client.get(detail(wire_article)).status_code == 200
