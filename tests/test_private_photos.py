"""Pictures for unpublished or embargoed stories stay inside the desk until publication."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.desk import workflow
from articles.desk.revisions import record_revision
from articles.models import Article, Rendition
from tests.factories import ArticleFactory, PhotoFactory

pytestmark = pytest.mark.django_db


def rendition_urls(photo):
    return [r.file.url for r in Rendition.objects.filter(photo=photo)]


def fetch(client, url, **headers):
    response = client.get(url, **headers)
    if response.status_code == 200:
        b"".join(response.streaming_content)  # read the file, and close it
    return response


def test_a_photo_of_a_draft_is_not_fetchable_by_readers(client, politics, media_root):
    photo = PhotoFactory()
    ArticleFactory(section=politics, draft=True, photo=photo)
    urls = rendition_urls(photo)
    assert urls
    for url in urls:
        response = fetch(client, url)
        assert response.status_code == 404, url
        assert "no-store" in response["Cache-Control"]
    # Nothing is in the folder the web server serves.
    assert not media_root.exists() or not any(media_root.rglob("*.*"))


def test_a_photo_in_the_library_but_in_no_article_is_private(client):
    photo = PhotoFactory()
    assert fetch(client, rendition_urls(photo)[0]).status_code == 404


def test_a_published_articles_photo_is_served_to_readers_and_cached_briefly(client, politics):
    photo = PhotoFactory()
    ArticleFactory(section=politics, photo=photo)
    rendition = Rendition.objects.get(photo=photo, crop="", format="jpeg")
    response = client.get(rendition.file.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content) == rendition.file.open("rb").read()
    assert response["Cache-Control"] == "public, max-age=300"
    again = client.get(rendition.file.url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_a_scheduled_articles_photo_appears_when_it_goes_live_with_no_job(client, politics):
    photo = PhotoFactory()
    goes_live = timezone.now() + timedelta(hours=2)
    ArticleFactory(section=politics, photo=photo, publish_at=goes_live)
    url = rendition_urls(photo)[0]
    assert fetch(client, url).status_code == 404
    with time_machine.travel(goes_live + timedelta(seconds=1), tick=False):
        assert fetch(client, url).status_code == 200


def test_an_embargoed_story_keeps_its_photo_private_until_published(client, politics, editor):
    photo = PhotoFactory()
    embargo = timezone.now() + timedelta(hours=3)
    article = ArticleFactory(section=politics, draft=True, photo=photo, embargo_until=embargo)
    url = rendition_urls(photo)[0]
    assert fetch(client, url).status_code == 404
    with time_machine.travel(embargo + timedelta(minutes=1), tick=False):
        assert fetch(client, url).status_code == 404  # the embargo lifting publishes nothing
        workflow.article_publish(article=article, user=editor)
        assert fetch(client, url).status_code == 200


def test_an_unpublished_articles_photo_goes_private_again(client, politics, editor):
    photo = PhotoFactory()
    article = ArticleFactory(section=politics, photo=photo)
    url = rendition_urls(photo)[0]
    assert fetch(client, url).status_code == 200
    workflow.article_unpublish(article=article, user=editor)
    assert fetch(client, url).status_code == 404


def test_a_photo_shared_by_a_live_article_and_an_embargoed_one_is_public(client, politics):
    photo = PhotoFactory()
    ArticleFactory(section=politics, photo=photo)
    ArticleFactory(section=politics, draft=True, photo=photo)
    assert fetch(client, rendition_urls(photo)[0]).status_code == 200


def test_the_desk_sees_private_photos_and_browsers_keep_them_private(
    journalist_client, editor_client, politics
):
    photo = PhotoFactory()
    ArticleFactory(section=politics, draft=True, photo=photo)
    url = rendition_urls(photo)[0]
    for client in (journalist_client, editor_client):
        response = fetch(client, url)
        assert response.status_code == 200
        assert "private" in response["Cache-Control"]
        assert "public" not in response["Cache-Control"]


def test_a_staff_preview_shows_the_embargoed_photo(editor_client, editor, politics):
    photo = PhotoFactory()
    article = ArticleFactory(section=politics, draft=True, photo=photo)
    revision = record_revision(article=article, user=editor)
    page = editor_client.get(
        reverse("admin:articles_article_preview_revision", args=[article.pk, revision.pk])
    ).content.decode()
    shown = [url for url in rendition_urls(photo) if url in page]
    assert shown
    assert all(fetch(editor_client, url).status_code == 200 for url in shown)


def test_a_shared_preview_link_shows_its_photo_to_its_holder_only(editor, politics):
    photo = PhotoFactory()
    article = ArticleFactory(section=politics, draft=True, photo=photo)
    revision = record_revision(article=article, user=editor)
    _, token = workflow.preview_link_share(revision=revision, user=editor)
    holder, stranger = Client(), Client()
    page = holder.get(reverse("articles:preview", args=[token])).content.decode()
    shown = [url for url in rendition_urls(photo) if url in page]
    assert shown
    assert fetch(holder, shown[0]).status_code == 200
    assert fetch(stranger, shown[0]).status_code == 404


def test_staff_owing_a_second_factor_are_outside_the_desk(settings, politics, editor):
    settings.NEWSROOM_REQUIRE_2FA = True
    photo = PhotoFactory()
    ArticleFactory(section=politics, draft=True, photo=photo)
    client = Client()
    client.force_login(editor)  # a password, but no code yet
    assert fetch(client, rendition_urls(photo)[0]).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/renditions/{pk}/..%2F..%2Foriginals",
        "/renditions/{pk}/not-a-rendition.jpeg",
        "/renditions/999999/x.jpeg",
    ],
)
def test_only_rendition_files_are_served(admin_client, politics, path):
    photo = PhotoFactory()
    ArticleFactory(section=politics, photo=photo)
    assert admin_client.get(path.format(pk=photo.pk)).status_code == 404


def test_a_rendition_whose_file_is_gone_answers_404(client, politics, renditions_root):
    photo = PhotoFactory()
    ArticleFactory(section=politics, photo=photo)
    rendition = Rendition.objects.filter(photo=photo).first()
    (renditions_root / rendition.file.name).unlink()
    assert client.get(rendition.file.url).status_code == 404


def test_serving_a_rendition_costs_the_same_queries_for_any_photo(
    client, politics, django_assert_num_queries
):
    photo = PhotoFactory()
    for _ in range(5):
        ArticleFactory(section=politics, photo=photo)
    url = rendition_urls(photo)[0]
    # The rendition row, and whether a live article uses the photo.
    with django_assert_num_queries(2):
        assert fetch(client, url).status_code == 200
    assert Article.objects.filter(photo=photo).count() == 5
