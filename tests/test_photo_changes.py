"""A photo readers see changes only through someone who may publish, and every change is kept.

A journalist's change to the credit, caption or alt text of a photo a published article
uses waits for an editor, like an edit to a live article; its image file is replaced only
by an editor. Photos only drafts use change at once. Each change records who, when, and the
old and new values, on the photo's page.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import PhotoChange
from tests.factories import ArticleFactory, PhotoFactory, SourceFactory
from tests.photo_files import image_bytes, upload

pytestmark = pytest.mark.django_db


def change_url(photo):
    return reverse("admin:articles_photo_change", args=[photo.pk])


def decide_url(photo, change, decision):
    return reverse(f"admin:articles_photo_{decision}_change", args=[photo.pk, change.pk])


def edit(client, photo, **changes):
    data = {
        "credit": photo.credit,
        "caption": photo.caption,
        "alt_text": photo.alt_text,
        "provider": photo.provider_id or "",
        "creator": photo.creator,
        "copyright_notice": photo.copyright_notice,
        "focal_x": photo.focal_x,
        "focal_y": photo.focal_y,
        **changes,
    }
    return client.post(change_url(photo), data)


@pytest.fixture
def live_photo(politics):
    photo = PhotoFactory(caption="Posłowie w Sejmie", credit="PAP/Radek Pietruszka")
    ArticleFactory(section=politics, photo=photo, headline="Budget passes")
    return photo


@pytest.fixture
def draft_photo(politics, journalist):
    photo = PhotoFactory(caption="Tramwaj na Marszałkowskiej")
    ArticleFactory(section=politics, photo=photo, draft=True, created_by=journalist)
    return photo


def public_page(client, photo):
    return client.get(photo.articles.get().get_absolute_url()).content.decode()


def test_journalists_caption_change_to_a_live_photo_waits_for_an_editor(
    journalist_client, client, live_photo, journalist
):
    response = edit(journalist_client, live_photo, caption="Fałszywy podpis")
    assert response.status_code == 302
    live_photo.refresh_from_db()
    assert live_photo.caption == "Posłowie w Sejmie"
    html = public_page(client, live_photo)
    assert "Posłowie w Sejmie" in html
    assert "Fałszywy podpis" not in html
    change = live_photo.changes.get()
    assert (change.status, change.created_by) == (PhotoChange.Status.PENDING, journalist)
    assert change.changes == {"caption": {"old": "Posłowie w Sejmie", "new": "Fałszywy podpis"}}
    page = journalist_client.get(response.url).content.decode()
    assert "waits for an editor" in page


@pytest.mark.parametrize("field", ["credit", "alt_text"])
def test_journalists_credit_or_alt_text_change_to_a_live_photo_waits_too(
    journalist_client, live_photo, field
):
    before = getattr(live_photo, field)
    edit(journalist_client, live_photo, **{field: "Changed by a journalist"})
    live_photo.refresh_from_db()
    assert getattr(live_photo, field) == before
    assert live_photo.changes.get().status == PhotoChange.Status.PENDING


def test_journalist_cannot_replace_the_image_of_a_live_photo(journalist_client, live_photo):
    before = (live_photo.image.name, live_photo.content_hash)
    response = edit(
        journalist_client, live_photo, image=upload(image_bytes("JPEG", color="red"), "new.jpg")
    )
    assert response.status_code == 200
    assert "only an editor can replace its image" in response.content.decode()
    live_photo.refresh_from_db()
    assert (live_photo.image.name, live_photo.content_hash) == before
    assert not live_photo.changes.exists()


def test_editor_changes_a_live_photo_at_once_and_it_is_recorded(
    editor_client, client, live_photo, editor
):
    reuters = SourceFactory(name="Reuters")
    response = edit(editor_client, live_photo, caption="Posłowie głosują", provider=reuters.pk)
    assert response.status_code == 302
    live_photo.refresh_from_db()
    assert live_photo.caption == "Posłowie głosują"
    assert "Posłowie głosują" in public_page(client, live_photo)
    change = live_photo.changes.get()
    assert (change.status, change.created_by) == (PhotoChange.Status.APPLIED, editor)
    assert change.changes == {
        "caption": {"old": "Posłowie w Sejmie", "new": "Posłowie głosują"},
        "provider": {"old": None, "new": reuters.pk},
    }


def test_editor_replaces_the_image_of_a_live_photo_and_the_old_and_new_files_are_recorded(
    editor_client, live_photo
):
    old_name = live_photo.image.name
    response = edit(
        editor_client, live_photo, image=upload(image_bytes("JPEG", color="red"), "new.jpg")
    )
    assert response.status_code == 302
    live_photo.refresh_from_db()
    assert live_photo.image.name != old_name
    assert live_photo.changes.get().changes["image"] == {
        "old": old_name,
        "new": live_photo.image.name,
    }


def test_journalist_changes_a_photo_only_drafts_use_at_once_and_it_is_recorded(
    journalist_client, draft_photo, journalist
):
    edit(journalist_client, draft_photo, caption="Tramwaj na Placu Zbawiciela")
    draft_photo.refresh_from_db()
    assert draft_photo.caption == "Tramwaj na Placu Zbawiciela"
    change = draft_photo.changes.get()
    assert (change.status, change.created_by) == (PhotoChange.Status.APPLIED, journalist)


def test_a_photo_a_scheduled_article_uses_waits_too(journalist_client, politics):
    photo = PhotoFactory(caption="Posłowie w Sejmie")
    ArticleFactory(section=politics, photo=photo, future=True)
    edit(journalist_client, photo, caption="Fałszywy podpis")
    photo.refresh_from_db()
    assert photo.caption == "Posłowie w Sejmie"
    assert photo.changes.get().status == PhotoChange.Status.PENDING


def test_saving_without_changes_records_nothing(journalist_client, live_photo):
    assert edit(journalist_client, live_photo).status_code == 302
    assert not live_photo.changes.exists()


@pytest.fixture
def waiting(journalist_client, live_photo):
    edit(journalist_client, live_photo, caption="Fałszywy podpis")
    return live_photo.changes.get()


def test_editor_approves_a_waiting_change_and_readers_see_it(
    editor_client, client, live_photo, waiting, editor
):
    response = editor_client.post(decide_url(live_photo, waiting, "approve"))
    assert response.status_code == 302
    assert "The change is applied." in editor_client.get(response.url).content.decode()
    live_photo.refresh_from_db()
    assert live_photo.caption == "Fałszywy podpis"
    assert "Fałszywy podpis" in public_page(client, live_photo)
    waiting.refresh_from_db()
    assert (waiting.status, waiting.decided_by) == (PhotoChange.Status.APPLIED, editor)


def test_editor_rejects_a_waiting_change_and_nothing_changes(
    editor_client, live_photo, waiting, editor
):
    assert editor_client.post(decide_url(live_photo, waiting, "reject")).status_code == 302
    live_photo.refresh_from_db()
    assert live_photo.caption == "Posłowie w Sejmie"
    waiting.refresh_from_db()
    assert (waiting.status, waiting.decided_by) == (PhotoChange.Status.REJECTED, editor)
    # Decided once: approving it afterwards changes nothing.
    editor_client.post(decide_url(live_photo, waiting, "approve"))
    live_photo.refresh_from_db()
    assert live_photo.caption == "Posłowie w Sejmie"


@pytest.mark.parametrize("decision", ["approve", "reject"])
def test_journalist_cannot_approve_or_reject(journalist_client, live_photo, waiting, decision):
    assert journalist_client.post(decide_url(live_photo, waiting, decision)).status_code == 403
    waiting.refresh_from_db()
    assert waiting.status == PhotoChange.Status.PENDING


@pytest.mark.parametrize("decision", ["approve", "reject"])
def test_anonymous_visitor_is_sent_to_the_login(live_photo, waiting, decision):
    response = Client().post(decide_url(live_photo, waiting, decision))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    waiting.refresh_from_db()
    assert waiting.status == PhotoChange.Status.PENDING


def test_approving_needs_a_post(editor_client, live_photo, waiting):
    assert editor_client.get(decide_url(live_photo, waiting, "approve")).status_code == 405
    live_photo.refresh_from_db()
    assert live_photo.caption == "Posłowie w Sejmie"


def test_a_change_cannot_be_approved_through_another_photo(editor_client, live_photo, waiting):
    other = PhotoFactory()
    assert editor_client.post(decide_url(other, waiting, "approve")).status_code == 404


def test_photo_page_shows_each_change_with_who_old_and_new(
    editor_client, live_photo, waiting, journalist
):
    html = editor_client.get(change_url(live_photo)).content.decode()
    assert "Waiting for an editor" in html
    assert journalist.get_full_name() in html
    assert "Posłowie w Sejmie" in html and "Fałszywy podpis" in html
    assert f'formaction="{decide_url(live_photo, waiting, "approve")}"' in html


def test_journalist_sees_the_waiting_change_but_no_approve_button(
    journalist_client, live_photo, waiting
):
    html = journalist_client.get(change_url(live_photo)).content.decode()
    assert "Waiting for an editor" in html
    assert decide_url(live_photo, waiting, "approve") not in html


def test_photo_page_history_costs_the_same_queries_for_one_change_or_ten(
    editor_client, live_photo, editor
):
    def add_change():
        PhotoChange.objects.create(
            photo=live_photo,
            changes={"provider": {"old": None, "new": SourceFactory().pk}},
            status=PhotoChange.Status.APPLIED,
            created_by=editor,
        )

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert editor_client.get(change_url(live_photo)).status_code == 200
        return len(captured)

    add_change()
    one = queries()
    for _ in range(9):
        add_change()
    assert queries() == one
