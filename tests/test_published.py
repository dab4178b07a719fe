"""What readers may see is decided once, by Article.objects.published()."""

from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_published_article_in_the_past_is_visible():
    article = ArticleFactory()
    assert list(Article.objects.published()) == [article]


def test_draft_is_not_visible():
    ArticleFactory(draft=True)
    assert not Article.objects.published().exists()


def test_published_with_a_future_publish_time_is_not_visible_yet():
    ArticleFactory(future=True)
    assert not Article.objects.published().exists()


def test_future_article_becomes_visible_once_its_time_passes():
    article = ArticleFactory(publish_at=timezone.now() + timedelta(seconds=1))
    assert not Article.objects.published().exists()
    Article.objects.filter(pk=article.pk).update(publish_at=timezone.now() - timedelta(seconds=1))
    assert list(Article.objects.published()) == [article]


def test_publishing_without_a_time_publishes_now_and_records_first_publication():
    article = ArticleFactory(draft=True)
    article.status = Article.Status.PUBLISHED
    article.save()
    assert article.publish_at is not None
    assert article.first_published_at == article.publish_at
    assert list(Article.objects.published()) == [article]


def test_database_refuses_an_unknown_status():
    article = ArticleFactory()
    with pytest.raises(IntegrityError):
        Article.objects.filter(pk=article.pk).update(status="live")


def test_database_refuses_published_without_publish_time():
    article = ArticleFactory()
    with pytest.raises(IntegrityError):
        Article.objects.filter(pk=article.pk).update(publish_at=None)
