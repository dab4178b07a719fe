"""What must be true of an article before readers may see it."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from articles.desk import workflow
from articles.models import Article
from tests.factories import ArticleFactory, PhotoFactory

pytestmark = pytest.mark.django_db


def test_an_article_with_a_credited_described_lead_photo_may_be_published():
    article = ArticleFactory(draft=True, photo=PhotoFactory())
    assert article.publication_problems() == []


def test_an_article_without_a_lead_photo_may_be_published():
    assert ArticleFactory(draft=True, photo=None).publication_problems() == []


def test_a_lead_photo_without_credit_stops_publication_and_is_named():
    photo = PhotoFactory(credit="", caption="Sejm w nocy")
    problems = ArticleFactory(draft=True, photo=photo).publication_problems()
    assert len(problems) == 1
    assert "“Sejm w nocy”" in problems[0]
    assert f"no. {photo.pk}" in problems[0]
    assert "credit" in problems[0]
    assert "alt text" not in problems[0]


def test_a_lead_photo_without_alt_text_stops_publication():
    photo = PhotoFactory(alt_text="   ", caption="Sejm w nocy")
    problems = ArticleFactory(draft=True, photo=photo).publication_problems()
    assert len(problems) == 1
    assert "alt text" in problems[0] and "credit" not in problems[0]


def test_a_caption_is_no_substitute_for_alt_text():
    photo = PhotoFactory(alt_text="", caption="Posłowie głosują nad budżetem")
    assert ArticleFactory(draft=True, photo=photo).publication_problems()


def test_scheduling_is_held_to_the_same_rule():
    photo = PhotoFactory(credit="", alt_text="")
    article = ArticleFactory(draft=True, photo=photo)
    problems = article.publication_problems(at=timezone.now() + timedelta(days=1))
    assert problems and "credit and alt text" in problems[0]


def test_a_photo_can_be_saved_without_alt_text_until_it_is_published(admin_client):
    photo = PhotoFactory(alt_text="")
    response = admin_client.post(
        reverse("admin:articles_photo_change", args=[photo.pk]),
        {"credit": "PAP", "caption": "Draft caption", "alt_text": ""},
    )
    assert response.status_code == 302


def test_the_desk_cannot_publish_with_an_uncredited_lead_photo(admin_client, politics):
    photo = PhotoFactory(credit="", caption="Sejm w nocy")
    data = {
        "headline": "Sejm passes the budget",
        "slug": "",
        "section": politics.pk,
        "body": "<p>The vote was close.</p>",
        "photo": photo.pk,
        "_workflow": "publish",
        "source_links-TOTAL_FORMS": "0",
        "source_links-INITIAL_FORMS": "0",
        "source_links-MIN_NUM_FORMS": "0",
        "source_links-MAX_NUM_FORMS": "1000",
    }
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    assert "“Sejm w nocy”" in response.content.decode()
    assert not Article.objects.exists()
    data["_workflow"] = "save"
    assert admin_client.post(reverse("admin:articles_article_add"), data).status_code == 302
    assert not Article.objects.published().exists()


def test_the_workflow_refuses_to_publish_or_schedule_an_uncredited_lead_photo(editor):
    photo = PhotoFactory(credit="", caption="Sejm w nocy")
    article = ArticleFactory(draft=True, photo=photo)
    for at in (None, timezone.now() + timedelta(hours=2)):
        with pytest.raises(ValidationError, match="Sejm w nocy"):
            workflow.article_publish(article=article, user=editor, at=at)
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


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


def test_lead_photo_without_an_image_file_blocks_publication(politics):
    photo = PhotoFactory(image=None, renditions=False, caption="Agency photo on its way")
    problems = ArticleFactory(section=politics, draft=True, photo=photo).publication_problems()
    assert len(problems) == 1
    assert "has no image file yet" in problems[0]
