"""The shared no-leak test: nothing readers may not see appears on any public surface.

Every public surface joins PUBLIC_SURFACES; every hidden state joins HIDDEN_STATES. Each
surface is fetched with one published article and one hidden article in the same section,
and the hidden article's headline must not appear anywhere in the response.
"""

import pytest

from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

SECRET = "Embargoed budget leak"

# How an article can exist without readers being allowed to see it.
HIDDEN_STATES = {
    "draft": {"draft": True},
    "scheduled, not yet live": {"future": True},
}


def tagged(hidden, published, url):
    """Both articles share a tag, so a surface listing by tag would show both."""
    hidden.tags.add("Budget")
    published.tags.add("Budget")
    return url


def by_one_author(hidden, published):
    """Both articles share an author; returns that author's page."""
    author = UserFactory(username="anna")
    hidden.authors.add(author)
    published.authors.add(author)
    return "/authors/anna/"


# Where readers look. Each entry maps (hidden, published) to the URL to fetch.
PUBLIC_SURFACES = {
    "front page": lambda hidden, published: "/",
    "section page": lambda hidden, published: published.section.get_absolute_url(),
    "More in block of a published article": lambda hidden, published: published.get_absolute_url(),
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
}


@pytest.fixture(params=list(HIDDEN_STATES), ids=list(HIDDEN_STATES))
def hidden_article(request, politics):
    return ArticleFactory(section=politics, headline=SECRET, **HIDDEN_STATES[request.param])


@pytest.fixture
def published_article(politics):
    return ArticleFactory(section=politics, headline="Budget committee meets")


@pytest.mark.parametrize("surface", list(PUBLIC_SURFACES))
def test_hidden_article_appears_on_no_public_surface(
    client, hidden_article, published_article, surface
):
    response = client.get(PUBLIC_SURFACES[surface](hidden_article, published_article))
    assert response.status_code == 200
    assert SECRET not in response.content.decode()
    assert hidden_article.get_absolute_url() not in response.content.decode()


def test_hidden_article_is_not_counted_in_search_results(
    client, hidden_article, published_article
):
    page = client.get("/search/", {"q": "budget"}).content.decode()
    assert "1 result for" in page
    assert "0 results for" in client.get("/search/", {"q": "embargoed"}).content.decode()


def test_hidden_article_page_answers_404(client, hidden_article):
    assert client.get(hidden_article.get_absolute_url()).status_code == 404
