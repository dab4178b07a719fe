"""Publication rules for wire copy: the embargo holds, and inbox copy needs a section."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles.desk import workflow
from articles.models import Article, WorkflowState
from tests.factories import ArticleFactory
from tests.test_admin import ADD_ARTICLE, article_form
from tests.wire import ingest_ninjs, ninjs

pytestmark = pytest.mark.django_db


@pytest.fixture
def embargoed(politics):
    return ArticleFactory(
        section=politics, draft=True, embargo_until=timezone.now() + timedelta(hours=2)
    )


def test_embargoed_article_cannot_be_published_now(embargoed):
    [problem] = embargoed.publication_problems()
    assert "embargoed until" in problem


def test_embargoed_article_cannot_be_scheduled_before_the_embargo(embargoed):
    assert embargoed.publication_problems(at=embargoed.embargo_until - timedelta(minutes=1))


def test_embargoed_article_may_be_scheduled_for_the_embargo_time_or_later(embargoed):
    assert embargoed.publication_problems(at=embargoed.embargo_until) == []
    assert embargoed.publication_problems(at=embargoed.embargo_until + timedelta(days=1)) == []


def test_article_without_embargo_has_no_problem(politics):
    assert ArticleFactory(section=politics, draft=True).publication_problems() == []


def test_past_embargo_no_longer_holds(politics):
    article = ArticleFactory(
        section=politics, draft=True, embargo_until=timezone.now() - timedelta(minutes=1)
    )
    assert article.publication_problems() == []


@pytest.mark.parametrize(
    ("field", "value"),
    [("embargoed", "2030-01-01T12:00:00Z"), ("embargoedUntil", "2030-01-01T12:00:00Z")],
    ids=["NINJS 1.x and 2.x", "NINJS 3.x"],
)
def test_wire_embargo_is_kept_on_the_draft(field, value):
    [outcome] = ingest_ninjs(ninjs(**{field: value}))
    article = Article.objects.get(pk=outcome.article.pk)
    assert article.embargo_until == datetime(2030, 1, 1, 12, tzinfo=UTC)
    assert any("embargoed until" in p for p in article.publication_problems())


def test_admin_refuses_to_publish_before_the_embargo(admin_client, politics):
    embargo = timezone.localtime(timezone.now() + timedelta(hours=2))
    data = article_form(
        politics,
        _workflow="publish",
        embargo_until_0=embargo.strftime("%Y-%m-%d"),
        embargo_until_1=embargo.strftime("%H:%M:%S"),
    )
    response = admin_client.post(ADD_ARTICLE, data)
    assert response.status_code == 200
    assert "embargoed until" in response.content.decode()
    assert not Article.objects.exists()


def test_admin_saves_an_embargoed_draft(admin_client, politics):
    embargo = timezone.localtime(timezone.now() + timedelta(hours=2))
    data = article_form(
        politics,
        embargo_until_0=embargo.strftime("%Y-%m-%d"),
        embargo_until_1=embargo.strftime("%H:%M:%S"),
    )
    assert admin_client.post(ADD_ARTICLE, data).status_code == 302
    assert Article.objects.get().embargo_until == embargo.replace(microsecond=0)


def test_copy_still_in_the_wire_inbox_cannot_be_published():
    [outcome] = ingest_ninjs(ninjs())
    [problem] = outcome.article.publication_problems()
    assert "still in the Wire inbox" in problem


def test_copy_moved_to_a_section_may_be_published(politics):
    [outcome] = ingest_ninjs(ninjs())
    article = outcome.article
    article.section = politics
    assert article.publication_problems() == []


def test_the_workflow_refuses_to_schedule_before_the_embargo_and_allows_after(editor, politics):
    embargo = timezone.now() + timedelta(hours=2)
    article = ArticleFactory(section=politics, draft=True, embargo_until=embargo)
    with pytest.raises(ValidationError, match="embargoed until"):
        workflow.article_publish(article=article, user=editor, at=embargo - timedelta(minutes=1))
    workflow.article_publish(article=article, user=editor, at=embargo + timedelta(minutes=1))
    article.refresh_from_db()
    assert article.workflow_state == WorkflowState.SCHEDULED
