"""The photo library: thumbnails, search, provider filter, where a photo is used, batches."""

import re

import pytest
from django.urls import reverse

from articles.models import Photo
from tests.factories import ArticleFactory, PhotoFactory, SourceFactory
from tests.photo_files import (
    AGENCY_CREDIT,
    files_under,
    image_bytes,
    upload,
    with_iim,
    xmp_packet,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_photo_changelist")
UPLOAD_SEVERAL = reverse("admin:articles_photo_upload_several")


def test_library_lists_rendition_thumbnails_in_constant_queries(
    admin_client, django_assert_max_num_queries
):
    for _ in range(12):
        PhotoFactory(provider=SourceFactory(name="PAP"))
    with django_assert_max_num_queries(10):
        html = admin_client.get(CHANGELIST).content.decode()
    thumbnails = re.findall(r'<img src="(/renditions/[^"]+)"', html)
    assert len(thumbnails) == 12
    assert all("-16x9-320.webp" in src for src in thumbnails)


@pytest.mark.parametrize(
    ("query", "found"),
    [("głosowanie", "vote"), ("pietruszka", "vote"), ("reuters", "match"), ("EPA", "epa")],
)
def test_library_search_covers_caption_credit_and_provider(admin_client, query, found):
    photos = {
        "vote": PhotoFactory(caption="Głosowanie w Sejmie", credit="PAP/Radek Pietruszka"),
        "match": PhotoFactory(
            caption="Mecz", credit="Staff", provider=SourceFactory(name="Reuters")
        ),
        "epa": PhotoFactory(caption="Kreml", credit="EPA/POOL"),
    }
    response = admin_client.get(CHANGELIST, {"q": query})
    assert [p.pk for p in response.context["cl"].result_list] == [photos[found].pk]


def test_library_filters_by_provider(admin_client):
    pap, reuters = SourceFactory(name="PAP"), SourceFactory(name="Reuters")
    from_pap = PhotoFactory(provider=pap)
    PhotoFactory(provider=reuters)
    response = admin_client.get(CHANGELIST, {"provider__id__exact": pap.pk})
    assert [p.pk for p in response.context["cl"].result_list] == [from_pap.pk]


def test_a_photo_lists_the_articles_that_use_it(admin_client):
    photo = PhotoFactory()
    used = ArticleFactory(headline="Budget passes", photo=photo)
    draft = ArticleFactory(headline="Budget analysis", photo=photo, draft=True)
    ArticleFactory(headline="Unrelated match report", photo=PhotoFactory())
    html = admin_client.get(reverse("admin:articles_photo_change", args=[photo.pk])).content
    html = html.decode()
    assert reverse("admin:articles_article_change", args=[used.pk]) in html
    assert reverse("admin:articles_article_change", args=[draft.pk]) in html
    assert "Budget analysis</a> (Draft)" in html
    assert "Unrelated match report" not in html


def test_the_library_links_to_uploading_several_photos(admin_client):
    assert UPLOAD_SEVERAL in admin_client.get(CHANGELIST).content.decode()


def test_several_photos_are_uploaded_at_once_and_each_refusal_is_explained(
    admin_client, admin_user, django_capture_on_commit_callbacks, originals_root
):
    reuters = SourceFactory(name="Reuters")
    pap = SourceFactory(name="PAP/EPA")
    existing = PhotoFactory(image=upload(image_bytes("JPEG", color="navy"), "navy.jpg"))
    from_agency = image_bytes(
        "JPEG", color="olive", xmp=xmp_packet(credit=AGENCY_CREDIT, source="PAP/EPA")
    )
    from_iim = with_iim(image_bytes("JPEG", color="teal"), {(2, 120): "Łódź".encode()})
    files = [
        upload(from_agency, "agency.jpg"),
        upload(from_iim, "teal.jpg"),
        upload(b"not a photo", "notes.jpg"),
        upload(image_bytes("JPEG", color="navy"), "navy-again.jpg"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            UPLOAD_SEVERAL,
            {"files": files, "credit": "Reuters/Staff", "provider": reuters.pk},
            follow=True,
        )
    html = response.content.decode()
    assert response.status_code == 200
    assert "2 photo(s) saved." in html
    assert "2 file(s) refused" in html
    assert "notes.jpg: This file is not a JPEG, PNG or WebP image" in html
    assert f"navy-again.jpg: already in the library as “{existing}”" in html
    agency = Photo.objects.get(credit=AGENCY_CREDIT)
    assert (agency.provider, agency.uploaded_by) == (pap, admin_user)
    teal = Photo.objects.get(caption="Łódź")
    assert (teal.credit, teal.provider) == ("Reuters/Staff", reuters)
    assert agency.renditions.exists() and teal.renditions.exists()
    assert len(files_under(originals_root)) == 3


def test_a_batch_file_without_any_credit_is_refused(admin_client, originals_root):
    response = admin_client.post(
        UPLOAD_SEVERAL, {"files": [upload(image_bytes("PNG"), "a.png", "image/png")]}
    )
    assert "a.png: no credit in the file" in response.content.decode()
    assert not Photo.objects.exists()
    assert files_under(originals_root) == []
