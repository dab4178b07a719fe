"""The desk works the wire inbox in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Article, FeedEntry
from tests.browser import log_in
from tests.factories import SourceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_journalist_turns_a_feed_entry_into_a_draft_in_one_click(page, live_server, admin_user):
    source = SourceFactory(name="abcnews.go.com")
    FeedEntry.objects.create(
        source=source,
        guid="abc-1",
        link="https://abcnews.go.com/International/kremlin-talks",
        title="Kremlin talks end without agreement",
        summary="<p>Negotiators left after six hours.</p>",
    )
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/articles/feedentry/")

    page.get_by_role("button", name="Create draft").click()

    expect(page.locator(".messagelist")).to_contain_text(
        "Draft “Kremlin talks end without agreement” created from the abcnews.go.com feed."
    )
    expect(page).to_have_url(re.compile(r"/admin/articles/article/\d+/change/$"))
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    assert article.ordered_sources() == [source]
    assert article.wire_items.get().link == "https://abcnews.go.com/International/kremlin-talks"


def test_desk_uploads_a_wire_file_and_reads_the_report(
    page, live_server, admin_user, wire_samples
):
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/articles/wireitem/")
    page.get_by_role("link", name="Import wire copy").click()
    page.get_by_label("Files").set_input_files(
        [
            str(wire_samples / "ninjs/examples/2.1_ntb_text.json"),
            str(wire_samples / "newsml-g2/LISTING_3_Photo_in_NewsML-G2.xml"),
        ]
    )
    page.get_by_role("button", name="Import").click()

    report = page.locator("#import-report")
    expect(report.locator("tbody tr")).to_have_count(2)
    expect(report).to_contain_text("Google har kjøpt giganttomt i Skien")
    report.get_by_role("link", name="Google har kjøpt giganttomt i Skien").click()
    expect(page.get_by_label("Headline")).to_have_value("Google har kjøpt giganttomt i Skien")
