"""The shared no-leak test: nothing readers may not see appears on any public surface.

Every public surface joins PUBLIC_SURFACES; every hidden state joins HIDDEN_STATES. Each
surface is fetched with one published article and one hidden article in the same section,
and the hidden article's headline must not appear anywhere in the response.
"""

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.test import Client
from django.utils import timezone

from articles.desk.revisions import record_revision, snapshot_article
from articles.models import Article, ArticleStatus, BreakingNews
from articles.wire.store import wire_inbox
from tests.factories import (
    ArticleFactory,
    LiveEntryFactory,
    PhotoFactory,
    UserFactory,
    published_front,
)

pytestmark = pytest.mark.django_db


class TwiceClient(Client):
    """Reads every page twice and answers with the second: with the page cache on, the
    first read keeps the page and the second is served from the cache."""

    def get(self, *args, **kwargs):
        super().get(*args, **kwargs)
        return super().get(*args, **kwargs)


@pytest.fixture(params=["page cache off", "page cache on"])
def client(request, settings):
    """Every test here runs with readers' pages rendered fresh, and again through the cache."""
    if request.param == "page cache off":
        return Client()
    settings.NEWSROOM_PAGE_CACHE = True
    caches["pages"].clear()
    return TwiceClient()


SECRET = "Embargoed budget leak"


def pending_edit_of_a_live_article(section):
    """A live article whose unpublished edit carries the secret headline."""
    article = ArticleFactory(section=section, headline="Budget talks continue")
    data = {**snapshot_article(article), "headline": SECRET}
    pending = record_revision(article=article, user=None, data=data)
    Article.objects.filter(pk=article.pk).update(pending_revision=pending)
    return article


# How an article, or a version of it, can exist without readers being allowed to see it.
HIDDEN_STATES = {
    "draft": lambda section: ArticleFactory(section=section, headline=SECRET, draft=True),
    "in review": lambda section: ArticleFactory(
        section=section, headline=SECRET, status=ArticleStatus.IN_REVIEW, publish_at=None
    ),
    "returned": lambda section: ArticleFactory(
        section=section, headline=SECRET, status=ArticleStatus.RETURNED, publish_at=None
    ),
    "scheduled, not yet live": lambda section: ArticleFactory(
        section=section, headline=SECRET, future=True
    ),
    "unpublished": lambda section: ArticleFactory(
        section=section, headline=SECRET, status=ArticleStatus.UNPUBLISHED
    ),
    "in the trash": lambda section: ArticleFactory(
        section=section, headline=SECRET, deleted_at=timezone.now() - timedelta(minutes=1)
    ),
    "pending edit of a live article": pending_edit_of_a_live_article,
}


def tagged(hidden, published, url):
    """Both articles share a tag, so a surface listing by tag would show both."""
    hidden.tags.add("Budget")
    published.tags.add("Budget")
    return url


def by_one_author(hidden, published):
    """Both articles share an author; returns that author's page."""
    author = UserFactory(username="anna", first_name="Anna", last_name="Nowak")
    hidden.authors.add(author)
    published.authors.add(author)
    return "/authors/anna-nowak/"


def shared_photo(hidden, published):
    """Both articles lead with the same photo; returns its credentials page."""
    photo = PhotoFactory()
    Article.objects.filter(pk__in=[hidden.pk, published.pk]).update(photo=photo)
    return f"/photos/{photo.pk}/credentials/"


def on_fronts(hidden, published, section=None):
    """The hidden article leads the front, the published one is second."""
    published_front([hidden, published], section=section)
    return published.section.get_absolute_url() if section else "/"


def banner_about(hidden, published):
    """A banner about the hidden story: it must not show while readers cannot see the story."""
    now = timezone.now()
    BreakingNews.objects.create(
        text=f"{hidden.headline}: more soon",
        article=hidden,
        starts_at=now - timedelta(minutes=1),
        expires_at=now + timedelta(hours=1),
    )
    return published.get_absolute_url()


def live_coverage_of(published):
    """The published article is a live blog; its update request, as a waiting reader polls."""
    Article.objects.filter(pk=published.pk).update(
        is_live_blog=True, coverage_started_at=timezone.now()
    )
    LiveEntryFactory(article=published, body="<p>Budget committee meets again.</p>")
    LiveEntryFactory(article=published, body=f"<p>{SECRET}</p>", hidden_at=timezone.now())
    return f"/live/{published.pk}/"


# Where readers look. Each entry maps (hidden, published) to the URL to fetch.
PUBLIC_SURFACES = {
    "front page": lambda hidden, published: "/",
    "section page": lambda hidden, published: published.section.get_absolute_url(),
    "More in block of a published article": lambda hidden, published: published.get_absolute_url(),
    "NINJS API list": lambda hidden, published: "/api/articles/",
    "NINJS API list of the section": lambda hidden, published: (
        f"/api/articles/?section={published.section.slug}"
    ),
    "NINJS API article": lambda hidden, published: f"/api/articles/{published.pk}/",
    "search results": lambda hidden, published: "/search/?q=budget",
    "site RSS feed": lambda hidden, published: "/feeds/rss/",
    "site Atom feed": lambda hidden, published: "/feeds/atom/",
    "section RSS feed": lambda hidden, published: "/feeds/sections/politics/rss/",
    "section Atom feed": lambda hidden, published: "/feeds/sections/politics/atom/",
    "tag RSS feed": lambda hidden, published: tagged(hidden, published, "/feeds/tags/budget/rss/"),
    "tag Atom feed": lambda hidden, published: tagged(
        hidden, published, "/feeds/tags/budget/atom/"
    ),
    "article sitemap": lambda hidden, published: "/sitemap-articles.xml",
    "Google News sitemap": lambda hidden, published: "/sitemap-news.xml",
    "tag page": lambda hidden, published: tagged(hidden, published, "/tags/budget/"),
    "author page": by_one_author,
    "Related block of a published article": lambda hidden, published: tagged(
        hidden, published, published.get_absolute_url()
    ),
    "content credentials page of a shared lead photo": lambda hidden, published: shared_photo(
        hidden, published
    ),
    "front page with the article in a slot": on_fronts,
    "section front with the article in a slot": lambda hidden, published: on_fronts(
        hidden, published, section=published.section
    ),
    "breaking-news banner about the article": banner_about,
    "live updates of a published live blog, with a hidden entry": (
        lambda hidden, published: live_coverage_of(published)
    ),
}


@pytest.fixture(params=list(HIDDEN_STATES), ids=list(HIDDEN_STATES))
def hidden_article(request, politics):
    return HIDDEN_STATES[request.param](politics)


@pytest.fixture
def published_article(politics):
    return ArticleFactory(section=politics, headline="Budget committee meets")


@pytest.mark.parametrize("surface", list(PUBLIC_SURFACES))
def test_hidden_article_appears_on_no_public_surface(
    client, hidden_article, published_article, surface
):
    response = client.get(PUBLIC_SURFACES[surface](hidden_article, published_article))
    assert response.status_code == 200
    content = response.content.decode()
    # The surface is not empty: the published article is there, by headline or address.
    assert "Budget committee meets" in content or published_article.get_absolute_url() in content
    assert SECRET not in content
    if not hidden_article.is_live:
        assert hidden_article.get_absolute_url() not in content
        assert f"/api/articles/{hidden_article.pk}/" not in content


@pytest.mark.parametrize("surface", list(PUBLIC_SURFACES))
def test_copy_in_the_wire_inbox_appears_on_no_public_surface(client, published_article, surface):
    """Even marked published, copy still in an inbox section is the desk's, not readers'."""
    hidden = ArticleFactory(section=wire_inbox(), headline=SECRET)
    response = client.get(PUBLIC_SURFACES[surface](hidden, published_article))
    assert response.status_code == 200
    content = response.content.decode()
    assert SECRET not in content
    assert f"/api/articles/{hidden.pk}/" not in content


def test_hidden_article_page_shows_nothing_hidden(client, hidden_article):
    response = client.get(hidden_article.get_absolute_url())
    assert SECRET not in response.content.decode()
    if not hidden_article.is_live:
        assert response.status_code in {404, 410}


def test_hidden_article_has_no_live_coverage(client, hidden_article):
    Article.objects.filter(pk=hidden_article.pk).update(
        is_live_blog=True, coverage_started_at=timezone.now()
    )
    LiveEntryFactory(article=hidden_article, body="<p>Entry under the hidden headline</p>")
    response = client.get(f"/live/{hidden_article.pk}/")
    content = response.content.decode()
    assert SECRET not in content
    if not hidden_article.is_live:
        assert response.status_code == 404
        assert "Entry under the hidden headline" not in content


def test_hidden_article_shows_nothing_hidden_in_the_ninjs_api(client, hidden_article):
    response = client.get(f"/api/articles/{hidden_article.pk}/")
    assert SECRET not in response.content.decode()
    if not hidden_article.is_live:
        assert response.status_code == 404


def test_hidden_article_is_not_counted_in_search_results(
    client, hidden_article, published_article
):
    page = client.get("/search/", {"q": "budget"}).content.decode()
    # A live article with a hidden pending edit is itself published: it counts as it is.
    expected = 2 if hidden_article.is_live else 1
    assert f"{expected} result{'s' if expected > 1 else ''} for" in page
    assert "0 results for" in client.get("/search/", {"q": "embargoed"}).content.decode()
