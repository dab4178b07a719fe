"""The photo desk in a real browser: the file fills the form, a click sets the focal point."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Photo
from tests.browser import log_in
from tests.factories import PhotoFactory, SourceFactory
from tests.photo_files import AGENCY_CREDIT, image_bytes, xmp_packet

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_choosing_an_agency_file_prefills_credit_caption_and_provider(
    page, live_server, admin_user
):
    SourceFactory(name="PAP/EPA")
    content = image_bytes(
        "JPEG",
        xmp=xmp_packet(
            credit=AGENCY_CREDIT,
            caption="Delegacje w Moskwie, gęsta mgła",
            creator="Radek Pietruszka",
            source="PAP/EPA",
        ),
    )
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/articles/photo/add/")
    page.get_by_label("Alt text").fill("Two delegations at a long table")
    page.locator('input[name="image"]').set_input_files(
        {"name": "kremlin.jpg", "mimeType": "image/jpeg", "buffer": content}
    )
    expect(page.get_by_label("Credit")).to_have_value(AGENCY_CREDIT)
    expect(page.get_by_label("Caption")).to_have_value("Delegacje w Moskwie, gęsta mgła")
    expect(page.get_by_label("Creator")).to_have_value("Radek Pietruszka")
    expect(page.locator(".field-provider .select2-selection")).to_contain_text("PAP/EPA")
    expect(page.get_by_label("Alt text")).to_have_value("Two delegations at a long table")

    page.get_by_label("Caption").fill("Delegacje w Moskwie (edited)")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    photo = Photo.objects.get()
    assert (photo.credit, photo.caption) == (AGENCY_CREDIT, "Delegacje w Moskwie (edited)")
    assert photo.provider.name == "PAP/EPA"
    assert photo.renditions.exists()  # made after commit, in the request


def test_clicking_the_preview_sets_the_focal_point(page, live_server, admin_user):
    photo = PhotoFactory()
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/articles/photo/{photo.pk}/change/")
    preview = page.locator("img[data-focal-preview]")
    box = preview.bounding_box()
    preview.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.75})
    marker = page.locator(".focal-point-marker")
    expect(marker).to_have_attribute(
        "style", re.compile(r"left: 2[45](\.\d+)?%; top: 7[45](\.\d+)?%")
    )
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    photo.refresh_from_db()
    assert photo.focal_x == pytest.approx(0.25, abs=0.02)
    assert photo.focal_y == pytest.approx(0.75, abs=0.02)
