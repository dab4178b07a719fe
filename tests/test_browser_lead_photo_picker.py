"""Choosing an article's lead photo in the picker, in Chromium, under the enforced CSP."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Photo, Rendition
from tests.accessibility import axe_violations
from tests.browser import choose_in_autocomplete, log_in
from tests.factories import ArticleFactory, PhotoFactory
from tests.photo_files import image_bytes
from tests.test_browser_csp import ViolationWatch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's


def preview_url(photo):
    """The 640-pixel 16:9 WebP: the smallest card rendition at least 480 wide."""
    return Rendition.objects.get(photo=photo, crop="16:9", format="webp", width=640).file.url


def open_picker(page):
    page.get_by_role("button", name="Choose from the photo library").click()
    dialog = page.get_by_role("dialog", name="Choose the lead photo")
    expect(dialog).to_be_visible()
    expect(dialog.locator(".lead-photo-picker-choice").first).to_be_visible()
    return dialog


def test_journalist_searches_picks_and_uploads_the_lead_photo(
    page, live_server, journalist, politics
):
    sejm = PhotoFactory(credit="PAP/Radek Pietruszka", caption="Sejm in session")
    wanted = PhotoFactory(credit="REUTERS/Anna Kowalska", caption="Tram depot at dawn")
    article = ArticleFactory(section=politics, draft=True, created_by=journalist)
    watch = ViolationWatch(page)
    log_in(page, live_server, journalist.username, PASSWORD)
    watch.visit(page, f"{live_server.url}/admin/articles/article/{article.pk}/change/")

    dialog = open_picker(page)
    expect(dialog.locator(".lead-photo-picker-choice")).to_have_count(2)
    search = dialog.get_by_label("Search by caption, credit or provider")
    expect(search).to_be_focused()
    search.fill("Kowalska")
    search.press("Enter")
    expect(dialog.locator(".lead-photo-picker-choice")).to_have_count(1)
    choice = dialog.get_by_role("button", name=re.compile("Tram depot at dawn"))
    expect(choice.locator("img")).to_have_js_property("complete", True)
    # Picked with the keyboard: the choices are buttons.
    choice.focus()
    page.keyboard.press("Enter")

    expect(dialog).to_be_hidden()
    preview = page.locator(".field-photo_preview img")
    expect(preview).to_have_attribute("src", preview_url(wanted))
    expect(preview).to_have_js_property("naturalWidth", 640)  # the rendition was served
    expect(page.locator(".lead-photo-picker-status[role=status]")).to_contain_text(
        "Chosen: Tram depot at dawn"
    )
    expect(page.locator(".field-photo .select2-selection")).to_contain_text("Tram depot at dawn")
    article.refresh_from_db()
    assert article.photo is None  # nothing is stored before saving

    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".messagelist")).to_contain_text("was saved")
    article.refresh_from_db()
    assert article.photo == wanted
    expect(page.locator(".field-photo_preview img")).to_have_attribute("src", preview_url(wanted))

    # A file that is not a photo is refused in the dialog, with the reason; nothing is kept.
    dialog = open_picker(page)
    upload_form = dialog.locator(".lead-photo-picker-upload-form")
    upload_form.get_by_label("photos").set_input_files(
        {"name": "minutes.jpg", "mimeType": "image/jpeg", "buffer": b"Minutes of the meeting"}
    )
    upload_form.get_by_label("credit").fill("PAP/Leszek Szymański")
    upload_form.get_by_role("button", name="Upload and choose").click()
    expect(dialog.get_by_role("alert")).to_contain_text("not a JPEG, PNG or WebP")
    assert Photo.objects.count() == 2

    # A real photo uploaded in place is chosen at once.
    upload_form = dialog.locator(".lead-photo-picker-upload-form")
    upload_form.get_by_label("photos").set_input_files(
        {"name": "tram.jpg", "mimeType": "image/jpeg", "buffer": image_bytes(color="olive")}
    )
    upload_form.get_by_label("credit").fill("PAP/Leszek Szymański")
    upload_form.get_by_role("button", name="Upload and choose").click()
    expect(dialog).to_be_hidden()
    uploaded = Photo.objects.get(credit="PAP/Leszek Szymański")
    assert uploaded.uploaded_by == journalist
    expect(page.locator(".field-photo_preview img")).to_have_attribute(
        "src", preview_url(uploaded)
    )

    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".messagelist")).to_contain_text("was saved")
    article.refresh_from_db()
    assert article.photo == uploaded

    # A photo chosen in the plain autocomplete select is previewed too, and clearing it too.
    choose_in_autocomplete(page, "photo", "Sejm", "Sejm in session")
    expect(page.locator(".field-photo_preview img")).to_have_attribute("src", preview_url(sejm))
    page.locator(".field-photo .select2-selection__clear").click()
    expect(page.locator(".field-photo_preview .readonly")).to_have_text("—")
    watch.assert_none("the lead photo picker")


def test_the_picker_pages_through_the_library_and_passes_axe(
    page, live_server, journalist, politics
):
    photos = [PhotoFactory(credit=f"PAP/Photographer {n}", renditions=False) for n in range(26)]
    article = ArticleFactory(section=politics, draft=True, created_by=journalist)
    log_in(page, live_server, journalist.username, PASSWORD)
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")

    dialog = open_picker(page)
    expect(dialog.locator(".lead-photo-picker-choice")).to_have_count(24)
    # Screen readers and keyboards: the dialog with a refused upload's error showing.
    dialog.get_by_label("photos").set_input_files(
        {"name": "minutes.jpg", "mimeType": "image/jpeg", "buffer": b"Minutes of the meeting"}
    )
    dialog.get_by_role("button", name="Upload and choose").click()
    expect(dialog.get_by_role("alert")).to_contain_text("not a JPEG, PNG or WebP")
    assert axe_violations(page, ".lead-photo-picker-dialog") == []
    dialog.get_by_role("link", name="Older").click()
    expect(dialog.locator(".lead-photo-picker-choice")).to_have_count(2)
    expect(dialog).to_contain_text("Page 2 of 2")
    dialog.get_by_role("button", name="PAP/Photographer 0").click()
    expect(page.locator(".field-photo_preview .no-image-yet")).to_be_visible()
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".messagelist")).to_contain_text("was saved")
    article.refresh_from_db()
    assert article.photo == photos[0]
