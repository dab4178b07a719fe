"""Every public page costs a constant number of queries, however much it lists."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from articles.models import Article
from tests.factories import (
    ArticleFactory,
    PhotoFactory,
    SectionFactory,
    SourceFactory,
    published_front,
)

pytestmark = pytest.mark.django_db


def fill(section, count):
    now = timezone.now()
    for i in range(count):
        article = ArticleFactory(
            section=section, publish_at=now - timedelta(minutes=i + 1), photo=PhotoFactory()
        )
        article.tags.add(f"tag-{i}", "budget")
        for position in range(3):
            source = SourceFactory(name=f"Agency {position}")
            article.source_links.create(source=source, position=position)


@pytest.mark.parametrize("count", [3, 25])
def test_front_page_queries_do_not_grow_with_articles(
    client, django_assert_max_num_queries, count
):
    for _ in range(4):
        fill(SectionFactory(), count)
    # Navigation, banner, front slots, latest, section blocks, every photo's renditions.
    with django_assert_max_num_queries(6):
        assert client.get("/").status_code == 200


@pytest.mark.parametrize("count", [3, 25])
def test_front_page_with_a_full_front_costs_what_an_empty_one_does(
    client, django_assert_max_num_queries, count
):
    for _ in range(4):
        fill(SectionFactory(), count)
    published_front(list(Article.objects.all()[:count]), photo=PhotoFactory())
    with django_assert_max_num_queries(6):
        page = client.get("/").content.decode()
    assert page.count('class="card card-lead"') == 1


@pytest.mark.parametrize("count", [3, 25])
def test_section_page_queries_do_not_grow_with_articles(
    client, politics, django_assert_max_num_queries, count
):
    fill(politics, count)
    published_front(list(Article.objects.all()[:count]), section=politics, photo=PhotoFactory())
    # Navigation, banner, section, its front's slots, count, page, every photo's renditions.
    with django_assert_max_num_queries(7):
        assert client.get("/politics/").status_code == 200


@pytest.mark.parametrize("count", [3, 25])
def test_article_page_queries_do_not_grow_with_articles(
    client, wire_article, django_assert_max_num_queries, count
):
    fill(wire_article.section, count)
    wire_article.tags.add("kremlin", "diplomacy", "talks")
    for article in Article.objects.exclude(pk=wire_article.pk)[:5]:
        article.tags.add("kremlin")
    # Eleven for the page, one for the breaking-news banner.
    with django_assert_max_num_queries(12):
        assert client.get(wire_article.get_absolute_url()).status_code == 200


def plan(queryset):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Tiny test tables would be scanned and sorted anyway, whatever statistics earlier
            # tests left behind; ask what the planner can use to serve the order.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
            return queryset.explain()
    return queryset.explain()


def test_section_listing_is_served_by_the_section_index(politics):
    fill(politics, 3)
    queryset = Article.objects.published().filter(section=politics).for_listing()[:20]
    explained = plan(queryset)
    assert "article_section_publish_idx" in explained
    assert "TEMP B-TREE" not in explained.upper()


def test_more_in_block_is_served_by_the_section_index(wire_article):
    fill(wire_article.section, 3)
    explained = plan(wire_article.more_in_section())
    assert "article_section_publish_idx" in explained
    assert "TEMP B-TREE" not in explained.upper()


def test_latest_articles_are_served_by_the_status_index(politics):
    fill(politics, 3)
    explained = plan(Article.objects.published().for_listing()[:10])
    assert "article_status_publish_idx" in explained
