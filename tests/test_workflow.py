"""Every transition, for each role: what is allowed and what is refused."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from articles.desk import workflow
from articles.models import Article, Transition, WorkflowState
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(journalist, politics):
    return ArticleFactory(section=politics, draft=True, created_by=journalist)


@pytest.fixture
def in_review(draft, journalist):
    workflow.article_submit(article=draft, user=journalist)
    return draft


def test_journalist_submits_own_draft(draft, journalist):
    step = workflow.article_submit(article=draft, user=journalist, note="Ready")
    draft.refresh_from_db()
    assert draft.workflow_state == WorkflowState.IN_REVIEW
    assert draft.submitted_at is not None
    assert (step.user, step.from_state, step.to_state, step.note) == (
        journalist,
        WorkflowState.DRAFT,
        WorkflowState.IN_REVIEW,
        "Ready",
    )


def test_journalist_cannot_submit_someone_elses_draft(draft, other_journalist):
    with pytest.raises(PermissionDenied):
        workflow.article_submit(article=draft, user=other_journalist)


def test_journalist_cannot_publish_own_draft(draft, journalist):
    with pytest.raises(PermissionDenied):
        workflow.article_publish(article=draft, user=journalist)
    assert not Article.objects.published().exists()


def test_journalist_cannot_publish_in_review_schedule_return_or_unpublish(in_review, journalist):
    future = timezone.now() + timedelta(days=1)
    with pytest.raises(PermissionDenied):
        workflow.article_publish(article=in_review, user=journalist, at=future)
    with pytest.raises(PermissionDenied):
        workflow.article_return(article=in_review, user=journalist, note="x")
    with pytest.raises(PermissionDenied):
        workflow.article_unpublish(article=in_review, user=journalist)
    with pytest.raises(PermissionDenied):
        workflow.article_trash(article=in_review, user=journalist)


def test_journalist_cannot_edit_own_article_while_in_review(in_review, journalist):
    assert not workflow.can_edit(journalist, in_review)
    with pytest.raises(PermissionDenied):
        workflow.article_save(article=in_review, user=journalist)


def test_editor_publishes_an_article_in_review(in_review, editor):
    step = workflow.article_publish(article=in_review, user=editor)
    in_review.refresh_from_db()
    assert in_review.workflow_state == WorkflowState.PUBLISHED
    assert in_review.submitted_at is None
    assert list(Article.objects.published()) == [in_review]
    assert (step.from_state, step.to_state) == (WorkflowState.IN_REVIEW, WorkflowState.PUBLISHED)


def test_scheduled_article_goes_live_at_its_time_by_itself(in_review, editor):
    go_live = timezone.now() + timedelta(hours=3)
    step = workflow.article_publish(article=in_review, user=editor, at=go_live)
    assert step.to_state == WorkflowState.SCHEDULED
    assert not Article.objects.published().exists()
    with time_machine.travel(go_live - timedelta(seconds=1), tick=False):
        assert not Article.objects.published().exists()
    with time_machine.travel(go_live + timedelta(seconds=1), tick=False):
        assert list(Article.objects.published()) == [in_review]


def test_editor_returns_an_article_with_a_note(in_review, editor):
    step = workflow.article_return(article=in_review, user=editor, note="Check the figures.")
    in_review.refresh_from_db()
    assert in_review.workflow_state == WorkflowState.RETURNED
    assert step.note == "Check the figures."


def test_returning_without_a_note_is_refused(in_review, editor):
    with pytest.raises(ValidationError, match="note is required"):
        workflow.article_return(article=in_review, user=editor, note="  ")
    in_review.refresh_from_db()
    assert in_review.workflow_state == WorkflowState.IN_REVIEW


def test_journalist_edits_and_resubmits_a_returned_article(in_review, editor, journalist):
    workflow.article_return(article=in_review, user=editor, note="Shorter, please.")
    assert workflow.can_edit(journalist, in_review)
    in_review.headline = "Shorter headline"
    in_review.save()
    workflow.article_save(article=in_review, user=journalist)
    workflow.article_submit(article=in_review, user=journalist)
    assert in_review.workflow_state == WorkflowState.IN_REVIEW


def test_editor_unpublishes_and_publishes_again(in_review, editor):
    workflow.article_publish(article=in_review, user=editor)
    workflow.article_unpublish(article=in_review, user=editor, note="Legal query")
    assert in_review.workflow_state == WorkflowState.UNPUBLISHED
    assert not Article.objects.published().exists()
    assert Article.objects.filter(pk=in_review.pk).exists()  # kept, not deleted
    workflow.article_publish(article=in_review, user=editor)
    assert list(Article.objects.published()) == [in_review]


def test_a_draft_cannot_be_unpublished(draft, editor):
    with pytest.raises(ValidationError):
        workflow.article_unpublish(article=draft, user=editor)


def test_an_article_in_review_cannot_be_submitted_again(in_review, editor):
    with pytest.raises(ValidationError):
        workflow.article_submit(article=in_review, user=editor)


def test_every_transition_records_who_when_from_to_and_note(in_review, editor, journalist):
    workflow.article_return(article=in_review, user=editor, note="Add a source.")
    workflow.article_submit(article=in_review, user=journalist)
    workflow.article_publish(article=in_review, user=editor)
    steps = list(Transition.objects.filter(article=in_review).order_by("at", "id"))
    assert [(s.user.username, s.from_state, s.to_state) for s in steps] == [
        ("jola", "draft", "in_review"),
        ("edward", "in_review", "returned"),
        ("jola", "returned", "in_review"),
        ("edward", "in_review", "published"),
    ]
    assert all(step.at is not None for step in steps)


def test_publishing_is_refused_when_a_publication_rule_fails(in_review, editor):
    Article.objects.filter(pk=in_review.pk).update(headline=" ")
    in_review.refresh_from_db()
    with pytest.raises(ValidationError, match="headline is empty"):
        workflow.article_publish(article=in_review, user=editor)
    assert not Article.objects.published().exists()


def test_superuser_can_do_everything(in_review, admin_user):
    workflow.article_return(article=in_review, user=admin_user, note="Again")
    workflow.article_submit(article=in_review, user=admin_user)
    workflow.article_publish(article=in_review, user=admin_user)
    assert in_review.workflow_state == WorkflowState.PUBLISHED


def test_correction_is_dated_and_moves_the_modified_date(politics, editor, client):
    article = ArticleFactory(section=politics)
    before = article.updated_at
    with time_machine.travel(timezone.now() + timedelta(hours=2), tick=False):
        workflow.article_add_correction(
            article=article, user=editor, text="An earlier version misspelt the minister's name."
        )
    article.refresh_from_db()
    assert article.updated_at > before
    html = client.get(article.get_absolute_url()).content.decode()
    assert "An earlier version misspelt the minister" in html
    assert "Updated" in html


def test_journalist_cannot_add_a_correction(politics, journalist):
    article = ArticleFactory(section=politics, created_by=journalist)
    with pytest.raises(PermissionDenied):
        workflow.article_add_correction(article=article, user=journalist, text="x")
