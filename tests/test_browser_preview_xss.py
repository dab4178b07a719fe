"""A journalist's script in a pending edit never runs in an editor's browser, in Chromium."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from articles.desk import workflow
from articles.models import Revision
from tests.browser import log_in
from tests.factories import ArticleFactory
from tests.test_workflow_admin import change_url, form_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
PAYLOAD = (
    "<p>Budget passes after all.</p>"
    "<script>window.hijacked = true; document.title = 'pwned'</script>"
    '<img src="/no-such-image.png" onerror="window.hijacked = true; alert(1)">'
)


def test_editor_opens_every_preview_of_a_poisoned_edit_and_no_script_runs(
    browser, live_server, journalist, editor, politics
):
    article = ArticleFactory(section=politics, created_by=journalist, headline="Budget passes")
    workflow.article_save(article=article, user=journalist)
    # The journalist posts the form directly, as a hostile one would, past the editor widget.
    desk = Client()
    desk.force_login(journalist)
    data = form_data(desk, change_url(article))
    assert desk.post(change_url(article), {**data, "body": PAYLOAD}).status_code == 302
    article.refresh_from_db()
    pending = article.pending_revision
    # And a revision row from before revisions were cleaned carries the payload as typed.
    old = Revision.objects.create(
        article=article,
        created_by=journalist,
        state=article.workflow_state,
        data={**pending.data, "body": PAYLOAD},
    )

    context = browser.new_context()
    context.set_default_timeout(15_000)
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    log_in(page, live_server, editor.username, PASSWORD)

    def assert_no_script_ran(shown="Budget passes after all."):
        expect(page.locator("body")).to_contain_text(shown)
        assert page.evaluate("() => window.hijacked === undefined")
        assert page.title() != "pwned"
        assert dialogs == []

    admin = f"{live_server.url}/admin/articles/article/{article.pk}"
    for revision in (pending, old):
        page.goto(f"{admin}/revisions/{revision.pk}/preview/")
        assert_no_script_ran()

        page.goto(f"{admin}/history/")
        page.locator(f"button[formaction$='/revisions/{revision.pk}/share/']").click()
        link = page.get_by_label("Preview link").input_value()
        page.goto(link)
        assert_no_script_ran()

    first = article.revisions.order_by("created_at", "id").first()
    page.goto(f"{admin}/revisions/compare/?a={first.pk}&b={old.pk}")
    assert_no_script_ran(shown="Budget")
    context.close()
