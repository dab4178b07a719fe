"""What the reader surfaces need before an article may be published."""

import pytest

from tests.factories import ArticleFactory, PhotoFactory

pytestmark = pytest.mark.django_db


def test_article_with_a_large_described_photo_may_be_published(politics):
    article = ArticleFactory(section=politics, draft=True, photo=PhotoFactory())
    assert article.publication_problems() == []


def test_article_without_photo_may_be_published(politics):
    assert ArticleFactory(section=politics, draft=True, photo=None).publication_problems() == []


def test_lead_photo_too_small_for_search_engines_blocks_publication(politics):
    small = PhotoFactory(image__width=300, image__height=160)  # 48,000 pixels
    problems = ArticleFactory(section=politics, draft=True, photo=small).publication_problems()
    assert problems == [
        "The lead photo is 300×160 pixels: search engines and link previews need at least "
        "50,000 pixels (e.g. 400×225). Choose a larger photo."
    ]


def test_lead_photo_of_exactly_50000_pixels_is_enough(politics):
    photo = PhotoFactory(image__width=250, image__height=200)
    assert ArticleFactory(section=politics, draft=True, photo=photo).publication_problems() == []


def test_lead_photo_without_alt_text_blocks_publication(politics):
    photo = PhotoFactory(alt_text="  ")
    problems = ArticleFactory(section=politics, draft=True, photo=photo).publication_problems()
    assert problems == [
        "The lead photo has no alt text: describe what it shows for readers who cannot see it."
    ]
