"""Preview links an editor shares stop working when the article is withdrawn or the link revoked.

Editors see every link shared for an article on its history page, and revoke each one.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.desk import workflow
from articles.models import PreviewLink
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(journalist, politics):
    article = ArticleFactory(section=politics, created_by=journalist, headline="Budget passes")
    workflow.article_save(article=article, user=journalist)
    return article


@pytest.fixture
def link(editor_client, article):
    revision = article.revisions.first()
    response = editor_client.post(
        reverse("admin:articles_article_share_revision", args=[article.pk, revision.pk])
    )
    return response.context["link"].replace("http://testserver", "")


def history(client, article):
    return client.get(reverse("admin:articles_article_history", args=[article.pk]))


def revoke_url(article, preview_link):
    return reverse(
        "admin:articles_article_revoke_preview_link", args=[article.pk, preview_link.pk]
    )


def test_link_stops_working_when_the_article_is_unpublished(client, link, article, editor):
    assert client.get(link).status_code == 200
    workflow.article_unpublish(article=article, user=editor)
    assert client.get(link).status_code == 404


def test_link_stays_dead_when_the_article_is_published_again(client, link, article, editor):
    workflow.article_unpublish(article=article, user=editor)
    workflow.article_publish(article=article, user=editor)
    assert client.get(link).status_code == 404


def test_link_stops_working_when_the_article_goes_to_the_trash(client, link, article, editor):
    workflow.article_trash(article=article, user=editor)
    assert client.get(link).status_code == 404
    workflow.article_restore(article=article, user=editor)
    assert client.get(link).status_code == 404


def test_link_to_a_draft_works_until_the_draft_is_trashed(editor_client, client, editor, politics):
    draft = ArticleFactory(section=politics, draft=True, headline="Tram fares frozen")
    revision = workflow.article_save(article=draft, user=editor)
    response = editor_client.post(
        reverse("admin:articles_article_share_revision", args=[draft.pk, revision.pk])
    )
    link = response.context["link"].replace("http://testserver", "")
    assert "<h1>Tram fares frozen</h1>" in client.get(link).content.decode()
    workflow.article_trash(article=draft, user=editor)
    assert client.get(link).status_code == 404


def test_editor_sees_the_shared_links_on_the_history_page(editor_client, link, article, editor):
    html = history(editor_client, article).content.decode()
    shared = PreviewLink.objects.get()
    assert "Preview links" in html
    assert f'action="{revoke_url(article, shared)}"' in html
    assert editor.get_full_name() in html


def test_editor_revokes_a_link_and_it_stops_working(editor_client, client, link, article, editor):
    shared = PreviewLink.objects.get()
    response = editor_client.post(revoke_url(article, shared))
    assert response.status_code == 302
    assert client.get(link).status_code == 404
    shared.refresh_from_db()
    assert (shared.revoked_by, shared.revoked_at is not None) == (editor, True)
    assert "Revoked" in history(editor_client, article).content.decode()


def test_other_links_keep_working_when_one_is_revoked(editor_client, client, link, article):
    revision = article.revisions.first()
    second = (
        editor_client.post(
            reverse("admin:articles_article_share_revision", args=[article.pk, revision.pk])
        )
        .context["link"]
        .replace("http://testserver", "")
    )
    first = PreviewLink.objects.order_by("id").first()
    editor_client.post(revoke_url(article, first))
    assert client.get(link).status_code == 404
    assert client.get(second).status_code == 200


def test_anonymous_visitor_cannot_revoke_a_link(client, link, article):
    shared = PreviewLink.objects.get()
    response = client.post(revoke_url(article, shared))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert client.get(link).status_code == 200


def test_journalist_cannot_revoke_or_see_the_links(journalist_client, client, link, article):
    shared = PreviewLink.objects.get()
    assert journalist_client.post(revoke_url(article, shared)).status_code == 403
    assert client.get(link).status_code == 200
    assert "Preview links" not in history(journalist_client, article).content.decode()


def test_revoking_needs_a_post(editor_client, client, link, article):
    shared = PreviewLink.objects.get()
    assert editor_client.get(revoke_url(article, shared)).status_code in {403, 405}
    assert client.get(link).status_code == 200


def test_a_link_of_another_article_cannot_be_revoked_through_this_one(
    editor_client, client, link, article, politics
):
    other = ArticleFactory(section=politics)
    shared = PreviewLink.objects.get()
    assert editor_client.post(revoke_url(other, shared)).status_code == 404
    assert client.get(link).status_code == 200


def test_history_lists_links_in_the_same_queries_for_one_link_or_five(
    editor_client, article, editor
):
    revision = article.revisions.first()

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert history(editor_client, article).status_code == 200
        return len(captured)

    workflow.preview_link_share(revision=revision, user=editor)
    one = queries()
    for _ in range(4):
        workflow.preview_link_share(revision=revision, user=editor)
    assert queries() == one
