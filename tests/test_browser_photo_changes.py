"""A journalist's caption change to a live photo waits; an editor approves it, in Chromium."""

import pytest
from playwright.sync_api import expect

from tests.browser import log_in
from tests.factories import ArticleFactory, PhotoFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


def test_journalist_proposes_a_caption_and_an_editor_approves_it(
    browser, live_server, journalist, editor, politics
):
    photo = PhotoFactory(caption="Posłowie w Sejmie")
    article = ArticleFactory(section=politics, photo=photo, headline="Budget passes")
    photo_page = f"{live_server.url}/admin/articles/photo/{photo.pk}/change/"

    desk = browser.new_context().new_page()
    log_in(desk, live_server, journalist.username, PASSWORD)
    desk.goto(photo_page)
    desk.get_by_label("Caption").fill("Posłowie głosują nad budżetem")
    desk.get_by_role("button", name="Save", exact=True).click()
    expect(desk.locator(".messagelist")).to_contain_text("waits for an editor")
    expect(desk.locator(".photo-changes")).to_contain_text("Waiting for an editor")
    expect(desk.get_by_role("button", name="Approve")).to_have_count(0)

    reader = browser.new_context().new_page()
    reader.goto(f"{live_server.url}{article.get_absolute_url()}")
    expect(reader.locator("figcaption")).to_contain_text("Posłowie w Sejmie")

    chief = browser.new_context().new_page()
    log_in(chief, live_server, editor.username, PASSWORD)
    chief.goto(photo_page)
    chief.get_by_role("button", name="Approve").click()
    expect(chief.locator(".messagelist")).to_contain_text("The change is applied.")
    expect(chief.locator(".photo-changes")).to_contain_text("Applied by")

    reader.reload()
    expect(reader.locator("figcaption")).to_contain_text("Posłowie głosują nad budżetem")
