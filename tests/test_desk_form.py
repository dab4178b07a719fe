"""The article form and its pages say what will happen: labels, trash, restore, history."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.desk import workflow
from articles.desk.revisions import snapshot_article
from articles.models import Article, ArticleStatus, WorkflowState
from tests.conftest import staff_member
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

HOSTILE = '<img src=x onerror="alert(1)">Mayor <b>resigns</b>'
HOSTILE_AS_SHOWN = "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;Mayor &lt;b&gt;resigns&lt;/b&gt;"


def url(name, *args):
    return reverse(f"admin:articles_article_{name}", args=args)


def buttons(html):
    """The workflow bar's buttons as (value, label, emphasised)."""
    found = re.findall(
        r'<button type="submit" name="_workflow" value="(\w+)"([^>]*)>([^<]+)<', html
    )
    return [(value, label.strip(), "main-action" in attrs) for value, attrs, label in found]


@pytest.fixture
def own_draft(journalist, politics):
    return ArticleFactory(section=politics, draft=True, created_by=journalist, headline="Tram")


@pytest.fixture
def own_live(journalist, politics):
    article = ArticleFactory(section=politics, created_by=journalist, headline="Bridge")
    article.authors.add(journalist)
    return article


# Labels and the main action.


def test_journalist_saves_a_draft_and_submit_is_the_main_action(journalist_client, own_draft):
    html = journalist_client.get(url("change", own_draft.pk)).content.decode()
    assert buttons(html) == [
        ("save", "Save draft", False),
        ("submit", "Submit for review", True),
    ]


def test_on_a_live_article_save_says_changes_go_to_review(journalist_client, own_live):
    html = journalist_client.get(url("change", own_live.pk)).content.decode()
    assert buttons(html) == [("save", "Save changes for review", True)]
    assert "Save draft" not in html


def test_editor_sees_publish_as_the_main_action(editor_client, own_draft):
    html = editor_client.get(url("change", own_draft.pk)).content.decode()
    emphasised = [label for _, label, main in buttons(html) if main]
    assert emphasised == ["Publish"]


def test_workflow_buttons_sit_in_the_sticky_bar(editor_client, own_draft):
    html = editor_client.get(url("change", own_draft.pk)).content.decode()
    assert 'class="submit-row workflow-bar"' in html


def test_journalist_never_sees_help_meant_for_editors(journalist_client, own_draft):
    html = journalist_client.get(url("change", own_draft.pk)).content.decode()
    assert "Required when returning it to its author" not in html
    assert "Left blank, it is set on publishing" not in html
    assert "editors see it with your submission" in html


def test_editor_keeps_the_help_about_returning_and_publish_time(editor_client, own_draft):
    html = editor_client.get(url("change", own_draft.pk)).content.decode()
    assert "Required when returning it to its author" in html
    assert "Left blank, it is set on publishing" in html


def test_journalist_still_sees_when_their_article_goes_live(
    journalist_client, journalist, politics
):
    article = ArticleFactory(section=politics, created_by=journalist)
    html = journalist_client.get(url("change", article.pk)).content.decode()
    assert 'class="form-row field-publish_time"' in html
    assert 'name="publish_at"' not in html


# Moving to the trash, and restoring.


def test_trash_confirmation_speaks_the_newsrooms_words(editor_client, politics):
    article = ArticleFactory(section=politics, headline=HOSTILE)
    html = editor_client.get(url("delete", article.pk)).content.decode()
    assert "moves to the trash; you can restore it" in html
    assert "All of the following related items will be deleted" not in html
    assert 'value="Move to trash"' in html
    assert HOSTILE_AS_SHOWN in html
    assert 'onerror="alert(1)"' not in html


def test_confirming_moves_to_the_trash_and_nothing_is_deleted(editor_client, politics):
    article = ArticleFactory(section=politics)
    response = editor_client.post(url("delete", article.pk), {"post": "yes"})
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).workflow_state == WorkflowState.TRASH


def test_journalist_cannot_open_the_trash_confirmation(journalist_client, own_draft):
    assert journalist_client.get(url("delete", own_draft.pk)).status_code == 403


@pytest.fixture
def trashed_live(editor, politics):
    article = ArticleFactory(section=politics, headline=HOSTILE)
    workflow.article_trash(article=article, user=editor)
    return article


@pytest.fixture
def trash_keeper(db):
    """Someone allowed to delete and restore, but not to publish."""
    user = staff_member("tomasz", "Journalists")
    user.user_permissions.add(Permission.objects.get(codename="delete_article"))
    return user


def test_trash_asks_whether_a_live_article_goes_back_live_or_as_a_draft(
    editor_client, trashed_live
):
    html = editor_client.get(url("trash")).content.decode()
    assert "Restore live" in html
    assert "Restore as a draft" in html
    assert HOSTILE_AS_SHOWN in html
    assert 'onerror="alert(1)"' not in html


def test_editor_restores_a_live_article_live(editor_client, trashed_live):
    response = editor_client.post(url("restore", trashed_live.pk), {"restore_as": "as_it_was"})
    assert response.status_code == 302
    trashed_live.refresh_from_db()
    assert trashed_live.workflow_state == WorkflowState.PUBLISHED
    assert Article.objects.published().filter(pk=trashed_live.pk).exists()


def test_editor_restores_a_live_article_as_a_draft(editor_client, trashed_live):
    editor_client.post(url("restore", trashed_live.pk), {"restore_as": "draft"})
    trashed_live.refresh_from_db()
    assert trashed_live.workflow_state == WorkflowState.DRAFT
    assert not Article.objects.published().filter(pk=trashed_live.pk).exists()


def test_someone_who_may_not_publish_sees_only_restore_as_draft(
    client, trash_keeper, trashed_live
):
    client.force_login(trash_keeper)
    html = client.get(url("trash")).content.decode()
    assert "Restore as a draft" in html
    assert "Restore live" not in html


def test_someone_who_may_not_publish_cannot_restore_live_by_forging_the_form(
    client, trash_keeper, trashed_live
):
    client.force_login(trash_keeper)
    response = client.post(url("restore", trashed_live.pk), {"restore_as": "as_it_was"})
    assert response.status_code == 403
    trashed_live.refresh_from_db()
    assert trashed_live.workflow_state == WorkflowState.TRASH
    client.post(url("restore", trashed_live.pk), {"restore_as": "draft"})
    trashed_live.refresh_from_db()
    assert trashed_live.status == ArticleStatus.DRAFT
    assert trashed_live.deleted_at is None


def test_journalist_cannot_restore_at_all(journalist_client, trashed_live):
    for choice in ["as_it_was", "draft"]:
        response = journalist_client.post(url("restore", trashed_live.pk), {"restore_as": choice})
        assert response.status_code == 403
    trashed_live.refresh_from_db()
    assert trashed_live.workflow_state == WorkflowState.TRASH


def test_anonymous_restore_is_sent_to_log_in(client, trashed_live):
    response = client.post(url("restore", trashed_live.pk), {"restore_as": "draft"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    trashed_live.refresh_from_db()
    assert trashed_live.workflow_state == WorkflowState.TRASH


def test_an_unknown_restore_choice_is_refused(editor_client, trashed_live):
    response = editor_client.post(url("restore", trashed_live.pk), {"restore_as": "live!"})
    assert response.status_code == 403
    trashed_live.refresh_from_db()
    assert trashed_live.workflow_state == WorkflowState.TRASH


def test_restoring_live_through_the_workflow_needs_the_right_to_publish(
    trash_keeper, trashed_live
):
    with pytest.raises(workflow.PermissionDenied):
        workflow.article_restore(article=trashed_live, user=trash_keeper)


# History.


@pytest.fixture
def edited(journalist, editor, own_draft):
    workflow.article_save(article=own_draft, user=journalist)
    workflow.article_save(
        article=own_draft,
        user=journalist,
        data={**snapshot_article(own_draft), "headline": "Trams", "body": "<p>New.</p>"},
    )
    workflow.article_submit(article=own_draft, user=journalist)
    workflow.article_save(article=own_draft, user=editor)
    return own_draft


def changes_column(html):
    return [
        re.sub(r"<[^>]+>", " ", cell).split()
        for cell in re.findall(r'<td class="revision-changes">(.*?)</td>', html, re.S)
    ]


def test_history_says_what_each_revision_changed(journalist_client, edited):
    html = journalist_client.get(url("history", edited.pk)).content.decode()
    newest, headline_and_body, first = changes_column(html)
    assert " ".join(newest) == "Draft → In review"
    assert " ".join(headline_and_body) == "Headline, body changed"
    assert " ".join(first) == "First version"


def test_history_of_an_article_never_saved_in_the_desk_opens(editor_client, politics):
    article = ArticleFactory(section=politics)
    html = editor_client.get(url("history", article.pk)).content.decode()
    assert "No revisions yet." in html


def test_comparing_revisions_keeps_the_csrf_token_out_of_the_address(journalist_client, edited):
    html = journalist_client.get(url("history", edited.pk)).content.decode()
    compare = re.search(r'<form method="get"[^>]*>.*?</form>', html, re.S).group(0)
    assert url("compare", edited.pk) in compare
    assert "csrfmiddlewaretoken" not in compare


def test_restore_and_share_still_post_with_the_token(editor_client, edited):
    html = editor_client.get(url("history", edited.pk)).content.decode()
    actions = re.search(r'<form method="post" id="revision-actions">.*?</form>', html, re.S)
    assert "csrfmiddlewaretoken" in actions.group(0)
    assert 'form="revision-actions"' in html


def test_history_takes_the_same_queries_however_long(editor_client, journalist, own_draft):
    def count():
        with CaptureQueriesContext(connection) as queries:
            editor_client.get(url("history", own_draft.pk))
        return len(queries)

    workflow.article_save(article=own_draft, user=journalist)
    short = count()
    for n in range(8):
        workflow.article_save(
            article=own_draft,
            user=journalist,
            data={**snapshot_article(own_draft), "headline": f"Take {n}"},
        )
    assert count() == short


def test_shared_preview_link_has_a_copy_button_without_inline_script(editor_client, edited):
    revision = edited.revisions.first()
    html = editor_client.post(url("share_revision", edited.pk, revision.pk)).content.decode()
    assert 'data-copy-from="preview-link"' in html
    assert "js/copy_link.js" in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)


# The admin's name, favicon and time zone.


def test_admin_pages_carry_the_newsrooms_name_and_favicon(editor_client, settings, own_draft):
    html = editor_client.get(url("change", own_draft.pk)).content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert "The Daily Wire" in title
    assert '<link rel="icon" href="/static/img/favicon.svg"' in html
    assert finders.find("img/favicon.svg")


def test_date_fields_load_the_newsroom_time_script(editor_client, own_draft):
    html = editor_client.get(url("change", own_draft.pk)).content.decode()
    # Deferred: it runs once the page, and Django's DateTimeShortcuts.js in it, is parsed.
    assert '<script src="/static/js/newsroom_time.js" defer></script>' in html
    assert "DateTimeShortcuts.js" in html
