import pytest

from articles.slugs import ascii_slugify
from tests.factories import ArticleFactory


def test_polish_letters_are_transliterated_not_dropped():
    assert ascii_slugify("Łódź żółć") == "lodz-zolc"


def test_slug_is_ascii_for_other_scripts():
    assert ascii_slugify("Москва принимает делегацию") == "moskva-prinimaet-delegatsiyu"


@pytest.mark.django_db
def test_blank_slug_is_made_from_the_headline():
    article = ArticleFactory(headline="Łódź votes on a new tram line")
    assert article.slug == "lodz-votes-on-a-new-tram-line"


@pytest.mark.django_db
def test_headline_collision_gets_a_suffix():
    first = ArticleFactory(headline="Budget passes")
    second = ArticleFactory(headline="Budget passes")
    third = ArticleFactory(headline="Budget passes!")
    assert [first.slug, second.slug, third.slug] == [
        "budget-passes",
        "budget-passes-2",
        "budget-passes-3",
    ]


@pytest.mark.django_db
def test_emoji_only_headline_still_gets_a_valid_unique_slug():
    first = ArticleFactory(headline="🔥🔥🔥")
    second = ArticleFactory(headline="🔥🔥🔥")
    for article in (first, second):
        assert article.slug
        assert article.slug.isascii()
        assert article.slug.replace("-", "").isalnum()
    assert first.slug != second.slug


@pytest.mark.django_db
def test_resaving_keeps_the_slug():
    article = ArticleFactory(headline="Budget passes")
    article.headline = "Budget passes after all-night session"
    article.save()
    article.refresh_from_db()
    assert article.slug == "budget-passes"


@pytest.mark.django_db
def test_very_long_headline_gives_a_slug_that_fits():
    article = ArticleFactory(headline="Minister " * 30)
    twin = ArticleFactory(headline="Minister " * 30)
    assert len(twin.slug) <= 80
    assert twin.slug != article.slug


@pytest.mark.django_db
def test_more_than_twenty_collisions_still_get_the_next_free_suffix():
    articles = [ArticleFactory(headline="Budget passes") for _ in range(23)]
    assert articles[-1].slug == "budget-passes-23"
    assert len({article.slug for article in articles}) == 23
