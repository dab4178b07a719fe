"""Live coverage: editors open and close it, journalists post, readers follow without reloading."""

import json
import re
from datetime import timedelta

import feedparser
import jsonschema
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.live import services
from articles.models import Article, LiveEntry, LiveEntryChange
from tests.factories import ArticleFactory, LiveEntryFactory, PhotoFactory, live_blog

pytestmark = pytest.mark.django_db

PAYLOAD = '<p>Vote counted</p><script>alert(1)</script><img src=x onerror="alert(2)">'


@pytest.fixture
def blog(politics):
    return live_blog(section=politics, headline="Budget vote: live")


def entry_texts(html):
    return re.findall(
        r'<li class="live-entry[^"]*" id="entry-\d+">.*?<div class="body"><p>([^<]*)</p>',
        html,
        re.S,
    )


def updates_url(article):
    return f"/live/{article.pk}/"


def post_entry_in_admin(client, article, body, **extra):
    return client.post(
        "/admin/articles/liveentry/add/", {"article": article.pk, "body": body, **extra}
    )


def test_an_editor_opens_coverage_and_a_journalists_entry_goes_up_at_once(
    editor_client, journalist_client, client, politics
):
    article = ArticleFactory(section=politics, headline="Budget vote")
    response = editor_client.post(
        "/admin/articles/article/",
        {"action": "open_live_coverage", "_selected_action": [article.pk]},
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.coverage_is_open
    assert post_entry_in_admin(journalist_client, article, "<p>Doors open.</p>").status_code == 302
    assert post_entry_in_admin(journalist_client, article, "<p>First vote.</p>").status_code == 302
    page = client.get(article.get_absolute_url()).content.decode()
    assert entry_texts(page) == ["First vote.", "Doors open."]
    assert "js/live_updates.js" in page
    posted = LiveEntryChange.objects.filter(action="posted")
    assert [change.user.username for change in posted] == ["jola", "jola"]


def test_journalists_may_not_open_or_close_coverage(journalist_client, journalist, politics):
    article = ArticleFactory(section=politics, created_by=journalist)
    journalist_client.post(
        "/admin/articles/article/",
        {"action": "open_live_coverage", "_selected_action": [article.pk]},
    )
    article.refresh_from_db()
    assert not article.is_live_blog
    with pytest.raises(services.PermissionDenied):
        services.open_coverage(article=article, user=journalist)


def test_an_entry_to_an_article_not_covered_live_is_refused(journalist_client, politics):
    article = ArticleFactory(section=politics)
    response = post_entry_in_admin(journalist_client, article, "<p>Too early.</p>")
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not LiveEntry.objects.exists()


def test_entries_are_refused_once_coverage_is_closed(editor, journalist_client, blog):
    services.close_coverage(article=blog, user=editor)
    response = post_entry_in_admin(journalist_client, blog, "<p>Late.</p>")
    assert response.status_code == 200
    assert not LiveEntry.objects.exists()


def test_an_editor_corrects_an_entry_and_the_old_text_is_kept(editor_client, editor, client, blog):
    entry = LiveEntryFactory(article=blog, body="<p>Vote lost 230 to 220.</p>")
    response = editor_client.post(
        f"/admin/articles/liveentry/{entry.pk}/change/",
        {"body": "<p>Vote won 230 to 220.</p>", "is_key_event": "on"},
    )
    assert response.status_code == 302
    page = client.get(blog.get_absolute_url()).content.decode()
    assert entry_texts(page) == ["Vote won 230 to 220."]
    change = LiveEntryChange.objects.get(action="corrected")
    assert change.user == editor
    assert change.previous_body == "<p>Vote lost 230 to 220.</p>"


def test_an_editor_hides_an_entry_and_readers_no_longer_see_it(
    editor_client, editor, client, blog
):
    kept = LiveEntryFactory(article=blog, body="<p>Kept.</p>")
    hidden = LiveEntryFactory(article=blog, body="<p>Wrong name.</p>")
    editor_client.post(
        "/admin/articles/liveentry/",
        {"action": "hide_selected", "_selected_action": [hidden.pk]},
    )
    page = client.get(blog.get_absolute_url()).content.decode()
    assert entry_texts(page) == ["Kept."]
    assert "Wrong name." not in client.get(updates_url(blog)).content.decode()
    assert LiveEntryChange.objects.get(action="hidden").user == editor
    assert kept.hidden_at is None


def test_journalists_may_not_correct_or_hide_entries(journalist_client, journalist, blog):
    entry = LiveEntryFactory(article=blog, body="<p>As posted.</p>")
    response = journalist_client.post(
        f"/admin/articles/liveentry/{entry.pk}/change/", {"body": "<p>Changed.</p>"}
    )
    assert response.status_code == 403
    journalist_client.post(
        "/admin/articles/liveentry/",
        {"action": "hide_selected", "_selected_action": [entry.pk]},
    )
    entry.refresh_from_db()
    assert entry.body == "<p>As posted.</p>"
    assert entry.hidden_at is None


@pytest.mark.parametrize("url", ["/admin/articles/liveentry/", "/admin/articles/liveentry/add/"])
def test_anonymous_visitors_are_sent_to_log_in_from_live_entries(client, url):
    assert client.get(url)["Location"].startswith("/admin/login/")


def test_key_events_are_summarised_at_the_top(client, blog):
    now = timezone.now()
    LiveEntryFactory(
        article=blog, body="<p>Debate opens.</p>", posted_at=now - timedelta(minutes=9)
    )
    LiveEntryFactory(
        article=blog,
        body="<p>Budget passes by ten votes.</p>",
        is_key_event=True,
        posted_at=now - timedelta(minutes=5),
    )
    page = client.get(blog.get_absolute_url()).content.decode()
    key_events = page[page.index('id="key-events-heading"') : page.index('class="live-entries"')]
    assert "Budget passes by ten votes." in key_events
    assert "Debate opens." not in key_events


def test_a_waiting_reader_gets_304_for_one_query_until_an_entry_arrives(client, editor, blog):
    LiveEntryFactory(article=blog, body="<p>Doors open.</p>")
    first = client.get(updates_url(blog))
    assert first.status_code == 200
    assert "Doors open." in first.content.decode()
    etag = first["ETag"]
    with CaptureQueriesContext(connection) as queries:
        again = client.get(updates_url(blog), headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert len(queries) == 1
    services.post_entry(article=blog, user=editor, body="<p>First vote.</p>")
    fresh = client.get(updates_url(blog), headers={"If-None-Match": etag})
    assert fresh.status_code == 200
    assert fresh["ETag"] != etag
    assert entry_texts(fresh.content.decode()) == ["First vote.", "Doors open."]


def test_hiding_an_entry_changes_the_answer_to_waiting_readers(client, editor, blog):
    entry = LiveEntryFactory(article=blog)
    etag = client.get(updates_url(blog))["ETag"]
    services.hide_entry(entry=entry, user=editor)
    assert client.get(updates_url(blog), headers={"If-None-Match": etag}).status_code == 200


def test_the_page_carries_live_blog_posting_structured_data(client, editor, blog):
    LiveEntryFactory(article=blog, body="<p>Budget passes.</p>")
    page = client.get(blog.get_absolute_url()).content.decode()
    data = structured(page, "LiveBlogPosting")
    assert data["coverageStartTime"].startswith(str(blog.coverage_started_at.year))
    assert "coverageEndTime" not in data
    [update] = data["liveBlogUpdate"]
    assert update["@type"] == "BlogPosting"
    assert update["articleBody"] == "Budget passes."

    services.close_coverage(article=blog, user=editor)
    page = client.get(blog.get_absolute_url()).content.decode()
    assert "coverageEndTime" in structured(page, "LiveBlogPosting")
    assert "Live coverage ended" in page
    assert "js/live_updates.js" not in page
    assert entry_texts(page) == ["Budget passes."]


def structured(page, kind):
    for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S):
        data = json.loads(block)
        if data.get("@type") == kind:
            return data
    raise AssertionError(f"no {kind} on the page")


def test_feeds_carry_the_entries(client, blog):
    LiveEntryFactory(article=blog, body="<p>Budget passes.</p>")
    LiveEntryFactory(article=blog, body="<p>Hidden mistake.</p>", hidden_at=timezone.now())
    for url in ("/feeds/rss/", "/feeds/atom/", "/feeds/sections/politics/rss/"):
        feed = feedparser.parse(client.get(url).content)
        [item] = [entry for entry in feed.entries if entry.title == "Budget vote: live"]
        description = item.get("summary", "")
        assert "Budget passes." in description, url
        assert "Hidden mistake." not in description, url


@pytest.fixture(scope="module")
def ninjs_validator(wire_samples):
    schema = json.loads((wire_samples / "ninjs/schema/ninjs-schema_2.2.json").read_text())
    return jsonschema.Draft202012Validator(schema)


def test_the_ninjs_api_carries_the_entries(client, blog, ninjs_validator):
    entry = LiveEntryFactory(article=blog, body="<p>Budget passes.</p>", is_key_event=True)
    LiveEntryFactory(article=blog, body="<p>Hidden mistake.</p>", hidden_at=timezone.now())
    item = client.get(f"/api/articles/{blog.pk}/").json()
    assert list(ninjs_validator.iter_errors(item)) == []
    [association] = [a for a in item["associations"] if a["type"] == "text"]
    assert association["name"] == f"entry-{entry.pk}"
    assert association["bodies"][0]["value"] == "<p>Budget passes.</p>"
    assert association["genres"] == [{"name": "Key event", "literal": "key-event"}]
    listed = client.get("/api/articles/").json()["results"]
    assert "Hidden mistake." not in json.dumps(listed)
    assert "Budget passes." in json.dumps(listed)


def test_a_new_entry_moves_the_api_version_on(client, editor, blog):
    etag = client.get(f"/api/articles/{blog.pk}/")["ETag"]
    services.post_entry(article=blog, user=editor, body="<p>New.</p>")
    response = client.get(f"/api/articles/{blog.pk}/", headers={"If-None-Match": etag})
    assert response.status_code == 200


def test_entry_html_is_sanitised_everywhere_readers_see_it(client, editor, blog):
    services.post_entry(article=blog, user=editor, body=PAYLOAD)
    for url in (
        blog.get_absolute_url(),
        updates_url(blog),
        "/feeds/rss/",
        "/feeds/atom/",
        f"/api/articles/{blog.pk}/",
    ):
        content = client.get(url).content.decode()
        assert "Vote counted" in content, url
        assert "<script>alert(1)" not in content, url
        assert "onerror" not in content, url


def test_a_hidden_live_blog_has_no_live_coverage(client, politics):
    draft = live_blog(section=politics, draft=True)
    LiveEntryFactory(article=draft, body="<p>Secret plan.</p>")
    assert client.get(updates_url(draft)).status_code == 404


@pytest.mark.parametrize("count", [2, 20])
def test_a_live_article_page_costs_the_same_however_many_entries(
    client, blog, django_assert_max_num_queries, count
):
    for i in range(count):
        LiveEntryFactory(article=blog, photo=PhotoFactory() if i % 2 else None)
    # The article page's twelve, plus the entries and their photos' renditions.
    with django_assert_max_num_queries(14):
        assert client.get(blog.get_absolute_url()).status_code == 200


def test_a_closed_live_blog_stays_a_live_blog_with_its_entries(editor, politics):
    article = ArticleFactory(section=politics)
    services.open_coverage(article=article, user=editor)
    services.close_coverage(article=article, user=editor)
    article.refresh_from_db()
    assert article.coverage_ended_at is not None
    assert Article.objects.get(pk=article.pk).is_live_blog
