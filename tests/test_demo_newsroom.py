"""`make run` loads the demo newsroom: a newcomer finds the modelled wire page in it."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from articles.models import Article, Photo, Section, Source

pytestmark = pytest.mark.django_db


def load_demo(**options):
    out = StringIO()
    call_command("load_demo", stdout=out, **options)
    return out.getvalue()


def counts():
    return (
        Section.objects.for_readers().count(),
        *(m.objects.count() for m in (Source, Article, Photo)),
    )


def test_demo_loads_a_newsroom_and_a_second_run_duplicates_nothing(settings, renditions_root):
    settings.DEBUG = True
    load_demo()
    first = counts()
    files = sorted(renditions_root.rglob("*"))
    load_demo()
    assert counts() == first
    assert sorted(renditions_root.rglob("*")) == files
    sections, sources, articles, photos = first
    assert sections == 9
    assert 35 <= articles <= 45
    assert photos > 0
    assert list(Section.objects.for_readers().values_list("name", flat=True)) == [
        "Politics",
        "World",
        "Business",
        "Sport",
        "Culture",
        "Science",
        "Opinion",
        "Technology",
        "Łódź i region",
    ]
    assert get_user_model().objects.filter(username="admin", is_superuser=True).count() == 1


def test_demo_politics_article_is_the_modelled_wire_page(client, settings):
    settings.DEBUG = True
    load_demo()
    politics = client.get("/politics/").content.decode()
    newest = re.search(r'class="card-headline"><a href="([^"]+)">([^<]+)</a>', politics)
    html = client.get(newest.group(1)).content.decode()
    assert (
        "EPA/PHOTOGRAPHER NAME / SPUTNIK / KREMLIN POOL MANDATORY CREDIT Dostawca: PAP/EPA."
        in html
    )
    assert "podpis źródła zdjęcia" in html
    assert '<a href="https://abcnews.go.com" rel="nofollow noopener">abcnews.go.com</a>' in html
    more_in = re.search(r'<section class="more-in".*?</section>', html, re.S).group(0)
    assert more_in.count("<li>") == 5


def test_demo_creates_no_login_when_debug_is_off(settings):
    settings.DEBUG = False
    output = load_demo()
    users = get_user_model().objects.all()
    # The staff writers have author pages, not logins.
    assert not any(user.has_usable_password() or user.is_staff for user in users)
    assert "No demo login was created because DEBUG is off." in output


def test_dry_run_writes_nothing(settings, renditions_root):
    settings.DEBUG = True
    output = load_demo(dry_run=True)
    assert counts() == (0, 0, 0, 0)
    assert not get_user_model().objects.exists()
    assert not renditions_root.exists() or not any(renditions_root.rglob("*.jpg"))
    assert "Dry run" in output


def test_demo_bylines_and_authors_agree(client, settings):
    settings.DEBUG = True
    load_demo()
    assert client.get("/authors/admin/").status_code == 404
    marta = get_user_model().objects.get(username="marta-lis")
    assert marta.get_full_name() == "Marta Lis"
    hers = Article.objects.filter(authors=marta)
    assert hers.exists()
    assert set(hers.values_list("byline", flat=True)) == {"By Marta Lis"}
    assert client.get("/authors/marta-lis/").status_code == 200
    # Agency copy names no one with an account: no author page claims it.
    agency = Article.objects.get(headline="Łódź council approves tram line to new rail hub")
    assert agency.byline == "By Ewa Janik, PAP"
    assert not agency.authors.exists()


def test_a_demo_byline_links_to_the_writers_author_page(client, settings):
    settings.DEBUG = True
    load_demo()
    article = Article.objects.filter(byline="By Julia Sokół").first()
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<span class="byline">By <a href="/authors/julia-sokol/">Julia Sokół</a></span>' in html


def test_running_the_demo_again_fixes_the_authors_an_older_demo_gave_everything(settings):
    settings.DEBUG = True
    load_demo()
    admin = get_user_model().objects.get(username="admin")
    for article in Article.objects.published():  # as the demo loaded them before
        article.authors.set([admin])
    load_demo()
    assert not Article.objects.filter(authors=admin).exists()
    for article in Article.objects.filter(byline="By Marta Lis"):
        assert [a.username for a in article.authors.all()] == ["marta-lis"]
