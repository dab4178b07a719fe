"""A reader searches from any page's header, without Polish letters, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reader_finds_lodz_from_the_header_search_box(page, live_server, politics):
    ArticleFactory(
        section=politics,
        headline="Tram strike ends in Łódź",
        standfirst="Drivers in Łódź return to work on Monday.",
    )
    page.goto(live_server.url)
    search = page.get_by_role("search").first
    search.get_by_label("Search articles").fill("lodz")
    search.get_by_label("Search articles").press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=lodz$"))
    expect(page.get_by_role("status")).to_have_text("1 result for “lodz”")
    result = page.get_by_role("link", name="Tram strike ends in Łódź")
    expect(result).to_be_visible()
    expect(page.locator(".snippet mark").first).to_have_text("Łódź")
    result.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tram strike ends in Łódź")
