"""Tag pages, author pages and the Related block lead readers to more of the same."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from articles import querysets
from articles.models import Article
from tests.factories import ArticleFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db


def card_headlines(html):
    return re.findall(r'class="card-headline"><a href="[^"]+">([^<]+)</a>', html)


@pytest.mark.parametrize("listing_reads", [10**6, 0], ids=["small tag", "large tag"])
def test_tag_page_lists_tagged_published_articles_newest_first(
    client, politics, world, monkeypatch, listing_reads
):
    """A small tag's articles are collected and sorted, a large one's found by reading the
    archive newest first: readers get the same page either way."""
    monkeypatch.setattr(querysets, "LISTING_READS", listing_reads)
    ArticleFactory(section=politics, headline="Draft", draft=True).tags.add("Elections 2027")
    now = timezone.now()
    older = ArticleFactory(section=politics, headline="Older", publish_at=now - timedelta(days=1))
    newer = ArticleFactory(section=world, headline="Newer", publish_at=now - timedelta(hours=1))
    ArticleFactory(section=politics, headline="Not tagged")
    for article in (older, newer):
        article.tags.add("Elections 2027")
    response = client.get("/tags/elections-2027/")
    html = response.content.decode()
    assert "<h1>Elections 2027</h1>" in html
    assert card_headlines(html) == ["Newer", "Older"]
    assert '<a href="/world/">World</a>' in html  # cards name the section


def test_tag_page_paginates_like_a_section(client, politics, settings):
    now = timezone.now()
    for i in range(settings.NEWSROOM_SECTION_PAGE_SIZE + 2):
        ArticleFactory(
            section=politics, headline=f"Vote {i}", publish_at=now - timedelta(minutes=i + 1)
        ).tags.add("vote")
    first = client.get("/tags/vote/").content.decode()
    assert len(card_headlines(first)) == settings.NEWSROOM_SECTION_PAGE_SIZE
    older = re.search(r'href="\?(before=[^"]+)" rel="next">Older stories', first).group(1)
    second = client.get(f"/tags/vote/?{older}").content.decode()
    assert card_headlines(second) == ["Vote 20", "Vote 21"]


def test_unknown_tag_or_tag_of_only_drafts_answers_404(client, politics):
    ArticleFactory(section=politics, draft=True).tags.add("secret")
    assert client.get("/tags/secret/").status_code == 404
    assert client.get("/tags/no-such-tag/").status_code == 404


def test_article_tags_link_to_tag_pages(client, wire_article):
    wire_article.tags.add("Kremlin")
    html = client.get(wire_article.get_absolute_url()).content.decode()
    assert '<a href="/tags/kremlin/">Kremlin</a>' in html


def test_author_page_lists_the_journalists_published_articles(client, politics):
    anna = UserFactory(username="anna.nowak", first_name="Anna", last_name="Nowak")
    mine = ArticleFactory(section=politics, headline="Mine")
    mine.authors.add(anna)
    ArticleFactory(section=politics, headline="Someone else's")
    html = client.get("/authors/anna-nowak/").content.decode()
    assert "<h1>Anna Nowak</h1>" in html
    assert card_headlines(html) == ["Mine"]


def test_article_byline_links_staff_authors_to_their_pages(client, politics):
    anna = UserFactory(username="anna", first_name="Anna", last_name="Nowak")
    article = ArticleFactory(section=politics, byline="")
    article.authors.add(anna)
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<a href="/authors/anna-nowak/">Anna Nowak</a>' in html


def test_author_with_nothing_published_or_inactive_answers_404(client, politics):
    drafter = UserFactory(username="drafter")
    ArticleFactory(section=politics, draft=True).authors.add(drafter)
    gone = UserFactory(username="gone", is_active=False)
    ArticleFactory(section=politics).authors.add(gone)
    assert client.get("/authors/drafter/").status_code == 404
    assert client.get("/authors/gone/").status_code == 404
    assert client.get("/authors/nobody/").status_code == 404


def test_related_lists_articles_sharing_most_tags_then_newest(client, wire_article):
    now = timezone.now()
    wire_article.tags.add("Kremlin", "Diplomacy", "Ukraine")
    elsewhere = SectionFactory(name="World", slug="world")
    two_shared = ArticleFactory(
        section=elsewhere, headline="Two shared", publish_at=now - timedelta(days=2)
    )
    two_shared.tags.add("Kremlin", "Diplomacy")
    one_new = ArticleFactory(
        section=elsewhere, headline="One shared, new", publish_at=now - timedelta(minutes=5)
    )
    one_new.tags.add("Ukraine")
    one_old = ArticleFactory(
        section=elsewhere, headline="One shared, old", publish_at=now - timedelta(days=5)
    )
    one_old.tags.add("Kremlin")
    ArticleFactory(section=elsewhere, headline="Unrelated").tags.add("Football")
    html = client.get(wire_article.get_absolute_url()).content.decode()
    block = re.search(r'<section class="related".*?</section>', html, re.S).group(0)
    listed = re.findall(r"<li><a href=\"[^\"]+\">([^<]+)</a>", block)
    assert listed == ["Two shared", "One shared, new", "One shared, old"]


def test_related_ranks_only_the_newest_articles_of_each_tag(client, wire_article, monkeypatch):
    """A tag on 100,000 articles must not make every article page rank all of them."""
    monkeypatch.setattr(Article, "RELATED_CANDIDATES", 2)
    now = timezone.now()
    wire_article.tags.add("Kremlin", "Diplomacy")
    old = ArticleFactory(headline="Both tags, old", publish_at=now - timedelta(days=30))
    old.tags.add("Kremlin", "Diplomacy")
    for tag in ("Kremlin", "Diplomacy"):
        for day in (1, 2):
            ArticleFactory(
                headline=f"{tag}, day {day}", publish_at=now - timedelta(days=day)
            ).tags.add(tag)
    html = client.get(wire_article.get_absolute_url()).content.decode()
    block = re.search(r'<section class="related".*?</section>', html, re.S).group(0)
    listed = re.findall(r"<li><a href=\"[^\"]+\">([^<]+)</a>", block)
    assert "Both tags, old" not in listed
    assert sorted(listed) == [
        "Diplomacy, day 1",
        "Diplomacy, day 2",
        "Kremlin, day 1",
        "Kremlin, day 2",
    ]


def test_a_story_of_the_same_section_sharing_tags_is_in_more_in_and_in_related(
    client, wire_article
):
    now = timezone.now()
    wire_article.tags.add("Kremlin", "Diplomacy")
    same_desk = ArticleFactory(
        section=wire_article.section, headline="Talks resume", publish_at=now - timedelta(hours=1)
    )
    same_desk.tags.add("Kremlin", "Diplomacy")
    ArticleFactory(
        section=wire_article.section, headline="Budget vote", publish_at=now - timedelta(hours=2)
    )
    ArticleFactory(
        section=SectionFactory(name="World", slug="world"),
        headline="Summit planned",
        publish_at=now - timedelta(minutes=5),
    ).tags.add("Diplomacy")
    html = client.get(wire_article.get_absolute_url()).content.decode()

    def listed(block):
        found = re.search(rf'<section class="{block}".*?</section>', html, re.S).group(0)
        return re.findall(r"<li><a href=\"[^\"]+\">([^<]+)</a>", found)

    assert listed("more-in") == ["Talks resume", "Budget vote"]
    assert listed("related") == ["Talks resume", "Summit planned"]


def test_article_without_tags_has_no_related_block(client, wire_article):
    html = client.get(wire_article.get_absolute_url()).content.decode()
    assert 'class="related"' not in html


@pytest.mark.parametrize("count", [3, 25])
def test_tag_and_author_pages_queries_do_not_grow_with_articles(
    client, politics, django_assert_max_num_queries, count
):
    from tests.test_query_counts import fill

    anna = UserFactory(username="anna", first_name="Anna", last_name="Nowak")
    fill(politics, count)
    for article in politics.articles.all():
        article.authors.add(anna)
    # The tag or author, whether they have anything published, the count, the page, the nav,
    # the breaking-news banner.
    with django_assert_max_num_queries(7):
        assert client.get("/tags/budget/").status_code == 200
    with django_assert_max_num_queries(7):
        assert client.get("/authors/anna-nowak/").status_code == 200


def test_a_byline_naming_an_author_links_to_their_page(client, politics):
    anna = UserFactory(username="anna.nowak", first_name="Anna", last_name="Nowak")
    article = ArticleFactory(section=politics, byline="By Anna Nowak and <b>Staff</b>")
    article.authors.add(anna)
    html = client.get(article.get_absolute_url()).content.decode()
    assert (
        '<span class="byline">By <a href="/authors/anna-nowak/">Anna Nowak</a> and '
        "&lt;b&gt;Staff&lt;/b&gt;</span>"
    ) in html


def test_a_byline_naming_no_author_stays_plain_text(client, politics):
    anna = UserFactory(username="anna.nowak", first_name="Anna", last_name="Nowak")
    article = ArticleFactory(section=politics, byline="By Ewa Janik, PAP")
    article.authors.add(anna)
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<span class="byline">By Ewa Janik, PAP</span>' in html
