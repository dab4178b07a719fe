"""The demo newsroom, crawled as a reader and as each desk role: no page answers 5xx.

The crawl starts from the front page, the feeds, the sitemaps, the API and the pages of
tags with non-ASCII names, and from the admin index, every admin list and the newest change
pages of every model; it follows every link it finds there, each address once. To stay
bounded, it fetches every article page but at most PUBLIC_PER_ROUTE addresses of any other
public URL pattern (not all of the demo's ~100 tag pages and their feeds), and at most
ADMIN_PER_ROUTE of one admin pattern besides the seeded change pages (ADMIN_CHANGE_PAGES
per model, newest first, which holds the awkward wire items).
"""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from taggit.models import Tag

from articles.management.commands import load_demo
from articles.models import Article, Photo
from articles.public import views
from articles.wire.files import ingest_paths
from articles.wire.store import Outcome
from tests.crawl import PUBLIC_SEEDS, Crawl, admin_seeds

pytestmark = pytest.mark.django_db

PUBLIC_PER_ROUTE = 12
ADMIN_PER_ROUTE = 3
ADMIN_CHANGE_PAGES = 6
ROLES = ["admin", "editor", "journalist"]


@pytest.fixture
def demo(settings, monkeypatch):
    settings.DEBUG = True  # the demo's logins exist only with DEBUG on
    # Small photos: the crawl is about every page answering, and renditions of 1600 px
    # originals would take most of its time.
    monkeypatch.setattr(load_demo, "PHOTO_SIZE", (480, 270))
    call_command("load_demo", verbosity=0)
    settings.DEBUG = False


def crawl_everything():
    """Every public and admin page, as a reader and as each role: the failures, and pages."""
    public = Crawl(
        Client(raise_request_exception=False),
        within="/",
        per_route=PUBLIC_PER_ROUTE,
        every={"articles:article-detail"},
    )
    awkward_tags = [
        reverse("articles:tag-detail", kwargs={"slug": tag.slug})
        for tag in Tag.objects.order_by("pk")
        if not tag.name.isascii()
    ]
    crawls = [public.run(PUBLIC_SEEDS + awkward_tags)]
    seeds = admin_seeds(ADMIN_CHANGE_PAGES)
    for username in ROLES:
        client = Client(raise_request_exception=False)
        client.force_login(get_user_model().objects.get(username=username))
        crawls.append(Crawl(client, within="/admin/", per_route=ADMIN_PER_ROUTE).run(seeds))
    return [error for crawl in crawls for error in crawl.errors], crawls


def test_no_page_of_the_demo_answers_a_server_error(demo):
    # The awkward data the crawl must survive is there.
    published = Article.objects.published()
    assert published.filter(tags__name="Łódź").exists()
    assert published.filter(section__name="Łódź i region").exists()
    assert published.filter(source_links__source__name="Kurier Śródmiejski").exists()
    assert published.filter(authors__last_name="Żmuda").exists()
    without_file = Photo.objects.filter(image="")
    assert without_file.count() == 2
    assert all(p.original_url.startswith("https://images.pap.example/") for p in without_file)

    errors, crawls = crawl_everything()
    assert errors == []
    public, *desk = crawls
    # The crawl reached what it should: every demo article, and the desk's pages per role.
    assert all(article.get_absolute_url() in public.seen for article in published)
    assert public.fetched["articles:api-article-detail"] > 0
    assert public.fetched["articles:tag-feed-rss"] > 0
    assert "/tags/lodz/" in public.seen
    assert all(crawl.pages > 50 for crawl in desk), [crawl.pages for crawl in desk]


def test_after_importing_every_wire_sample_no_page_answers_a_server_error(demo, wire_samples):
    outcomes = list(ingest_paths([wire_samples]))
    # Everything imports but the JSON schemas beside the examples, which are no wire items.
    failed = {Path(o.file).parent.name for o in outcomes if o.status == Outcome.FAILED}
    assert failed == {"schema"}
    assert sum(o.status == Outcome.IMPORTED for o in outcomes) == 11
    errors, _ = crawl_everything()
    assert errors == []


def test_the_crawl_reports_a_page_that_fails(wire_article, monkeypatch):
    """The net has no hole: a page that raises is reported with its address."""

    def broken(*args, **kwargs):
        raise RuntimeError("broken on purpose")

    monkeypatch.setattr(views.ArticleDetailView, "get_context_data", broken)
    crawl = Crawl(Client(raise_request_exception=False), within="/", per_route=5).run(["/"])
    assert crawl.errors == [f"500 {wire_article.get_absolute_url()}"]
