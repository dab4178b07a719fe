"""Fronts, the banner and live coverage in Chromium: the desk arranges, readers see it."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article, Front
from tests.browser import log_in, type_in_body
from tests.factories import ArticleFactory, live_blog, published_front

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


def desk_page(browser, live_server, username):
    context = browser.new_context()
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page, live_server, username, PASSWORD)
    return page


def reader_page(browser):
    context = browser.new_context()
    context.set_default_timeout(15_000)
    return context.new_page()


def front_headlines(page):
    return page.locator(".top-stories .card-headline").all_inner_texts()


@pytest.fixture
def stories(politics):
    now = timezone.now()
    return [
        ArticleFactory(
            section=politics, headline=f"Story {n}", publish_at=now - timedelta(minutes=n)
        )
        for n in range(1, 5)
    ]


def test_an_editor_builds_the_front_page_and_a_reader_sees_that_order(
    browser, live_server, editor, stories
):
    desk = desk_page(browser, live_server, editor.username)
    desk.goto(f"{live_server.url}/admin/articles/front/add/")
    desk.get_by_role("button", name="Save", exact=True).click()
    front = Front.objects.get()
    desk.goto(f"{live_server.url}/admin/articles/front/{front.pk}/change/")
    for headline in ["Story 1", "Story 2", "Story 3", "Story 4"]:
        desk.get_by_role("button", name=f"Add “{headline}” to the front").click()
        expect(desk.locator(".messagelist")).to_contain_text(f"“{headline}” is in the last slot")
    rows = desk.locator(".front-slot-title a")
    expect(rows).to_have_text(["Story 1", "Story 2", "Story 3", "Story 4"])

    # Drag story 3 onto the lead.
    desk.locator(".front-slot").nth(2).drag_to(
        desk.locator(".front-slot").nth(0), target_position={"x": 20, "y": 5}
    )
    expect(rows).to_have_text(["Story 3", "Story 1", "Story 2", "Story 4"])
    # And move story 4 up by keyboard: focus its Up button and press Enter; focus stays.
    up = desk.get_by_role("button", name="Move “Story 4” up")
    up.focus()
    up.press("Enter")
    expect(rows).to_have_text(["Story 3", "Story 1", "Story 4", "Story 2"])
    expect(up).to_be_focused()
    expect(desk.locator("#front-arrange-status")).to_contain_text("“Story 4” is now in slot 3")

    desk.get_by_role("button", name="Save and preview").click()
    expect(desk.locator(".preview-banner")).to_contain_text("Preview of the Front page draft")
    assert front_headlines(desk) == ["Story 3", "Story 1", "Story 4", "Story 2"]

    reader = reader_page(browser)
    reader.goto(live_server.url + "/")
    expect(reader.locator(".top-stories")).to_have_count(0)

    desk.goto(f"{live_server.url}/admin/articles/front/{front.pk}/change/")
    desk.get_by_role("button", name="Publish").click()
    expect(desk.locator(".messagelist")).to_contain_text("is published")

    reader.reload()
    expect(reader.locator(".card-lead .card-headline")).to_have_text("Story 3")
    assert front_headlines(reader) == ["Story 3", "Story 1", "Story 4", "Story 2"]


def test_a_pin_runs_out_under_a_controlled_clock(browser, live_server, editor, stories):
    front = published_front(stories[:2])
    desk = desk_page(browser, live_server, editor.username)
    desk.goto(f"{live_server.url}/admin/articles/front/{front.pk}/change/")
    until = timezone.localtime() + timedelta(hours=3)
    desk.locator(f"#id_slot-{stories[0].pk}-pinned_until").fill(until.strftime("%Y-%m-%dT%H:%M"))
    desk.get_by_role("button", name="Publish").click()
    expect(desk.locator(".messagelist")).to_contain_text("is published")

    reader = reader_page(browser)
    reader.goto(live_server.url + "/")
    expect(reader.locator(".card-lead .card-headline")).to_have_text("Story 1")
    with time_machine.travel(until + timedelta(minutes=1), tick=True):
        reader.reload()
        expect(reader.locator(".card-lead .card-headline")).to_have_text("Story 2")
        assert front_headlines(reader) == ["Story 2"]


def test_unpublishing_a_pinned_story_takes_it_off_the_front(browser, live_server, editor, stories):
    published_front(stories[:2], pinned_until=timezone.now() + timedelta(hours=6))
    reader = reader_page(browser)
    reader.goto(live_server.url + "/")
    expect(reader.locator(".card-lead .card-headline")).to_have_text("Story 1")

    desk = desk_page(browser, live_server, editor.username)
    desk.goto(f"{live_server.url}/admin/articles/article/{stories[0].pk}/change/")
    desk.get_by_role("button", name="Unpublish").click()
    expect(desk.locator(".messagelist")).to_contain_text("unpublished")

    reader.reload()
    expect(reader.locator(".card-lead .card-headline")).to_have_text("Story 2")
    expect(reader.get_by_text("Story 1", exact=True)).to_have_count(0)


def test_a_banner_goes_up_and_expires(browser, live_server, editor, wire_article):
    desk = desk_page(browser, live_server, editor.username)
    desk.goto(f"{live_server.url}/admin/articles/breakingnews/add/")
    desk.get_by_label("Text").fill("Parliament dissolved")
    desk.get_by_label("Other link").fill("/politics/")
    expires = timezone.localtime() + timedelta(hours=1)
    desk.locator("#id_expires_at_0").fill(expires.strftime("%Y-%m-%d"))
    desk.locator("#id_expires_at_1").fill(expires.strftime("%H:%M:%S"))
    desk.get_by_role("button", name="Save", exact=True).click()
    expect(desk.locator(".messagelist")).to_contain_text("was added successfully")

    reader = reader_page(browser)
    for url in ["/", "/politics/", wire_article.get_absolute_url()]:
        reader.goto(live_server.url + url)
        banner = reader.get_by_role("alert")
        expect(banner).to_contain_text("Breaking news: Parliament dissolved")
    reader.get_by_role("link", name="Parliament dissolved").click()
    expect(reader).to_have_url(f"{live_server.url}/politics/")

    with time_machine.travel(expires + timedelta(minutes=1), tick=True):
        reader.reload()
        expect(reader.locator(".breaking-news")).to_have_count(0)


def test_a_reader_sees_a_journalists_entries_arrive_without_reloading(
    browser, live_server, journalist, politics, settings
):
    settings.NEWSROOM_LIVE_POLL_SECONDS = 1
    blog = live_blog(section=politics, headline="Budget vote: live")
    reader = reader_page(browser)
    reader.goto(live_server.url + blog.get_absolute_url())
    expect(reader.locator(".live-entry")).to_have_text(["No updates yet."])
    reader.evaluate("window.loadedOnce = true")

    desk = desk_page(browser, live_server, journalist.username)
    for text in ["Doors open.", "First vote called.", "Budget passes."]:
        desk.goto(f"{live_server.url}/admin/articles/liveentry/add/?article={blog.pk}")
        type_in_body(desk, text)
        if text == "Budget passes.":
            desk.get_by_label("Key event").check()
        desk.get_by_role("button", name="Save", exact=True).click()
        expect(desk.locator(".messagelist")).to_contain_text("was added successfully")

    entries = reader.locator(".live-entry .body")
    expect(entries).to_have_text(["Budget passes.", "First vote called.", "Doors open."])
    expect(reader.locator(".key-events")).to_contain_text("Budget passes.")
    # The same page, never reloaded.
    assert reader.evaluate("window.loadedOnce") is True
    assert Article.objects.get(pk=blog.pk).live_entries.count() == 3
