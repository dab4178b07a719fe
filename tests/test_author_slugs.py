"""Author pages use a public slug made from the full name; login names stay private."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from articles.models import AuthorProfile
from tests.factories import ArticleFactory, UserFactory

LOGIN = "jkowalski.login"


@pytest.fixture
def lukasz(db):
    return UserFactory(username=LOGIN, first_name="Łukasz", last_name="Żółć-Kowalski")


@pytest.mark.django_db
def test_the_author_page_is_at_the_transliterated_full_name(client, politics, lukasz):
    ArticleFactory(section=politics, headline="Tram plan approved").authors.add(lukasz)
    response = client.get("/authors/lukasz-zolc-kowalski/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Łukasz Żółć-Kowalski</h1>" in page
    assert "Tram plan approved" in page
    assert LOGIN not in page


@pytest.mark.django_db
def test_the_old_login_name_address_answers_301_to_the_slug(client, politics, lukasz):
    ArticleFactory(section=politics).authors.add(lukasz)
    response = client.get(f"/authors/{LOGIN}/")
    assert response.status_code == 301
    assert response["Location"] == "/authors/lukasz-zolc-kowalski/"


@pytest.mark.django_db
def test_login_names_of_people_with_nothing_published_are_not_confirmed(client, politics):
    drafter = UserFactory(username="drafter", first_name="Dana", last_name="Draft")
    ArticleFactory(section=politics, draft=True).authors.add(drafter)
    UserFactory(username="editor-in-chief", first_name="Ewa", last_name="Chief")
    gone = UserFactory(username="gone", first_name="Gone", last_name="Away", is_active=False)
    ArticleFactory(section=politics).authors.add(gone)
    for address in ("/authors/drafter/", "/authors/editor-in-chief/", "/authors/gone/"):
        assert client.get(address).status_code == 404, address
    assert client.get("/authors/gone-away/").status_code == 404
    assert client.get("/authors/nobody/").status_code == 404


@pytest.mark.django_db
def test_namesakes_get_their_own_pages(client, politics):
    first = UserFactory(username="anna1", first_name="Anna", last_name="Nowak")
    second = UserFactory(username="anna2", first_name="Anna", last_name="Nowak")
    ArticleFactory(section=politics, headline="Story by the first Anna").authors.add(first)
    ArticleFactory(section=politics, headline="Story by the second Anna").authors.add(second)
    assert first.author_profile.slug == "anna-nowak"
    assert second.author_profile.slug == "anna-nowak-2"
    assert "Story by the second Anna" in client.get("/authors/anna-nowak-2/").content.decode()
    assert "Story by the second Anna" not in client.get("/authors/anna-nowak/").content.decode()


@pytest.mark.django_db
def test_the_slug_follows_a_name_typed_after_the_account_until_the_first_publication(
    politics,
):
    # The admin's add-user form asks for the login and password first, the name later.
    person = UserFactory(username="new.hire", first_name="", last_name="")
    assert person.author_profile.slug == "author"
    person.first_name, person.last_name = "Zofia", "Wiśniewska"
    person.save()
    assert AuthorProfile.objects.get(user=person).slug == "zofia-wisniewska"

    ArticleFactory(section=politics).authors.add(person)
    person.last_name = "Nowak"
    person.save()
    assert AuthorProfile.objects.get(user=person).slug == "zofia-wisniewska"


@pytest.mark.django_db
def test_no_public_surface_prints_a_login_name(client, politics):
    named = UserFactory(username=LOGIN, first_name="Łukasz", last_name="Kowalski")
    unnamed = UserFactory(username="nameless.login", first_name="", last_name="")
    article = ArticleFactory(section=politics, byline="", headline="Budget passes")
    article.authors.add(named, unnamed)
    pages = [
        article.get_absolute_url(),
        "/feeds/rss/",
        "/feeds/atom/",
        "/authors/lukasz-kowalski/",
        "/authors/author/",
        "/sitemap-articles.xml",
    ]
    for address in pages:
        response = client.get(address)
        assert response.status_code == 200, address
        text = response.content.decode()
        assert LOGIN not in text, address
        assert "nameless.login" not in text, address
    page = client.get(article.get_absolute_url()).content.decode()
    assert '<a href="/authors/lukasz-kowalski/">Łukasz Kowalski</a>' in page
    assert '<a href="/authors/author/">Staff writer</a>' in page
    assert '"url": "http://testserver/authors/lukasz-kowalski/"' in page  # JSON-LD


BEFORE = [("articles", "0026_author_profile")]
AFTER = [("articles", "0027_give_existing_staff_author_slugs")]


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


@pytest.mark.django_db(transaction=True)
def test_existing_staff_get_slugs_from_their_names():
    apps = migrate(BEFORE)
    try:
        User = apps.get_model("auth", "User")
        User.objects.create(username="a.nowak", first_name="Anna", last_name="Nowak")
        User.objects.create(username="a.nowak2", first_name="Anna", last_name="Nowak")
        User.objects.create(username="lz", first_name="Łucja", last_name="Źrebięcka")
        User.objects.create(username="admin")
        apps = migrate(AFTER)
        slugs = dict(
            apps.get_model("articles", "AuthorProfile").objects.values_list(
                "user__username", "slug"
            )
        )
        assert slugs == {
            "a.nowak": "anna-nowak",
            "a.nowak2": "anna-nowak-2",
            "lz": "lucja-zrebiecka",
            "admin": "author",
        }
        migrate(BEFORE)
        assert not apps.get_model("articles", "AuthorProfile").objects.exists()
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes("articles"))
