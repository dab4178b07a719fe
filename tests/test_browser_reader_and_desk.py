"""A newcomer reads the Politics article and writes in the admin, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.browser import choose_in_autocomplete, log_in, type_in_body
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reader_reaches_the_politics_article_with_credit_sources_and_more_in(
    page, live_server, wire_article
):
    ArticleFactory(section=wire_article.section, headline="Senate delays the vote")
    page.goto(live_server.url)
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Politics").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Politics")
    page.get_by_role("link", name="Kremlin talks end without agreement").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Kremlin talks end without agreement"
    )
    caption = page.locator("figure figcaption")
    expect(caption).to_contain_text("podpis źródła zdjęcia")
    expect(caption).to_contain_text(
        "EPA/PHOTOGRAPHER NAME / SPUTNIK / KREMLIN POOL MANDATORY CREDIT Dostawca: PAP/EPA."
    )
    expect(page.locator("p.sources")).to_have_text("Source: abcnews.go.com, Reuters")
    more_in = page.locator("section.more-in")
    expect(more_in.get_by_role("link", name="Senate delays the vote")).to_be_visible()
    more_in.get_by_role("link", name="More in Politics").click()
    expect(page).to_have_url(re.compile(r"/politics/$"))


def test_editor_writes_an_article_with_the_rich_text_editor_and_tags(
    page, live_server, admin_user, politics
):
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/articles/article/add/")

    page.get_by_label("Headline").press_sequentially("Łódź council approves tram plan")
    expect(page.get_by_label("Slug")).to_have_value("lodz-council-approves-tram-plan")

    choose_in_autocomplete(page, "section", "Pol", "Politics")
    type_in_body(page, "Councillors voted 31 to 12.")

    page.locator(".field-tags .select2-selection").click()
    tags_input = page.locator(".field-tags .select2-search__field")
    tags_input.press_sequentially("transport,")
    tags_input.press_sequentially("Łódź,")

    page.get_by_role("button", name="Save draft", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was saved")

    article = Article.objects.get(headline="Łódź council approves tram plan")
    assert article.section == politics
    assert "Councillors voted 31 to 12." in article.body
    assert sorted(tag.name for tag in article.tags.all()) == ["transport", "Łódź"]
