"""The lead-photo picker on the article form: its library pages, its upload, and who may use
them. The dialog itself is exercised in Chromium (tests/test_browser_lead_photo_picker.py)."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Photo, Rendition
from tests.factories import ArticleFactory, PhotoFactory, SourceFactory, UserFactory
from tests.photo_files import files_under, image_bytes, upload

pytestmark = pytest.mark.django_db

PICKER = reverse("admin:articles_photo_picker")
UPLOAD = reverse("admin:articles_photo_picker_upload")


def photo_taken(days_ago, **fields):
    photo = PhotoFactory(**fields)
    Photo.objects.filter(pk=photo.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
    return photo


def listed_ids(html):
    return [int(pk) for pk in re.findall(r'data-photo-id="(\d+)"', html)]


def thumbnail_url(photo):
    """The 320-pixel 16:9 WebP: the smallest card rendition wider than a 96-pixel thumbnail."""
    return Rendition.objects.get(photo=photo, crop="16:9", format="webp", width=320).file.url


def client_for(client, user):
    client.force_login(user)
    return client


def staff_with(username, *codenames):
    """A staff account with exactly these permissions of the articles app, in no role."""
    group = Group.objects.create(name=f"Only {username}")
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
    )
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(group)
    return user


# The library, as the picker lists it.


def test_picker_lists_the_library_newest_first_with_thumbnails(journalist_client):
    oldest = photo_taken(3, caption="Sejm in session")
    newest = photo_taken(1, caption="Tram depot at dawn")
    middle = photo_taken(2, caption="Flood barriers on the Vistula")

    response = journalist_client.get(PICKER)

    assert response.status_code == 200
    html = response.content.decode()
    assert listed_ids(html) == [newest.pk, middle.pk, oldest.pk]
    for photo in (oldest, newest, middle):
        assert f'src="{thumbnail_url(photo)}"' in html
    assert "3 photos, newest first." in html
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.parametrize(
    ("query", "expected"),
    [("Kowalska", "reuters"), ("depot", "caption"), ("Agencja Gazeta", "provider")],
    ids=["credit", "caption", "provider"],
)
def test_picker_searches_caption_credit_and_provider(journalist_client, query, expected):
    photos = {
        "reuters": PhotoFactory(credit="REUTERS/Anna Kowalska", caption="Budget vote"),
        "caption": PhotoFactory(credit="PAP/Leszek Szymański", caption="Tram depot at dawn"),
        "provider": PhotoFactory(
            credit="Sławomir Kamiński", provider=SourceFactory(name="Agencja Gazeta")
        ),
        "other": PhotoFactory(credit="EPA/Radek Pietruszka", caption="Sejm in session"),
    }

    html = journalist_client.get(PICKER, {"q": query}).content.decode()

    assert listed_ids(html) == [photos[expected].pk]
    assert f"matching “{query}”" in html


def test_picker_says_when_nothing_matches(journalist_client):
    PhotoFactory(credit="PAP/Radek Pietruszka", renditions=False)
    html = journalist_client.get(PICKER, {"q": "Hubble"}).content.decode()
    assert listed_ids(html) == []
    assert "No photo matches “Hubble”." in html


def test_picker_pages_through_a_large_library_with_the_search_kept(journalist_client):
    for n in range(27):
        photo_taken(n + 1, credit=f"PAP/Photographer {n}", renditions=False)
    PhotoFactory(credit="REUTERS/Someone else", renditions=False)

    first = journalist_client.get(PICKER, {"q": "PAP"}).content.decode()
    second = journalist_client.get(PICKER, {"q": "PAP", "page": 2}).content.decode()

    assert len(listed_ids(first)) == 24
    assert len(listed_ids(second)) == 3
    assert "Page 1 of 2" in first
    assert 'href="?q=PAP&amp;page=2"' in first
    assert 'href="?q=PAP&amp;page=1"' in second
    assert "27 photos matching “PAP”, newest first." in first
    assert set(listed_ids(first)).isdisjoint(listed_ids(second))


def test_picker_shows_one_photo_by_number_for_the_forms_preview(journalist_client):
    wanted = PhotoFactory(caption="Tram depot at dawn")
    PhotoFactory(caption="Sejm in session")

    html = journalist_client.get(PICKER, {"id": wanted.pk}).content.decode()

    assert listed_ids(html) == [wanted.pk]
    preview = Rendition.objects.get(photo=wanted, crop="16:9", format="webp", width=640)
    assert f'data-preview-src="{preview.file.url}"' in html
    assert journalist_client.get(PICKER, {"id": "1 OR 1=1"}).status_code == 400


def test_picker_never_encodes_renditions_on_request(journalist_client):
    photo = PhotoFactory(renditions=False)

    html = journalist_client.get(PICKER).content.decode()

    assert listed_ids(html) == [photo.pk]
    assert "No thumbnail yet" in html
    assert not Rendition.objects.exists()


@pytest.mark.parametrize("photos", [2, 30])
def test_picker_page_costs_the_same_queries_however_many_photos(
    journalist, client, django_assert_num_queries, photos
):
    PhotoFactory.create_batch(2, provider=SourceFactory(name="PAP"))
    PhotoFactory.create_batch(photos - 2, provider=SourceFactory(name="EPA"), renditions=False)
    client.force_login(journalist)
    # Session, user, their two permission sets, the count, one page of photos with their
    # providers, and those photos' thumbnails.
    with django_assert_num_queries(7):
        response = client.get(PICKER)
    assert len(listed_ids(response.content.decode())) == min(photos, 24)


# Upload in place: the photo desk's own form and checks.


def test_journalist_uploads_a_photo_in_the_picker(
    journalist_client, journalist, django_capture_on_commit_callbacks
):
    pap = SourceFactory(name="PAP")
    with django_capture_on_commit_callbacks(execute=True):
        response = journalist_client.post(
            UPLOAD,
            {
                "lead-photo-upload-files": upload(image_bytes(), "tram.jpg"),
                "lead-photo-upload-credit": "PAP/Leszek Szymański",
                "lead-photo-upload-provider": pap.pk,
            },
        )

    assert response.status_code == 200
    photo = Photo.objects.get()
    assert (photo.credit, photo.provider, photo.uploaded_by) == (
        "PAP/Leszek Szymański",
        pap,
        journalist,
    )
    html = response.content.decode()
    assert listed_ids(html) == [photo.pk]
    assert "Saved to the library" in html
    assert photo.renditions.exists()


def test_picker_upload_form_is_the_photo_desks_batch_form(journalist_client):
    html = journalist_client.get(UPLOAD).content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    for name in ("files", "credit", "provider"):
        assert f'name="lead-photo-upload-{name}"' in html
    assert 'accept="image/jpeg,image/png,image/webp"' in html


@pytest.mark.parametrize(
    ("content", "fields", "message"),
    [
        (
            b"Minutes of the editorial meeting",
            {"credit": "PAP/Leszek Szymański"},
            "not a JPEG, PNG or WebP",
        ),
        (image_bytes(), {}, "no credit in the file"),
    ],
    ids=["not an image", "no credit"],
)
def test_a_refused_upload_shows_why_and_leaves_no_file(
    journalist_client, originals_root, renditions_root, content, fields, message
):
    response = journalist_client.post(
        UPLOAD,
        {
            "lead-photo-upload-files": upload(content, "photo.jpg"),
            **{f"lead-photo-upload-{k}": v for k, v in fields.items()},
        },
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert not Photo.objects.exists()
    assert files_under(originals_root) == []
    assert files_under(renditions_root) == []


def test_a_refused_upload_keeps_the_credit_and_provider_typed(journalist_client):
    pap = SourceFactory(name="PAP")
    response = journalist_client.post(
        UPLOAD,
        {
            "lead-photo-upload-files": upload(b"not an image", "photo.jpg"),
            "lead-photo-upload-credit": "PAP/Leszek Szymański",
            "lead-photo-upload-provider": pap.pk,
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'value="PAP/Leszek Szymański"' in html
    assert f'<option value="{pap.pk}" selected>PAP</option>' in html


def test_uploading_a_photo_already_in_the_library_is_refused(journalist_client, originals_root):
    existing = PhotoFactory(renditions=False)
    with existing.image.open("rb") as file:
        content = file.read()
    before = files_under(originals_root)

    response = journalist_client.post(
        UPLOAD,
        {"lead-photo-upload-files": upload(content), "lead-photo-upload-credit": "PAP"},
    )

    assert response.status_code == 400
    assert "already in the library" in response.content.decode()
    assert list(Photo.objects.all()) == [existing]
    assert files_under(originals_root) == before


def test_an_upload_without_a_file_asks_for_one(journalist_client):
    response = journalist_client.post(UPLOAD, {"lead-photo-upload-credit": "PAP"})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not Photo.objects.exists()


# Who may use it: checked by the server on every request.


@pytest.mark.parametrize("url", [PICKER, UPLOAD])
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    PhotoFactory(caption="Embargoed picture", renditions=False)
    for response in (client.get(url), client.post(url, {})):
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    assert Photo.objects.count() == 1


@pytest.mark.parametrize("url", [PICKER, UPLOAD])
def test_a_reader_account_is_sent_to_sign_in(client, url):
    PhotoFactory(caption="Embargoed picture", renditions=False)
    client_for(client, UserFactory(username="reader", is_staff=False))
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert b"Embargoed picture" not in response.content


def test_staff_who_may_not_see_photos_cannot_open_the_picker(client):
    PhotoFactory(caption="Embargoed picture", renditions=False)
    client_for(client, staff_with("sub", "view_article", "change_article", "add_article"))
    response = client.get(PICKER)
    assert response.status_code == 403
    assert b"Embargoed picture" not in response.content


def test_journalist_without_the_upload_right_cannot_upload(client, originals_root):
    user = staff_with("intern", "view_article", "change_article", "add_article", "view_photo")
    client_for(client, user)
    assert client.get(PICKER).status_code == 200  # browsing is allowed
    assert client.get(UPLOAD).status_code == 403
    response = client.post(
        UPLOAD,
        {"lead-photo-upload-files": upload(image_bytes()), "lead-photo-upload-credit": "PAP"},
    )
    assert response.status_code == 403
    assert not Photo.objects.exists()
    assert files_under(originals_root) == []


def test_upload_without_the_csrf_token_is_refused(journalist):
    client = Client(enforce_csrf_checks=True)
    client.force_login(journalist)
    response = client.post(
        UPLOAD,
        {"lead-photo-upload-files": upload(image_bytes()), "lead-photo-upload-credit": "PAP"},
    )
    assert response.status_code == 403
    assert not Photo.objects.exists()


# What the article form offers whom.


def article_form(client, article):
    return client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()


def test_article_form_offers_the_picker_over_the_plain_select(journalist_client, journalist):
    article = ArticleFactory(draft=True, created_by=journalist, photo=PhotoFactory())
    html = article_form(journalist_client, article)

    # Without the script the autocomplete select still chooses the photo.
    assert re.search(r'<select[^>]+name="photo"[^>]+admin-autocomplete', html)
    assert f'<option value="{article.photo.pk}" selected>' in html
    assert "Choose from the photo library" in html
    assert re.search(r'class="button lead-photo-picker-open"[^>]*hidden', html)
    assert f'data-photos-url="{PICKER}"' in html
    assert f'data-upload-url="{UPLOAD}"' in html
    assert '<script src="/static/js/lead_photo_picker.js"' in html
    assert 'href="/static/css/lead_photo_picker.css"' in html


def test_article_form_offers_no_upload_to_whom_may_not_upload(client):
    user = staff_with("intern", "view_article", "change_article", "add_article", "view_photo")
    client_for(client, user)
    html = client.get(reverse("admin:articles_article_add")).content.decode()
    assert f'data-photos-url="{PICKER}"' in html
    assert "data-upload-url" not in html


def test_article_form_offers_no_picker_to_whom_may_not_see_photos(client):
    client_for(client, staff_with("sub", "view_article", "change_article", "add_article"))
    html = client.get(reverse("admin:articles_article_add")).content.decode()
    assert re.search(r'<select[^>]+name="photo"[^>]+admin-autocomplete', html)
    assert "lead-photo-picker" not in html


# Hostile text in the library is shown as text.

SCRIPT = '<script>alert("caption")</script>'
IMG = '"><img src=x onerror=alert(1)>'


def test_hostile_caption_credit_and_provider_are_escaped_in_the_picker(journalist_client):
    PhotoFactory(
        caption=SCRIPT,
        credit=IMG,
        alt_text=IMG,
        provider=SourceFactory(name="<b onmouseover=alert(2)>Agency</b>"),
    )

    html = journalist_client.get(PICKER, {"q": '"><svg onload=alert(3)>'}).content.decode()
    html += journalist_client.get(PICKER).content.decode()

    for raw in (SCRIPT, IMG, "<b onmouseover", "<svg onload"):
        assert raw not in html
    assert "&lt;script&gt;alert(&quot;caption&quot;)&lt;/script&gt;" in html
    assert "&lt;b onmouseover=alert(2)&gt;Agency&lt;/b&gt;" in html
    assert 'data-alt="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"' in html
    assert "<script" not in html and "style=" not in html  # CSP: nothing inline


def test_hostile_file_name_of_a_refused_upload_is_escaped(journalist_client):
    response = journalist_client.post(
        UPLOAD,
        {
            "lead-photo-upload-files": upload(b"not an image", f"{IMG}.jpg"),
            "lead-photo-upload-credit": SCRIPT,
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert IMG not in html and SCRIPT not in html
    assert "&lt;img src=x onerror=alert(1)&gt;.jpg" in html


def test_hostile_photo_label_is_escaped_in_the_article_form(journalist_client, journalist):
    photo = PhotoFactory(caption=SCRIPT, renditions=False)
    article = ArticleFactory(draft=True, created_by=journalist, photo=photo)
    html = article_form(journalist_client, article)
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(&quot;caption&quot;)&lt;/script&gt;" in html
