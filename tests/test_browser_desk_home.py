"""The desk in Chromium: each role's lists, submitting back to the desk, the trash wording
and restore choice, the newsroom's time and the copy button.

Axe checks the desk's index, article form and history in tests/test_accessibility.py."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.desk import workflow
from articles.models import Article, WorkflowState
from tests.accessibility import axe_violations
from tests.browser import log_in
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


def desk_page(browser, live_server, user, **context_options):
    context = browser.new_context(**context_options)
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page, live_server, user.username, PASSWORD)
    return page


@pytest.fixture
def work(journalist, editor, politics):
    draft = ArticleFactory(section=politics, draft=True, created_by=journalist, headline="Tram")
    returned = ArticleFactory(section=politics, draft=True, created_by=journalist, headline="Bus")
    workflow.article_submit(article=returned, user=journalist)
    workflow.article_return(article=returned, user=editor, note="Name the second source.")
    queued = ArticleFactory(section=politics, draft=True, created_by=journalist, headline="Metro")
    workflow.article_submit(article=queued, user=journalist)
    ArticleFactory(
        section=politics,
        created_by=journalist,
        headline="Ferry",
        publish_at=timezone.now() + timedelta(minutes=5),
    )
    ArticleFactory(section=politics, created_by=journalist, headline="Bridge")
    return {"draft": draft, "returned": returned, "queued": queued}


def test_journalist_desk_lists_their_work_and_opens_it(browser, live_server, journalist, work):
    desk = desk_page(browser, live_server, journalist)
    expect(desk.locator("#desk-drafts")).to_contain_text("Tram")
    expect(desk.locator("#desk-returned")).to_contain_text("Bus")
    expect(desk.locator("#desk-returned")).to_contain_text("Name the second source.")
    expect(desk.locator("#desk-in-review")).to_contain_text("Metro")
    expect(desk.locator("#desk-scheduled")).to_contain_text("Ferry")
    expect(desk.get_by_role("heading", name="Review queue")).to_have_count(0)
    desk.locator("#desk-returned").get_by_role("link", name="Bus").click()
    expect(desk.get_by_label("Headline")).to_have_value("Bus")


# "Scheduled today" depends on the hour: this runs at noon in the newsroom.
@pytest.mark.usefixtures("newsroom_midday")
def test_editor_desk_puts_the_queue_first(browser, live_server, editor, work):
    desk = desk_page(browser, live_server, editor)
    headings = desk.locator(".desk-list h2").all_inner_texts()
    assert headings == ["Review queue", "Scheduled today", "Recently published"]
    expect(desk.locator("#desk-review-queue")).to_contain_text("Metro")
    expect(desk.locator("#desk-scheduled-today")).to_contain_text("Ferry")
    expect(desk.locator("#desk-recently-published")).to_contain_text("Bridge")
    desk.locator("#desk-review-queue").get_by_role("link", name="Metro").click()
    expect(desk.get_by_label("Headline")).to_have_value("Metro")


def test_submitting_lands_on_the_desk_with_the_story_highlighted(
    browser, live_server, journalist, work
):
    desk = desk_page(browser, live_server, journalist)
    desk.goto(f"{live_server.url}/admin/articles/article/{work['draft'].pk}/change/")
    submit = desk.get_by_role("button", name="Submit for review")
    expect(submit).to_have_class("default main-action")
    submit.click()
    expect(desk.locator(".messagelist")).to_contain_text("is now in review")
    highlighted = desk.locator(".desk-highlight")
    expect(highlighted).to_have_count(1)
    expect(highlighted).to_contain_text("Tram")
    expect(highlighted).to_be_in_viewport()


def test_article_form_is_made_for_writing(browser, live_server, editor, work):
    desk = desk_page(browser, live_server, editor, viewport={"width": 1280, "height": 800})
    desk.goto(f"{live_server.url}/admin/articles/article/{work['draft'].pk}/change/")
    headline = desk.get_by_label("Headline").bounding_box()
    body = desk.locator(".field-body [contenteditable=true]").bounding_box()
    assert headline["width"] > 700
    assert body["height"] >= 400
    bar = desk.locator(".workflow-bar")
    expect(bar.get_by_role("button", name="Publish", exact=True)).to_have_class(
        "default main-action"
    )
    # Sticky: the bar is on screen before scrolling to the end of the form.
    expect(bar).to_be_in_viewport()


def test_history_copies_a_shared_link(browser, live_server, editor, work):
    article = work["draft"]
    workflow.article_save(article=article, user=editor)
    desk = desk_page(browser, live_server, editor)
    desk.context.grant_permissions(["clipboard-read", "clipboard-write"])
    desk.goto(f"{live_server.url}/admin/articles/article/{article.pk}/history/")
    expect(desk.locator(".revision-changes").first).to_contain_text("First version")
    desk.get_by_role("button", name="Share preview link").first.click()
    link = desk.get_by_label("Preview link").input_value()
    desk.get_by_role("button", name="Copy link").click()
    expect(desk.get_by_role("status")).to_have_text("Link copied.")
    assert desk.evaluate("navigator.clipboard.readText()") == link


def test_comparing_revisions_puts_no_token_in_the_address(browser, live_server, editor, work):
    article = work["draft"]
    workflow.article_save(article=article, user=editor)
    workflow.article_save(article=article, user=editor)
    desk = desk_page(browser, live_server, editor)
    desk.goto(f"{live_server.url}/admin/articles/article/{article.pk}/history/")
    desk.get_by_role("button", name="Compare selected revisions").click()
    expect(desk.get_by_role("heading", name="Changes to")).to_be_visible()
    assert "csrfmiddlewaretoken" not in desk.url
    assert "a=" in desk.url and "b=" in desk.url


def test_trash_wording_and_restoring_a_live_article_as_a_draft(
    browser, live_server, editor, politics
):
    article = ArticleFactory(section=politics, headline="Harbour reopens")
    desk = desk_page(browser, live_server, editor)
    desk.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    desk.get_by_role("link", name="Move to trash").click()
    expect(desk.locator("#content")).to_contain_text("moves to the trash; you can restore it")
    expect(desk.locator("#content")).not_to_contain_text("All of the following related items")
    desk.get_by_role("button", name="Move to trash").click()
    expect(desk.locator(".messagelist")).to_contain_text("moved to the trash")

    desk.goto(f"{live_server.url}/admin/articles/article/trash/")
    row = desk.locator(f"#trashed-{article.pk}")
    expect(row).to_contain_text("This article was live")
    expect(row.get_by_role("button", name="Restore live")).to_be_visible()
    violations = axe_violations(desk)
    assert not violations, "\n".join(violations)
    row.get_by_role("button", name="Restore as a draft").click()
    expect(desk.locator(".messagelist")).to_contain_text("now draft")
    assert Article.objects.get(pk=article.pk).workflow_state == WorkflowState.DRAFT


def test_dates_are_newsroom_time_without_server_time_notes(browser, live_server, editor, work):
    # A browser nine hours away from the newsroom's Europe/Warsaw.
    desk = desk_page(browser, live_server, editor, timezone_id="America/Los_Angeles")
    desk.goto(f"{live_server.url}/admin/articles/article/{work['draft'].pk}/change/")
    desk.wait_for_load_state("load")
    expect(desk.locator(".datetimeshortcuts").first).to_be_attached()
    expect(desk.locator(".timezonewarning")).to_have_count(0)
    expect(desk.get_by_text("server time")).to_have_count(0)
    # "Now" still fills in the newsroom's time, not the browser's.
    desk.locator(".field-publish_at .datetimeshortcuts").nth(1).get_by_text("Now").click()
    shown = desk.locator("#id_publish_at_1").input_value()
    newsroom_now = timezone.localtime()
    assert abs(int(shown[:2]) - newsroom_now.hour) in {0, 1, 23}


def test_admin_has_the_newsrooms_favicon(browser, live_server, editor):
    desk = desk_page(browser, live_server, editor)
    href = desk.locator("link[rel=icon]").get_attribute("href")
    assert desk.request.get(live_server.url + href).ok
    assert "The Daily Wire" in desk.title()
