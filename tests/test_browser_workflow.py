"""The whole editorial round trip in the real admin, in Chromium."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Article, WorkflowState
from tests.browser import choose_in_autocomplete, log_in, type_in_body
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


def desk_page(browser, live_server, username):
    """A separate browser session for each person at the desk."""
    context = browser.new_context()
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page, live_server, username, PASSWORD)
    return page


def open_article(page, live_server, article):
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")


def test_journalist_and_editor_take_an_article_from_draft_to_readers(
    browser, live_server, journalist, editor, politics
):
    neighbour = ArticleFactory(section=politics, headline="Senate sits late")

    desk = desk_page(browser, live_server, journalist.username)
    desk.goto(f"{live_server.url}/admin/articles/article/add/")
    desk.get_by_label("Headline").press_sequentially("Tram fares frozen for a year")
    choose_in_autocomplete(desk, "section", "Pol", "Politics")
    type_in_body(desk, "The council voted on Monday.")
    desk.get_by_role("button", name="Save draft").click()
    expect(desk.locator(".messagelist")).to_contain_text("was saved")
    article = Article.objects.get(headline="Tram fares frozen for a year")

    # No publish button for a journalist; a forged one is refused by the server.
    expect(desk.get_by_role("button", name="Publish", exact=True)).to_have_count(0)
    desk.evaluate(
        """() => {
            const button = document.createElement("button");
            button.type = "submit"; button.name = "_workflow"; button.value = "publish";
            button.id = "forged"; button.textContent = "Forged publish";
            document.querySelector(".submit-row").appendChild(button);
        }"""
    )
    desk.locator("#forged").click()
    expect(desk.get_by_role("heading", name="403 Forbidden")).to_be_visible()
    article.refresh_from_db()
    assert article.workflow_state == WorkflowState.DRAFT

    open_article(desk, live_server, article)
    desk.get_by_role("button", name="Submit for review").click()
    expect(desk.locator(".messagelist")).to_contain_text("is now in review")

    chief = desk_page(browser, live_server, editor.username)
    chief.goto(f"{live_server.url}/admin/articles/article/review-queue/")
    chief.get_by_role("link", name="Tram fares frozen for a year").click()
    chief.get_by_label("Note").fill("Say which council, please.")
    chief.get_by_role("button", name="Return to author").click()
    expect(chief.locator(".messagelist")).to_contain_text("returned to author")

    open_article(desk, live_server, article)
    expect(desk.locator(".field-state")).to_contain_text("Returned to author")
    expect(desk.locator(".return-note")).to_contain_text("Say which council, please.")
    desk.goto(f"{live_server.url}/admin/articles/article/{article.pk}/history/")
    expect(desk.locator("table.transitions")).to_contain_text("Say which council, please.")
    open_article(desk, live_server, article)
    type_in_body(desk, " Warsaw city council, that is.")
    desk.get_by_role("button", name="Submit for review").click()
    expect(desk.locator(".messagelist")).to_contain_text("is now in review")

    open_article(chief, live_server, article)
    chief.get_by_role("button", name="Publish", exact=True).click()
    expect(chief.locator(".messagelist")).to_contain_text("is now published")

    reader = browser.new_page()
    reader.goto(f"{live_server.url}/politics/")
    reader.get_by_role("link", name="Tram fares frozen for a year").click()
    expect(reader.locator(".body")).to_contain_text("Warsaw city council")
    reader.goto(f"{live_server.url}{neighbour.get_absolute_url()}")
    more_in = reader.locator("section.more-in")
    expect(more_in.get_by_role("link", name="Tram fares frozen for a year")).to_be_visible()
    expect(reader).to_have_url(re.compile(r"/politics/\d+-senate-sits-late/$"))
