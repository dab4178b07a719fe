import re
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.utils import timezone

from tests.factories import ArticleFactory, PhotoFactory, SectionFactory, published_front

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


def older_link(html):
    found = re.search(r'<a href="\?(before=[^"]+)" rel="next">Older stories</a>', html)
    return found and found.group(1)


def newer_link(html):
    found = re.search(r'<a href="\?(after=[^"]+)" rel="prev">Newer stories</a>', html)
    return found and found.group(1)


def test_section_page_lists_newest_first_twenty_a_page(client, politics_archive):
    first = client.get("/politics/").content.decode()
    assert card_headlines(first) == [a.headline for a in politics_archive[:20]]
    second = client.get(f"/politics/?{older_link(first)}").content.decode()
    assert card_headlines(second) == [a.headline for a in politics_archive[20:40]]
    third = client.get(f"/politics/?{older_link(second)}").content.decode()
    assert card_headlines(third) == [a.headline for a in politics_archive[40:]]
    assert older_link(third) is None


def test_section_page_cards_have_thumbnail_standfirst_and_date(client, politics_archive):
    html = client.get("/politics/").content.decode()
    first_card = re.search(r'<article class="card">.*?</article>', html, re.S).group(0)
    assert '<img src="/renditions/' in first_card
    assert "Deputies argued late into the night." in first_card
    assert "<time datetime=" in first_card


def test_older_and_newer_links_walk_the_section_both_ways(client, politics_archive):
    first = client.get("/politics/").content.decode()
    assert newer_link(first) is None
    second = client.get(f"/politics/?{older_link(first)}").content.decode()
    third = client.get(f"/politics/?{older_link(second)}").content.decode()
    back_to_second = client.get(f"/politics/?{newer_link(third)}").content.decode()
    assert card_headlines(back_to_second) == card_headlines(second)
    # Newer than the second page is the first page, at its own address.
    response = client.get(f"/politics/?{newer_link(second)}")
    assert response.status_code == 302
    assert response["Location"] == "/politics/"


def test_a_story_published_meanwhile_does_not_shift_older_pages(client, politics_archive):
    first = client.get("/politics/").content.decode()
    ArticleFactory(section=politics_archive[0].section, headline="Breaking now")
    second = client.get(f"/politics/?{older_link(first)}").content.decode()
    assert card_headlines(second) == [a.headline for a in politics_archive[20:40]]


def test_old_page_numbers_move_for_good_to_the_same_stories(client, politics_archive):
    response = client.get("/politics/?page=3")
    assert response.status_code == 301
    third = client.get(response["Location"]).content.decode()
    assert card_headlines(third) == [a.headline for a in politics_archive[40:]]
    first = client.get("/politics/?page=1")
    assert (first.status_code, first["Location"]) == (301, "/politics/")


def test_a_very_deep_old_page_number_goes_to_the_first_page(client, politics_archive):
    response = client.get(f"/politics/?page={'9' * 30}")
    assert (response.status_code, response["Location"]) == (301, "/politics/")


@pytest.mark.parametrize("page", ["4", "0", "-1", "abc", "1.5"])
def test_section_page_out_of_range_or_not_a_number_is_404(client, politics_archive, page):
    assert client.get(f"/politics/?page={page}").status_code == 404


@pytest.mark.parametrize(
    "cursor",
    [
        "before=yesterday.1",
        "before=2026-01-01T00:00:00.000000Z",
        "before=2026-01-01T00:00:00.000000Z.-5",
        "after=2026-01-01T00:00:00.000000Z.abc",
        f"before=2026-01-01T00:00:00.000000Z.{'9' * 30}",
        "before=%00",
    ],
)
def test_a_malformed_cursor_is_404_not_an_error(client, politics_archive, cursor):
    assert client.get(f"/politics/?{cursor}").status_code == 404


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


def politics_block(html):
    block = re.search(r'<section class="section-block"[^>]*politics.*?</section>', html, re.S)
    return card_headlines(block.group(0))


@pytest.mark.parametrize("site_cache", [False, True])
def test_a_section_block_skips_the_stories_in_the_fronts_slots(
    client, settings, politics, site_cache, django_capture_on_commit_callbacks
):
    """Ten Politics stories in the slots: the block still shows four others, the newest."""
    settings.NEWSROOM_SITE_CACHE = site_cache
    caches["pages"].clear()  # nothing another test kept
    now = timezone.now()
    stories = [
        ArticleFactory(section=politics, headline=f"P{i}", publish_at=now - timedelta(hours=i + 1))
        for i in range(16)
    ]
    published_front(stories[:10])
    assert politics_block(client.get("/").content.decode()) == ["P10", "P11", "P12", "P13"]
    # Published as the desk publishes: the front is purged once the change is committed.
    with django_capture_on_commit_callbacks(execute=True):
        published_front(stories[:2])
    assert politics_block(client.get("/").content.decode()) == ["P2", "P3", "P4", "P5"]


def test_front_page_without_articles_says_so(client, politics):
    assert "Nothing has been published yet." in client.get("/").content.decode()
