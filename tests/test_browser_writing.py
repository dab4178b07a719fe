"""Never lose a word, in Chromium: autosave and restore, leaving asks first, Ctrl+S, presence."""

import re
import time

import pytest
from playwright.sync_api import expect

from articles.desk import workflow
from articles.models import Article, Autosave, WorkflowState
from tests.accessibility import axe_violations
from tests.browser import log_in, type_in_body
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


@pytest.fixture
def own_draft(journalist, politics):
    article = ArticleFactory(
        section=politics,
        draft=True,
        created_by=journalist,
        headline="Tram fares",
        body="<p>The council met.</p>",
    )
    workflow.article_save(article=article, user=journalist)
    return article


def desk_page(browser, live_server, user):
    """A separate browser session for each person at the desk."""
    context = browser.new_context()
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page, live_server, user.username, PASSWORD)
    return page


def open_article(page, live_server, article):
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")


def wait_for(condition, seconds=10):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def test_typed_text_survives_closing_the_tab_and_is_restored(
    browser, live_server, journalist, own_draft, settings
):
    settings.NEWSROOM_AUTOSAVE_SECONDS = 1
    desk = desk_page(browser, live_server, journalist)
    open_article(desk, live_server, own_draft)
    desk.get_by_label("Headline").fill("Tram fares frozen for a year")
    type_in_body(desk, " It voted to freeze fares.")
    expect(desk.locator("#autosave-status")).to_contain_text("Unsaved changes kept for you at")
    context = desk.context
    desk.close()

    reopened = context.new_page()
    open_article(reopened, live_server, own_draft)
    offer = reopened.locator(".autosave-offer")
    expect(offer).to_contain_text(re.compile(r"Restore your unsaved changes from \d\d:\d\d\?"))
    expect(offer.locator("table")).to_contain_text("Tram fares frozen for a year")
    expect(offer.locator("table")).to_contain_text("It voted to freeze fares.")
    reopened.get_by_role("link", name="Restore").click()
    expect(reopened.get_by_label("Headline")).to_have_value("Tram fares frozen for a year")
    expect(reopened.locator(".field-body [contenteditable=true]")).to_contain_text(
        "It voted to freeze fares."
    )
    own_draft.refresh_from_db()
    assert own_draft.headline == "Tram fares"  # restored into the form, not saved

    reopened.get_by_role("button", name="Save draft").click()
    expect(reopened.locator(".messagelist")).to_contain_text("was saved")
    own_draft.refresh_from_db()
    assert own_draft.headline == "Tram fares frozen for a year"
    assert not Autosave.objects.exists()
    context.close()


def test_leaving_with_unsaved_changes_asks_first_and_keeps_the_last_words(
    browser, live_server, journalist, own_draft, settings
):
    settings.NEWSROOM_AUTOSAVE_SECONDS = 600  # only leaving can keep these words
    desk = desk_page(browser, live_server, journalist)
    open_article(desk, live_server, own_draft)
    desk.get_by_label("Headline").fill("Last words before the train")
    asked = []

    def answer(dialog):
        asked.append(dialog.type)
        dialog.accept()

    desk.on("dialog", answer)
    desk.goto(f"{live_server.url}/admin/")
    assert asked == ["beforeunload"]
    wait_for(lambda: Autosave.objects.filter(article=own_draft).exists())
    assert Autosave.objects.get(article=own_draft).data["headline"] == [
        "Last words before the train"
    ]
    desk.context.close()


def test_an_unchanged_form_leaves_without_asking(browser, live_server, journalist, own_draft):
    desk = desk_page(browser, live_server, journalist)
    open_article(desk, live_server, own_draft)
    asked = []
    desk.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.accept()))
    desk.goto(f"{live_server.url}/admin/")
    assert asked == []
    desk.context.close()


def test_ctrl_s_saves_the_draft_and_nothing_more(browser, live_server, journalist, own_draft):
    desk = desk_page(browser, live_server, journalist)
    open_article(desk, live_server, own_draft)
    asked = []
    desk.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    type_in_body(desk, " Saved with the keyboard.")
    desk.keyboard.press("Control+s")
    expect(desk.locator(".messagelist")).to_contain_text("was saved")
    assert asked == []  # saving is not leaving with unsaved changes
    own_draft.refresh_from_db()
    assert "Saved with the keyboard." in own_draft.body
    assert own_draft.workflow_state == WorkflowState.DRAFT
    desk.context.close()


def test_cmd_s_by_an_editor_on_an_article_in_review_does_not_publish(
    browser, live_server, journalist, editor, own_draft
):
    workflow.article_submit(article=own_draft, user=journalist)
    desk = desk_page(browser, live_server, editor)
    open_article(desk, live_server, own_draft)
    desk.get_by_label("Headline").fill("Tram fares, edited")
    desk.keyboard.press("Meta+s")
    expect(desk.locator(".messagelist")).to_contain_text("was saved")
    article = Article.objects.get(pk=own_draft.pk)
    assert article.headline == "Tram fares, edited"
    assert article.workflow_state == WorkflowState.IN_REVIEW
    desk.context.close()


def test_two_people_in_one_article_see_each_other_and_an_editor_takes_over(
    browser, live_server, journalist, editor, own_draft, settings
):
    settings.NEWSROOM_PRESENCE_HEARTBEAT_SECONDS = 1
    settings.NEWSROOM_PRESENCE_TIMEOUT_SECONDS = 3
    editor.first_name, editor.last_name = "Anna", "Nowak"
    editor.save()
    journalist.first_name, journalist.last_name = "Jola", "Wiśniewska"
    journalist.save()

    chief = desk_page(browser, live_server, editor)
    open_article(chief, live_server, own_draft)
    desk = desk_page(browser, live_server, journalist)
    open_article(desk, live_server, own_draft)
    notice = desk.locator("#presence-notice")
    expect(notice).to_have_text(
        re.compile(r"Anna Nowak is editing this article \(since \d\d:\d\d\)\.")
    )
    expect(notice.get_by_role("button", name="Take over")).to_be_hidden()

    chief.goto(f"{live_server.url}/admin/")  # the editor leaves: the notice clears
    expect(notice).to_be_hidden()

    open_article(chief, live_server, own_draft)
    expect(desk.locator("#presence-notice")).to_contain_text("Anna Nowak is editing")
    chief_notice = chief.locator("#presence-notice")
    expect(chief_notice).to_contain_text("Jola Wiśniewska is editing this article")
    chief_notice.get_by_role("button", name="Take over").click()
    expect(chief_notice).to_be_hidden()
    expect(desk.locator("#presence-notice")).to_contain_text(
        re.compile(r"Anna Nowak took over this article at \d\d:\d\d\.")
    )
    chief.context.close()
    desk.context.close()


def test_the_autosave_offer_and_presence_notice_have_no_axe_violations(
    browser, live_server, journalist, editor, own_draft, settings
):
    settings.NEWSROOM_PRESENCE_HEARTBEAT_SECONDS = 1
    desk = desk_page(browser, live_server, journalist)
    open_article(desk, live_server, own_draft)
    chief = desk_page(browser, live_server, editor)
    Autosave.objects.create(
        article=own_draft,
        user=editor,
        data={"headline": ["Tram fares, the editor's cut"], "body": ["<p>Shorter.</p>"]},
    )
    open_article(chief, live_server, own_draft)
    expect(chief.locator(".autosave-offer table")).to_contain_text("the editor's cut")
    expect(chief.locator("#presence-notice")).to_contain_text("is editing this article")
    expect(chief.get_by_role("button", name="Take over")).to_be_visible()
    # The form's own fields are the layout work's to check; these are the parts added here.
    mine = {"include": [[".autosave-offer"], ["#presence-notice"], ["#autosave-status"]]}
    assert axe_violations(chief, mine) == []
    chief.context.close()
    desk.context.close()


def test_a_hostile_name_in_the_presence_notice_is_shown_as_text(
    browser, live_server, journalist, editor, own_draft
):
    editor.first_name, editor.last_name = "<img src=x onerror=window.pwned=1>", "Nowak"
    editor.save()
    chief = desk_page(browser, live_server, editor)
    open_article(chief, live_server, own_draft)
    desk = desk_page(browser, live_server, journalist)
    open_article(desk, live_server, own_draft)
    expect(desk.locator("#presence-notice")).to_contain_text(
        "<img src=x onerror=window.pwned=1> Nowak is editing this article"
    )
    assert desk.locator("#presence-notice img").count() == 0
    assert desk.evaluate("() => window.pwned") is None
    chief.context.close()
    desk.context.close()
