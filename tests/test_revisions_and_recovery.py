"""Live edits stay pending, revisions compare and restore, the trash gives back, nothing lost."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles.desk import workflow
from articles.models import Article, WorkflowState
from tests.factories import ArticleFactory, SourceFactory
from tests.test_workflow_admin import change_url, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def live_article(journalist, politics):
    article = ArticleFactory(
        section=politics, created_by=journalist, headline="Budget passes", body="<p>Old.</p>"
    )
    article.source_links.create(source=SourceFactory(name="PAP"), position=1)
    workflow.article_save(article=article, user=journalist)
    return article


def edit(client, article, **changes):
    data = form_data(client, change_url(article))
    data.update(changes)
    return client.post(change_url(article), data)


def test_journalists_edit_to_a_live_article_does_not_reach_readers(
    journalist_client, client, live_article
):
    response = edit(journalist_client, live_article, headline="Budget passes after all-nighter")
    assert response.status_code == 302
    live_article.refresh_from_db()
    assert live_article.headline == "Budget passes"
    assert live_article.workflow_state == WorkflowState.CHANGES_PENDING
    public = client.get(live_article.get_absolute_url()).content.decode()
    assert "all-nighter" not in public
    assert "Budget passes" in public


def test_pending_edit_shows_in_the_form_and_goes_through_review(
    journalist_client, editor_client, client, live_article, journalist
):
    edit(journalist_client, live_article, headline="Budget passes after all-nighter")
    form = journalist_client.get(change_url(live_article)).content.decode()
    assert 'value="Budget passes after all-nighter"' in form
    response = edit(journalist_client, live_article, _workflow="submit")
    assert response.status_code == 302
    live_article.refresh_from_db()
    assert live_article.workflow_state == WorkflowState.CHANGES_IN_REVIEW
    assert "all-nighter" not in client.get(live_article.get_absolute_url()).content.decode()
    assert edit(editor_client, live_article, _workflow="publish").status_code == 302
    live_article.refresh_from_db()
    assert live_article.headline == "Budget passes after all-nighter"
    assert live_article.workflow_state == WorkflowState.PUBLISHED
    assert "all-nighter" in client.get(live_article.get_absolute_url()).content.decode()


def test_editor_publishes_an_edit_to_a_live_article_at_once(editor_client, client, live_article):
    response = edit(
        editor_client, live_article, standfirst="Now with reaction.", _workflow="publish"
    )
    assert response.status_code == 302
    assert "Now with reaction." in client.get(live_article.get_absolute_url()).content.decode()


def test_editors_plain_save_of_a_live_article_is_pending_too(editor_client, client, live_article):
    edit(editor_client, live_article, standfirst="Not yet.")
    assert "Not yet." not in client.get(live_article.get_absolute_url()).content.decode()


def test_every_save_keeps_a_full_revision(journalist_client, live_article):
    edit(journalist_client, live_article, headline="Second wording", tags=["budget", "Sejm"])
    revision = live_article.revisions.first()
    assert revision.data["headline"] == "Second wording"
    assert revision.data["tags"] == ["budget", "Sejm"]
    assert revision.data["sources"] == [live_article.source_links.get().source_id]
    assert revision.data["section"] == live_article.section_id
    assert revision.created_by.username == "jola"


def test_history_compares_two_revisions_readably(journalist_client, live_article):
    edit(journalist_client, live_article, headline="Budget finally passes")
    old, new = live_article.revisions.order_by("created_at", "id")[:2]
    response = journalist_client.get(
        reverse("admin:articles_article_compare", args=[live_article.pk]),
        {"a": old.pk, "b": new.pk},
    )
    html = response.content.decode()
    assert "<ins>finally </ins>" in html or "<ins>finally</ins>" in html
    history = journalist_client.get(
        reverse("admin:articles_article_history", args=[live_article.pk])
    ).content.decode()
    assert "jola" in history or "Anna" in history


def test_restoring_an_old_revision_adds_a_new_one(editor_client, live_article, editor):
    live_article.headline = "Second"
    live_article.save()
    first = live_article.revisions.get()
    workflow.article_unpublish(article=live_article, user=editor)
    workflow.article_save(article=live_article, user=editor)
    count = live_article.revisions.count()
    response = editor_client.post(
        reverse("admin:articles_article_restore_revision", args=[live_article.pk, first.pk])
    )
    assert response.status_code == 302
    live_article.refresh_from_db()
    assert live_article.headline == "Budget passes"
    assert live_article.revisions.count() == count + 1
    assert live_article.revisions.filter(pk=first.pk).exists()  # history never rewritten


def test_restoring_on_a_live_article_is_pending_until_published(
    editor_client, client, live_article, editor
):
    edit(editor_client, live_article, headline="Newer", _workflow="publish")
    original = live_article.revisions.order_by("created_at", "id").first()
    editor_client.post(
        reverse("admin:articles_article_restore_revision", args=[live_article.pk, original.pk])
    )
    live_article.refresh_from_db()
    assert live_article.headline == "Newer"
    assert live_article.workflow_state == WorkflowState.CHANGES_PENDING


def test_another_journalist_cannot_read_revisions_diffs_or_previews(
    client, other_journalist, live_article, journalist_client
):
    edit(journalist_client, live_article, headline="Unpublished wording")
    revision = live_article.revisions.first()
    client.force_login(other_journalist)
    for url in (
        reverse("admin:articles_article_history", args=[live_article.pk]),
        reverse("admin:articles_article_compare", args=[live_article.pk])
        + f"?a={revision.pk}&b={revision.pk}",
        reverse("admin:articles_article_preview_revision", args=[live_article.pk, revision.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Unpublished wording" not in response.content.decode()


def test_editor_moves_to_trash_and_restores(editor_client, client, live_article):
    url = live_article.get_absolute_url()
    response = editor_client.post(
        reverse("admin:articles_article_delete", args=[live_article.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert Article.objects.filter(pk=live_article.pk).exists()
    assert client.get(url).status_code == 410
    trash = editor_client.get(reverse("admin:articles_article_trash")).content.decode()
    assert "Budget passes" in trash
    editor_client.post(reverse("admin:articles_article_restore", args=[live_article.pk]))
    assert client.get(url).status_code == 200


def test_journalist_cannot_see_the_trash_or_restore(journalist_client, live_article, editor):
    workflow.article_trash(article=live_article, user=editor)
    assert journalist_client.get(reverse("admin:articles_article_trash")).status_code == 403
    journalist_client.post(reverse("admin:articles_article_restore", args=[live_article.pk]))
    live_article.refresh_from_db()
    assert live_article.deleted_at is not None


def test_a_story_restored_from_the_trash_as_a_draft_answers_404_as_drafts_do(
    editor_client, client, live_article, editor
):
    """Trashed, it answered 410 Gone; brought back to be reworked, it is a draft like one
    taken back to draft (test_public_urls): not found for now, not gone for good."""
    workflow.article_trash(article=live_article, user=editor)
    assert client.get(live_article.get_absolute_url()).status_code == 410
    editor_client.post(
        reverse("admin:articles_article_restore", args=[live_article.pk]),
        {"restore_as": "draft"},
    )
    live_article.refresh_from_db()
    assert (live_article.workflow_state, live_article.deleted_at) == (WorkflowState.DRAFT, None)
    response = client.get(live_article.get_absolute_url())
    assert response.status_code == 404
    assert "Budget passes" not in response.content.decode()


def test_unpublished_article_answers_410_gone(client, live_article, editor):
    workflow.article_unpublish(article=live_article, user=editor)
    response = client.get(live_article.get_absolute_url())
    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()


def scheduled_story(politics, hours=1):
    return ArticleFactory(
        section=politics,
        headline="Embargoed: minister to resign",
        publish_at=timezone.now() + timedelta(hours=hours),
    )


def later(hours):
    return time_machine.travel(timezone.now() + timedelta(hours=hours), tick=False)


def test_a_story_taken_off_before_its_scheduled_time_was_never_there(client, politics, editor):
    """Unpublished before it went live: its address answers 404 as any unknown one does,
    then and after the moment it was scheduled for, never 410 "withdrawn", which would tell
    whoever guessed it that an embargoed story stood there."""
    story = scheduled_story(politics)
    workflow.article_unpublish(article=story, user=editor)
    assert client.get(story.get_absolute_url()).status_code == 404
    with later(hours=2):
        response = client.get(story.get_absolute_url())
    assert response.status_code == 404
    assert "minister" not in response.content.decode()


def test_a_story_trashed_before_its_scheduled_time_answers_404(client, politics, editor):
    story = scheduled_story(politics)
    workflow.article_trash(article=story, user=editor)
    with later(hours=2):
        assert client.get(story.get_absolute_url()).status_code == 404


def test_a_scheduled_story_restored_as_a_draft_and_trashed_later_answers_404(
    client, politics, editor
):
    story = scheduled_story(politics)
    workflow.article_trash(article=story, user=editor)
    workflow.article_restore(article=story, user=editor, as_draft=True)
    with later(hours=2):
        workflow.article_trash(article=story, user=editor)
        assert client.get(story.get_absolute_url()).status_code == 404


def test_a_scheduled_story_taken_off_after_it_went_live_answers_410(client, politics, editor):
    story = scheduled_story(politics)
    with later(hours=2):
        assert client.get(story.get_absolute_url()).status_code == 200
        workflow.article_unpublish(article=story, user=editor)
        assert client.get(story.get_absolute_url()).status_code == 410


def test_a_story_moved_to_a_later_time_was_first_published_then(client, politics, editor):
    """Rescheduled before it went live, it is first published when it finally goes live,
    as the wire feed's `firstcreated` says."""
    story = scheduled_story(politics, hours=1)
    story.publish_at = timezone.now() + timedelta(hours=5)
    story.save()
    with later(hours=6):
        item = client.get(reverse("articles:api-article-detail", args=[story.pk])).json()
    assert datetime.fromisoformat(item["firstcreated"]) == story.publish_at


def test_second_save_of_a_concurrent_edit_is_refused_and_the_text_kept(
    journalist_client, editor_client, live_article, editor
):
    mine = form_data(journalist_client, change_url(live_article))
    assert edit(editor_client, live_article, standfirst="Editor's words").status_code == 302
    refused = journalist_client.post(
        change_url(live_article), {**mine, "standfirst": "Journalist's careful words"}
    )
    html = refused.content.decode()
    assert refused.status_code == 200
    assert f"{editor.get_full_name()} changed this article at" in html
    assert "after you opened it" in html
    assert "Journalist&#x27;s careful words" in html
    live_article.refresh_from_db()
    assert live_article.pending_revision.data["standfirst"] == "Editor's words"


def test_saving_again_after_the_conflict_message_is_a_deliberate_overwrite(
    journalist_client, editor_client, live_article
):
    mine = form_data(journalist_client, change_url(live_article))
    edit(editor_client, live_article, standfirst="Editor's words")
    mine["standfirst"] = "Journalist's words"
    refused = journalist_client.post(change_url(live_article), mine)
    resubmitted = refused.context["adminform"].form.data.copy()
    assert journalist_client.post(change_url(live_article), resubmitted).status_code == 302
    live_article.refresh_from_db()
    assert live_article.pending_revision.data["standfirst"] == "Journalist's words"


def test_staff_preview_renders_the_revision_with_public_templates(journalist_client, live_article):
    edit(journalist_client, live_article, headline="Preview wording")
    revision = live_article.revisions.first()
    response = journalist_client.get(
        reverse("admin:articles_article_preview_revision", args=[live_article.pk, revision.pk])
    )
    html = response.content.decode()
    assert "<h1>Preview wording</h1>" in html
    assert "Source: PAP" in html
    assert '<meta name="robots" content="noindex, nofollow">' in html


def share_link(editor_client, article, revision):
    response = editor_client.post(
        reverse("admin:articles_article_share_revision", args=[article.pk, revision.pk])
    )
    return response.context["link"].replace("http://testserver", "")


def test_preview_link_shows_that_revision_to_anyone_until_it_expires(
    editor_client, client, live_article
):
    edit(editor_client, live_article, headline="Shared wording")
    revision = live_article.revisions.first()
    link = share_link(editor_client, live_article, revision)
    response = client.get(link)
    assert response.status_code == 200
    assert "<h1>Shared wording</h1>" in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    with time_machine.travel(timezone.now() + timedelta(hours=47), tick=False):
        assert client.get(link).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(hours=49), tick=False):
        assert client.get(link).status_code == 404


def test_tampered_preview_link_is_refused(editor_client, client, live_article):
    revision = live_article.revisions.first()
    link = share_link(editor_client, live_article, revision)
    token = link.split("/")[2]
    tampered = f"/preview/{token[:-3]}{'abc' if not token.endswith('abc') else 'xyz'}/"
    assert client.get(tampered).status_code == 404
    assert client.get("/preview/not-a-token/").status_code == 404


def test_journalist_cannot_make_a_preview_link(journalist_client, live_article):
    revision = live_article.revisions.first()
    response = journalist_client.post(
        reverse("admin:articles_article_share_revision", args=[live_article.pk, revision.pk])
    )
    assert response.status_code == 403


def test_pending_sources_keep_their_order_until_published(
    journalist_client, editor_client, client, live_article
):
    reuters = SourceFactory(name="Reuters")
    data = form_data(journalist_client, change_url(live_article))
    data.update(
        {
            "source_links-TOTAL_FORMS": "2",
            "source_links-1-source": reuters.pk,
            "source_links-0-position": "2",
            "source_links-1-position": "1",
        }
    )
    assert journalist_client.post(change_url(live_article), data).status_code == 302
    assert "Source: PAP" in client.get(live_article.get_absolute_url()).content.decode()
    # The pending order is what the form shows and what a second save keeps.
    again = form_data(journalist_client, change_url(live_article))
    assert [again["source_links-0-source"], again["source_links-1-source"]] == [
        reuters.pk,
        live_article.source_links.get().source_id,
    ]
    assert journalist_client.post(change_url(live_article), again).status_code == 302
    edit(editor_client, live_article, _workflow="publish")
    assert "Source: Reuters, PAP" in client.get(live_article.get_absolute_url()).content.decode()


def test_revisions_keep_language_and_embargo_and_restore_them(editor, politics):
    embargo = timezone.now() + timedelta(days=1)
    article = ArticleFactory(section=politics, draft=True, language="pl", embargo_until=embargo)
    first = workflow.article_save(article=article, user=editor)
    assert first.data["language"] == "pl"
    article.language, article.embargo_until = "en", None
    article.save()
    workflow.article_save(article=article, user=editor)
    workflow.revision_restore(revision=first, user=editor)
    article.refresh_from_db()
    assert (article.language, article.embargo_until) == ("pl", embargo)
