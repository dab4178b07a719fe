import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import ArticleFactory, PhotoFactory, SectionFactory

pytestmark = pytest.mark.django_db


def card_headlines(html):
    return re.findall(r'class="card-headline"><a href="[^"]+">([^<]+)</a>', html)


@pytest.fixture
def politics_archive(politics):
    """45 published Politics articles, one an hour, newest first in `articles`."""
    now = timezone.now()
    return [
        ArticleFactory(
            section=politics,
            headline=f"Politics story {i:02d}",
            publish_at=now - timedelta(hours=i + 1),
            photo=PhotoFactory() if i < 3 else None,
        )
        for i in range(45)
    ]


def test_section_page_lists_newest_first_twenty_a_page(client, politics_archive):
    first = client.get("/politics/").content.decode()
    assert card_headlines(first) == [a.headline for a in politics_archive[:20]]
    third = client.get("/politics/?page=3").content.decode()
    assert card_headlines(third) == [a.headline for a in politics_archive[40:]]


def test_section_page_cards_have_thumbnail_standfirst_and_date(client, politics_archive):
    html = client.get("/politics/").content.decode()
    first_card = re.search(r'<article class="card">.*?</article>', html, re.S).group(0)
    assert '<img src="/renditions/' in first_card
    assert "Deputies argued late into the night." in first_card
    assert "<time datetime=" in first_card


def test_section_page_has_pagination_links(client, politics_archive):
    html = client.get("/politics/?page=2").content.decode()
    assert '<a href="?page=1" rel="prev">Newer</a>' in html
    assert '<a href="?page=3" rel="next">Older</a>' in html
    assert "Page 2 of 3" in html


@pytest.mark.parametrize("page", ["4", "0", "-1", "abc", "1.5", "9" * 30])
def test_section_page_out_of_range_or_not_a_number_is_404(client, politics_archive, page):
    assert client.get(f"/politics/?page={page}").status_code == 404


def test_empty_section_has_a_page_saying_so(client, world):
    response = client.get("/world/")
    assert response.status_code == 200
    assert "No articles in World yet." in response.content.decode()


def test_section_page_shows_only_its_own_section(client, politics, world):
    ArticleFactory(section=world, headline="Elsewhere")
    ArticleFactory(section=politics, headline="Here")
    assert card_headlines(client.get("/politics/").content.decode()) == ["Here"]


def test_front_page_shows_latest_and_a_block_per_section(client, politics, world):
    now = timezone.now()
    for i in range(6):
        ArticleFactory(section=politics, headline=f"P{i}", publish_at=now - timedelta(hours=i + 1))
    ArticleFactory(section=world, headline="W0", publish_at=now - timedelta(minutes=30))
    SectionFactory(name="Empty", slug="empty")
    html = client.get("/").content.decode()
    latest = re.search(r'<section class="latest".*?</section>', html, re.S).group(0)
    assert card_headlines(latest)[:3] == ["W0", "P0", "P1"]
    politics_block = re.search(
        r'<section class="section-block"[^>]*politics.*?</section>', html, re.S
    )
    assert card_headlines(politics_block.group(0)) == ["P0", "P1", "P2", "P3"]
    assert 'id="section-world"' in html
    assert 'id="section-empty"' not in html


def test_front_page_without_articles_says_so(client, politics):
    assert "Nothing has been published yet." in client.get("/").content.decode()
