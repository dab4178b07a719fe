"""The admin as the desk uses it every day."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article, Photo, Source
from tests.factories import ArticleFactory, PhotoFactory, SourceFactory

pytestmark = pytest.mark.django_db

ADD_ARTICLE = reverse("admin:articles_article_add")


def article_form(section, **overrides):
    data = {
        "headline": "Sejm passes the budget",
        "slug": "",
        "section": section.pk,
        "standfirst": "A late-night vote.",
        "body": "<p>The vote was close.</p>",
        "byline": "By Anna Nowak",
        "status": "draft",
        "source_links-TOTAL_FORMS": "0",
        "source_links-INITIAL_FORMS": "0",
        "source_links-MIN_NUM_FORMS": "0",
        "source_links-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def with_sources(data, *rows):
    data = dict(data)
    data["source_links-TOTAL_FORMS"] = str(len(rows))
    for index, (source, position) in enumerate(rows):
        data[f"source_links-{index}-source"] = source.pk
        data[f"source_links-{index}-position"] = position
    return data


def test_article_is_created_from_the_admin_with_a_generated_slug(admin_client, politics):
    response = admin_client.post(ADD_ARTICLE, article_form(politics, headline="Łódź żółć"))
    assert response.status_code == 302
    assert Article.objects.get().slug == "lodz-zolc"


def test_invalid_form_keeps_everything_that_was_typed(admin_client, politics):
    data = article_form(politics)
    data.update(section="", body="<p>Three paragraphs of careful work.</p>")
    response = admin_client.post(ADD_ARTICLE, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "This field is required." in html
    assert 'value="Sejm passes the budget"' in html
    assert "A late-night vote." in html
    assert "Three paragraphs of careful work." in html
    assert not Article.objects.exists()


@pytest.mark.parametrize("field", ["headline", "standfirst", "byline", "body"])
def test_nul_characters_are_refused_with_a_form_error(admin_client, politics, field):
    response = admin_client.post(ADD_ARTICLE, article_form(politics, **{field: "Bad\x00text"}))
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()
    assert not Article.objects.exists()


def test_nul_in_a_photo_credit_is_refused(admin_client):
    response = admin_client.post(
        reverse("admin:articles_photo_add"),
        {"image": image_upload(), "credit": "EPA\x00", "caption": "", "alt_text": ""},
    )
    assert "Null characters are not allowed." in response.content.decode()
    assert not Photo.objects.exists()


def test_sources_keep_the_order_set_in_the_form(admin_client, politics):
    abc, reuters, pap = (SourceFactory(name=n) for n in ("abcnews.go.com", "Reuters", "PAP"))
    data = with_sources(article_form(politics), (reuters, ""), (abc, ""), (pap, ""))
    assert admin_client.post(ADD_ARTICLE, data).status_code == 302
    article = Article.objects.get()
    assert [s.name for s in article.ordered_sources()] == ["Reuters", "abcnews.go.com", "PAP"]


def test_explicit_source_numbers_reorder_them(admin_client, politics):
    abc, reuters = SourceFactory(name="abcnews.go.com"), SourceFactory(name="Reuters")
    data = with_sources(article_form(politics), (reuters, 2), (abc, 1))
    assert admin_client.post(ADD_ARTICLE, data).status_code == 302
    article = Article.objects.get()
    assert [s.name for s in article.ordered_sources()] == ["abcnews.go.com", "Reuters"]
    change_page = admin_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    html = change_page.content.decode()
    inline_sources = re.findall(
        r'name="source_links-\d-source".*?<option value="\d+" selected>([^<]+)</option>',
        html,
        re.S,
    )
    assert inline_sources == ["abcnews.go.com", "Reuters"]


def test_tags_can_be_picked_or_created_in_the_form(admin_client, politics):
    ArticleFactory().tags.add("Budget")
    data = article_form(politics)
    response = admin_client.post(ADD_ARTICLE, {**data, "tags": ["budget", "Sejm", "Sejm"]})
    assert response.status_code == 302
    assert sorted(t.name for t in Article.objects.get(headline=data["headline"]).tags.all()) == [
        "Budget",
        "Sejm",
    ]


def test_tag_suggestions_come_from_existing_tags(admin_client):
    ArticleFactory().tags.add("Budget", "Brexit", "Sport")
    response = admin_client.get(reverse("admin:articles_article_tag_suggestions"), {"term": "b"})
    assert [r["text"] for r in response.json()["results"]] == ["Brexit", "Budget"]


def test_tag_suggestions_need_a_staff_login(client):
    response = client.get(reverse("admin:articles_article_tag_suggestions"), {"term": "b"})
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_article_form_has_autocompletes_preview_and_a_local_rich_text_editor(
    admin_client, wire_article
):
    html = admin_client.get(
        reverse("admin:articles_article_change", args=[wire_article.pk])
    ).content.decode()
    for field in ("section", "photo", "authors"):
        assert re.search(rf'<select[^>]+name="{field}"[^>]+admin-autocomplete', html), field
    assert 'data-tags="true"' in html
    assert "django_prose_editor/editor.js" in html
    assert rendition_urls(wire_article.photo) & image_sources(html)  # the lead photo preview
    scripts = re.findall(r'<script[^>]+src="([^"]+)"', html)
    assert scripts and all(src.startswith(("/static/", "/admin/jsi18n/")) for src in scripts)


def test_article_list_has_the_desk_columns_and_search(admin_client, wire_article):
    ArticleFactory(headline="Unrelated sport story")
    url = reverse("admin:articles_article_changelist")
    html = admin_client.get(url, {"q": "Kremlin"}).content.decode()
    for column in ("headline", "section", "state", "byline", "publish_at", "thumbnail"):
        assert f"column-{column}" in html
    assert "Kremlin talks end without agreement" in html
    assert "Unrelated sport story" not in html
    assert rendition_urls(wire_article.photo) & image_sources(html)


def rendition_urls(photo):
    return {rendition.file.url for rendition in photo.renditions.all()}


def image_sources(html):
    return set(re.findall(r'<img src="([^"]+)"', html))


def image_upload(name="photo.jpg", content_type="image/jpeg"):
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (320, 200), "firebrick").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


def test_photo_upload_records_size_and_uploader(admin_client, admin_user):
    response = admin_client.post(
        reverse("admin:articles_photo_add"),
        {"image": image_upload(), "credit": "PAP/Radek Pietruszka", "caption": "Sejm"},
    )
    assert response.status_code == 302
    photo = Photo.objects.get()
    assert (photo.width, photo.height, photo.uploaded_by) == (320, 200, admin_user)


def test_a_file_that_is_not_an_image_is_refused_with_a_message(admin_client, renditions_root):
    fake = SimpleUploadedFile("photo.jpg", b"this is not an image", content_type="image/jpeg")
    response = admin_client.post(
        reverse("admin:articles_photo_add"),
        {"image": fake, "credit": "PAP/Radek Pietruszka", "caption": "Typed caption kept"},
    )
    html = response.content.decode()
    assert "This file is not a JPEG, PNG or WebP image" in html
    assert "Typed caption kept" in html
    assert not Photo.objects.exists()
    assert not any(renditions_root.rglob("*.jpg")) if renditions_root.exists() else True


def test_photo_list_shows_thumbnails_and_searches_credit(admin_client):
    PhotoFactory(credit="REUTERS/Kacper Pempel")
    PhotoFactory(credit="EPA/JOHN SMITH")
    html = admin_client.get(
        reverse("admin:articles_photo_changelist"), {"q": "pempel"}
    ).content.decode()
    assert "REUTERS/Kacper Pempel" in html
    assert "EPA/JOHN SMITH" not in html
    assert "<img src=" in html


def test_a_source_typed_without_https_is_kept_as_https(admin_client):
    response = admin_client.post(
        reverse("admin:articles_source_add"),
        {"name": "ABC News", "url": "abcnews.go.com", "feed_url": "abcnews.go.com/rss"},
    )
    assert response.status_code == 302
    source = Source.objects.get(name="ABC News")
    assert (source.url, source.feed_url) == (
        "https://abcnews.go.com",
        "https://abcnews.go.com/rss",
    )
