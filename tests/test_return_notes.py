"""The editor's "Return to author" note reaches the journalist, until they submit again."""

import pytest
from django.urls import reverse

from articles.desk import workflow
from articles.desk.revisions import snapshot_article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")
NOTE = "Needs a second source for the <b>Łódź</b> figures."
NOTE_AS_SHOWN = "Needs a second source for the &lt;b&gt;Łódź&lt;/b&gt; figures."


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


@pytest.fixture
def returned(journalist, editor, politics):
    article = ArticleFactory(section=politics, draft=True, created_by=journalist)
    workflow.article_submit(article=article, user=journalist)
    workflow.article_return(article=article, user=editor, note=NOTE)
    return article


def test_journalist_sees_the_return_note_on_the_article_form(journalist_client, returned):
    html = journalist_client.get(change_url(returned)).content.decode()
    assert "Returned to author by" in html
    assert NOTE_AS_SHOWN in html
    assert "<b>Łódź</b>" not in html


def test_journalist_sees_the_return_note_in_the_article_list(journalist_client, returned):
    html = journalist_client.get(CHANGELIST).content.decode()
    assert NOTE_AS_SHOWN in html


def test_the_note_is_gone_once_the_article_is_submitted_again(
    journalist_client, returned, journalist
):
    workflow.article_submit(article=returned, user=journalist)
    assert NOTE_AS_SHOWN not in journalist_client.get(change_url(returned)).content.decode()
    assert NOTE_AS_SHOWN not in journalist_client.get(CHANGELIST).content.decode()


def test_a_note_on_returned_changes_to_a_live_article_is_shown_too(
    journalist_client, journalist, editor, politics
):
    article = ArticleFactory(section=politics, created_by=journalist)
    article.authors.add(journalist)
    workflow.article_save(
        article=article, user=journalist, data={**snapshot_article(article), "headline": "New"}
    )
    workflow.article_submit(article=article, user=journalist)
    workflow.article_return(article=article, user=editor, note="Keep the old headline.")
    assert "Keep the old headline." in journalist_client.get(CHANGELIST).content.decode()
    assert "Keep the old headline." in journalist_client.get(change_url(article)).content.decode()


def test_the_article_list_costs_the_same_queries_with_return_notes(
    journalist_client, journalist, editor, politics, django_assert_max_num_queries
):
    for n in range(8):
        article = ArticleFactory(section=politics, draft=True, created_by=journalist)
        workflow.article_submit(article=article, user=journalist)
        workflow.article_return(article=article, user=editor, note=f"Fix paragraph {n}.")
    with django_assert_max_num_queries(12) as counted:
        html = journalist_client.get(CHANGELIST).content.decode()
    assert all(f"Fix paragraph {n}." in html for n in range(8))
    few = len(counted.captured_queries)
    for n in range(8, 16):
        article = ArticleFactory(section=politics, draft=True, created_by=journalist)
        workflow.article_submit(article=article, user=journalist)
        workflow.article_return(article=article, user=editor, note=f"Fix paragraph {n}.")
    with django_assert_max_num_queries(few):
        journalist_client.get(CHANGELIST)
