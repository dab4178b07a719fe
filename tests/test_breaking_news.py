"""The breaking-news banner: one line on every public page until it expires or comes down."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from articles.models import BreakingNews
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

BANNER = "Breaking news:</strong> <a href="


def put_up(text="Parliament dissolved", link="/politics/", **fields):
    now = timezone.now()
    return BreakingNews.objects.create(
        text=text,
        link=link,
        starts_at=fields.pop("starts_at", now - timedelta(minutes=1)),
        expires_at=fields.pop("expires_at", now + timedelta(hours=1)),
        **fields,
    )


@pytest.fixture
def public_pages(wire_article):
    return ["/", "/politics/", wire_article.get_absolute_url(), "/search/?q=kremlin"]


def test_the_banner_is_on_every_public_page(client, public_pages):
    put_up()
    for url in public_pages:
        page = client.get(url).content.decode()
        assert f'{BANNER}"/politics/">Parliament dissolved</a>' in page, url


def test_a_new_banner_is_announced_and_an_older_one_is_not(client):
    banner = put_up()
    assert 'class="breaking-news" role="alert"' in client.get("/").content.decode()
    with time_machine.travel(banner.starts_at + timedelta(minutes=20)):
        page = client.get("/").content.decode()
    assert "Parliament dissolved" in page
    assert 'role="alert"' not in page


def test_the_banner_leaves_by_itself_when_it_expires(client, public_pages):
    banner = put_up()
    with time_machine.travel(banner.expires_at + timedelta(seconds=1)):
        for url in public_pages:
            assert "Parliament dissolved" not in client.get(url).content.decode(), url


def test_a_banner_is_not_shown_before_its_time(client):
    put_up(starts_at=timezone.now() + timedelta(minutes=5))
    assert "Parliament dissolved" not in client.get("/").content.decode()


def test_an_editor_takes_the_banner_down_and_it_leaves_every_page(
    editor_client, editor, client, public_pages
):
    banner = put_up()
    response = editor_client.post(
        "/admin/articles/breakingnews/",
        {"action": "take_down", "_selected_action": [banner.pk]},
    )
    assert response.status_code == 302
    banner.refresh_from_db()
    assert banner.taken_down_by == editor
    for url in public_pages:
        assert "Parliament dissolved" not in client.get(url).content.decode(), url


def test_an_editor_puts_a_banner_up_from_the_admin(editor_client, editor, client, wire_article):
    now = timezone.localtime()
    response = editor_client.post(
        "/admin/articles/breakingnews/add/",
        {
            "text": "Talks collapse",
            "article": wire_article.pk,
            "link": "",
            "starts_at_0": now.strftime("%Y-%m-%d"),
            "starts_at_1": (now - timedelta(minutes=1)).strftime("%H:%M:%S"),
            "expires_at_0": (now + timedelta(days=1)).strftime("%Y-%m-%d"),
            "expires_at_1": now.strftime("%H:%M:%S"),
        },
    )
    assert response.status_code == 302
    assert BreakingNews.objects.get().created_by == editor
    page = client.get("/").content.decode()
    assert f'{BANNER}"{wire_article.get_absolute_url()}">Talks collapse</a>' in page


def test_a_banner_needs_an_article_or_a_link_and_a_later_expiry(editor_client):
    now = timezone.localtime()
    response = editor_client.post(
        "/admin/articles/breakingnews/add/",
        {
            "text": "Talks collapse",
            "link": "javascript:alert(1)",
            "starts_at_0": now.strftime("%Y-%m-%d"),
            "starts_at_1": now.strftime("%H:%M:%S"),
            "expires_at_0": (now - timedelta(days=1)).strftime("%Y-%m-%d"),
            "expires_at_1": now.strftime("%H:%M:%S"),
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Enter a valid URL." in content
    assert "The banner must expire after it goes up." in content
    assert not BreakingNews.objects.exists()


@pytest.mark.parametrize(
    "url",
    ["/admin/articles/breakingnews/", "/admin/articles/breakingnews/add/"],
)
def test_journalists_may_not_put_up_banners(journalist_client, url):
    assert journalist_client.get(url).status_code == 403


def test_journalists_may_not_take_banners_down(journalist_client):
    banner = put_up()
    response = journalist_client.post(
        "/admin/articles/breakingnews/",
        {"action": "take_down", "_selected_action": [banner.pk]},
    )
    assert response.status_code == 403
    banner.refresh_from_db()
    assert banner.taken_down_at is None


@pytest.mark.parametrize(
    "url", ["/admin/articles/breakingnews/", "/admin/articles/breakingnews/add/"]
)
def test_anonymous_visitors_are_sent_to_log_in_from_the_banner_desk(client, url):
    assert client.get(url)["Location"].startswith("/admin/login/")


def test_a_banner_about_a_hidden_story_is_not_shown(client, politics):
    hidden = ArticleFactory(section=politics, headline="Not yet", draft=True)
    put_up(link="", article=hidden)
    page = client.get("/").content.decode()
    assert "Parliament dissolved" not in page


def test_the_banner_text_is_shown_as_text_never_as_markup(client):
    put_up(text='<script>alert(1)</script><img src=x onerror="alert(2)">')
    page = client.get("/").content.decode()
    assert "<script>alert(1)" not in page
    assert "<img src=x onerror" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
