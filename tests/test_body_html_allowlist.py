"""Every path that stores or shows an article body goes through the one HTML allowlist.

A journalist's pending edit to a live article is read by editors in previews: a `<script>`
or an `onerror=` in it would run with the editor's session.
"""

import pytest
from django.urls import reverse

from articles.desk import workflow
from articles.desk.revisions import snapshot_article
from articles.models import Article, FeedEntry, Revision
from articles.wire.feeds import entry_to_draft
from articles.wire.files import ingest_bytes
from tests.factories import ArticleFactory, SourceFactory
from tests.test_workflow_admin import change_url, form_data

pytestmark = pytest.mark.django_db

PAYLOAD = (
    "<p>Budget passes.</p>"
    "<script>document.title='pwned'</script>"
    '<img src="x" onerror="document.title=\'pwned\'">'
    '<p onclick="steal()">Clean <a href="javascript:alert(1)">link</a></p>'
)


def assert_harmless(html):
    assert "<script" not in html
    assert "onerror" not in html
    assert "onclick" not in html
    assert "javascript:" not in html
    assert "pwned" not in html


@pytest.fixture
def live_article(journalist, politics):
    article = ArticleFactory(
        section=politics, created_by=journalist, headline="Budget passes", body="<p>Old.</p>"
    )
    workflow.article_save(article=article, user=journalist)
    return article


def test_journalists_pending_edit_is_stored_without_script(journalist_client, live_article):
    data = form_data(journalist_client, change_url(live_article))
    response = journalist_client.post(change_url(live_article), {**data, "body": PAYLOAD})
    assert response.status_code == 302
    live_article.refresh_from_db()
    pending = live_article.pending_revision.data["body"]
    assert_harmless(pending)
    assert "<p>Budget passes.</p>" in pending


def test_draft_saved_from_the_form_is_stored_without_script(
    journalist_client, journalist, politics
):
    data = {
        "headline": "Council meets",
        "section": politics.pk,
        "body": PAYLOAD,
        "authors": [journalist.pk],
        "source_links-TOTAL_FORMS": "0",
        "source_links-INITIAL_FORMS": "0",
        "_workflow": "save",
    }
    assert journalist_client.post(reverse("admin:articles_article_add"), data).status_code == 302
    article = Article.objects.get()
    assert_harmless(article.body)
    assert_harmless(article.revisions.get().data["body"])


def test_a_revision_saved_through_the_workflow_is_stored_without_script(journalist, live_article):
    data = {**snapshot_article(live_article), "body": PAYLOAD}
    revision = workflow.article_save(article=live_article, user=journalist, data=data)
    revision.refresh_from_db()
    assert_harmless(revision.data["body"])


@pytest.fixture
def poisoned_revision(live_article, journalist):
    """A revision row written before the allowlist covered revisions."""
    revision = workflow.article_save(article=live_article, user=journalist, summary="old row")
    Revision.objects.filter(pk=revision.pk).update(
        data={**revision.data, "headline": "Poisoned", "body": PAYLOAD}
    )
    revision.refresh_from_db()
    return revision


def test_staff_preview_of_an_old_unsanitised_revision_runs_no_script(
    editor_client, live_article, poisoned_revision
):
    url = reverse(
        "admin:articles_article_preview_revision", args=[live_article.pk, poisoned_revision.pk]
    )
    html = editor_client.get(url).content.decode()
    assert "<h1>Poisoned</h1>" in html
    assert_harmless(html)


def test_shared_preview_link_of_an_old_unsanitised_revision_runs_no_script(
    editor_client, client, live_article, poisoned_revision
):
    response = editor_client.post(
        reverse(
            "admin:articles_article_share_revision", args=[live_article.pk, poisoned_revision.pk]
        )
    )
    link = response.context["link"].replace("http://testserver", "")
    html = client.get(link).content.decode()
    assert "<h1>Poisoned</h1>" in html
    assert_harmless(html)


def test_comparing_with_an_unsanitised_revision_shows_text_not_markup(
    editor_client, live_article, poisoned_revision
):
    first = live_article.revisions.order_by("created_at", "id").first()
    url = reverse("admin:articles_article_compare", args=[live_article.pk])
    html = editor_client.get(url, {"a": first.pk, "b": poisoned_revision.pk}).content.decode()
    assert "Budget passes." in html
    assert "<script>document" not in html
    assert "onerror" not in html
    assert "pwned" not in html  # what a script holds is not copy either


def test_restoring_an_unsanitised_revision_restores_it_without_script(
    editor, live_article, poisoned_revision
):
    restored = workflow.revision_restore(revision=poisoned_revision, user=editor)
    restored.refresh_from_db()
    assert_harmless(restored.data["body"])
    live_article.refresh_from_db()
    workflow.article_publish(article=live_article, user=editor)
    live_article.refresh_from_db()
    assert live_article.headline == "Poisoned"
    assert_harmless(live_article.body)


def test_wire_copy_is_stored_without_script(politics):
    ninjs = (
        b'{"uri": "urn:agency:xss-1", "type": "text", "version": "1",'
        b' "headlines": [{"role": "main", "value": "Wire story"}],'
        b' "bodies": [{"role": "main", "contenttype": "text/html", "value": '
        b'"<p>Budget passes.</p><script>document.title=1</script>'
        b'<img src=x onerror=alert(1)>"}]}'
    )
    [outcome] = ingest_bytes(ninjs, name="xss.json")
    assert outcome.status == "imported", outcome
    article = Article.objects.get(headline="Wire story")
    assert article.body == "<p>Budget passes.</p>"
    assert article.wire_items.get().body == "<p>Budget passes.</p>"


def test_feed_entry_and_its_draft_are_stored_without_script(admin_user):
    source = SourceFactory(name="abcnews.go.com")
    entry = FeedEntry.objects.create(
        source=source, guid="abc-1", title="Feed story", summary=PAYLOAD
    )
    entry.refresh_from_db()
    assert_harmless(entry.summary)
    # A row written before summaries were sanitised still makes a clean draft.
    FeedEntry.objects.filter(pk=entry.pk).update(summary=PAYLOAD)
    entry.refresh_from_db()
    article = entry_to_draft(entry, user=admin_user)
    assert_harmless(article.body)
    assert_harmless(article.standfirst)
