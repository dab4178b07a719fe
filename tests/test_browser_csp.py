"""Every admin and public page under the enforced Content-Security-Policy, in a real browser.

The browser reports each refused script, style, image or font as a `securitypolicyviolation`
event and a console error; a page passes when neither appears, and the desk's own tools
(the body editor, the focal point, the tag widget) still work.
"""

import re
from datetime import timedelta

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from articles.desk.revisions import record_revision
from articles.models import Article, FeedEntry, Revision, SectionRule, WireItem
from tests.browser import choose_in_autocomplete, log_in, type_in_body
from tests.conftest import staff_member
from tests.factories import ArticleFactory, PhotoFactory, SourceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EDITOR_PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's

REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation(`${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""


def log_in_with_password(page, live_server, username, password):
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


class ViolationWatch:
    """Collects CSP violations a tab reports, as events and as console errors."""

    def __init__(self, page):
        self.seen = []
        page.expose_function("reportCspViolation", self.record)
        page.add_init_script(REPORT_VIOLATIONS)
        page.on(
            "console",
            lambda message: (
                "Content Security Policy" in message.text and self.record(message.text)
            ),
        )

    def record(self, text):
        self.seen.append(text)

    def visit(self, page, url):
        response = page.goto(url)
        # Scripts that run after load (the editor, Select2) report late: wait for quiet.
        # Generous, since the machine running the suite may be busy.
        page.wait_for_load_state("networkidle", timeout=60_000)
        assert response.status == 200, f"{url} answered {response.status}"
        policy = response.headers.get("content-security-policy", "")
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
        # A nonce is added only to pages with an inline script (the body editor's form).
        assert re.fullmatch(r"'self'( 'nonce-[^']+')?", directives["script-src"]), url
        assert directives["default-src"] == "'self'", url
        assert "unsafe-inline" not in policy
        return response

    def assert_none(self, where):
        assert self.seen == [], f"CSP violations on {where}: {self.seen}"


@pytest.fixture
def newsroom(politics, admin_user):
    """One of everything the desk and the public site show."""
    editor = staff_member("edward", "Editors")
    editor.first_name, editor.last_name = "Edward", "Kowalski"
    editor.save()
    source = SourceFactory(name="PAP", feed_url="https://feeds.example/pap.xml")
    photo = PhotoFactory()
    article = ArticleFactory(
        section=politics,
        headline="Sejm passes the budget",
        body="<p>The vote was <strong>240</strong> to 200.</p>",
        photo=photo,
    )
    article.authors.add(editor)
    article.tags.add("budget")
    article.source_links.create(source=source, position=1)
    first = record_revision(article=article, user=editor, summary="First draft")
    Article.objects.filter(pk=article.pk).update(headline="Sejm passes the 2027 budget")
    article.refresh_from_db()
    second = record_revision(article=article, user=editor, summary="Headline")
    draft = ArticleFactory(section=politics, draft=True, headline="Draft about taxes")
    trashed = ArticleFactory(section=politics, headline="Withdrawn story")
    Article.objects.filter(pk=trashed.pk).update(deleted_at=timezone.now(), deleted_by=editor)
    SectionRule.objects.create(match_on="provider", value="PAP", section=politics)
    WireItem.objects.create(
        guid="urn:pap:1", version="1", format="ninjs", source=source, headline="Wire copy"
    )
    FeedEntry.objects.create(
        source=source,
        guid="https://pap.example/1",
        link="https://pap.example/1",
        title="Feed entry",
        published_at=timezone.now() - timedelta(hours=2),
    )
    return {
        "editor": editor,
        "article": article,
        "draft": draft,
        "photo": photo,
        "revisions": (first, second),
    }


def registered_admin_pages(user):
    """Index, and each registered model's list, add form and change form the user may open."""
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    pages = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        if not model_admin.has_view_or_change_permission(request):
            continue
        pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        if model_admin.has_add_permission(request):
            pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        obj = model_admin.get_queryset(request).order_by("pk").first()
        if obj is not None:
            pages.append(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
            )
    return pages


def desk_pages(newsroom):
    article, (first, second) = newsroom["article"], newsroom["revisions"]
    return [
        reverse("admin:articles_article_review_queue"),
        reverse("admin:articles_article_trash"),
        reverse("admin:articles_article_history", args=[article.pk]),
        reverse("admin:articles_article_compare", args=[article.pk])
        + f"?a={first.pk}&b={second.pk}",
        reverse("admin:articles_article_preview_revision", args=[article.pk, second.pk]),
        reverse("admin:articles_article_correction", args=[article.pk]),
        reverse("admin:articles_photo_upload_several"),
        reverse("admin:articles_wireitem_import"),
        reverse("admin:password_change"),
    ]


def public_pages(newsroom):
    article = newsroom["article"]
    return [
        "/",
        article.section.get_absolute_url(),
        article.get_absolute_url(),
        reverse("articles:tag-detail", args=["budget"]),
        reverse("articles:author-detail", args=[newsroom["editor"].username]),
        reverse("articles:search") + "?q=budget",
        reverse("articles:search") + "?q=nothing-matches-this",
    ]


def test_the_policy_catches_an_injected_inline_script(page, live_server, newsroom):
    """The watch itself: a script added without the nonce is refused and reported."""
    watch = ViolationWatch(page)
    watch.visit(page, live_server.url + "/")
    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.injected = true";
          document.body.append(script);
        }"""
    )
    expect(page.locator("body")).to_be_visible()
    page.wait_for_function("() => true")
    assert page.evaluate("() => window.injected") is None
    assert any("script-src" in seen for seen in watch.seen), watch.seen


def test_editor_opens_every_admin_page_with_no_csp_violation(page, live_server, newsroom):
    editor = newsroom["editor"]
    watch = ViolationWatch(page)
    log_in(page, live_server, editor.username, EDITOR_PASSWORD)
    pages = registered_admin_pages(editor) + desk_pages(newsroom)
    for path in pages:
        watch.visit(page, live_server.url + path)
        watch.assert_none(path)

    # The share page answers a POST: press the button as an editor would.
    history = reverse("admin:articles_article_history", args=[newsroom["article"].pk])
    watch.visit(page, live_server.url + history)
    page.get_by_role("button", name="Share preview link").first.click()
    preview_url = page.get_by_label("Preview link").input_value()
    watch.assert_none("the share page")
    watch.visit(page, preview_url)
    watch.assert_none("the shared preview link")

    # Every model an editor can see was covered, with its change form.
    opened = "\n".join(pages)
    for model in ("article", "photo", "section", "source"):
        assert f"/admin/articles/{model}/add/" in opened
        assert re.search(rf"/admin/articles/{model}/\d+/change/", opened)
    for model in ("wireitem", "feedentry"):
        assert re.search(rf"/admin/articles/{model}/\d+/change/", opened), model
    assert "/admin/articles/sectionrule/add/" in opened
    assert re.search(r"/admin/taggit/tag/\d+/change/", opened)


def test_superuser_opens_the_admin_pages_editors_cannot_with_no_csp_violation(
    page, live_server, newsroom, admin_user
):
    watch = ViolationWatch(page)
    # A mistyped password first, so the sign-in records have rows to open.
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill("mistyped")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".errornote")).to_be_visible()
    log_in(page, live_server)
    editor_pages = set(registered_admin_pages(newsroom["editor"]))
    pages = [p for p in registered_admin_pages(admin_user) if p not in editor_pages]
    for path in pages:
        watch.visit(page, live_server.url + path)
        watch.assert_none(path)
    opened = "\n".join(pages)
    # Wire items and feed entries are the editors' desk too (migration 0023): covered above.
    for model in (
        "auth/user",
        "auth/group",
        "axes/accessfailurelog",
        "axes/accesslog",
    ):
        assert re.search(rf"/admin/{model}/\d+/change/", opened), model


def test_every_public_page_type_loads_with_no_csp_violation(page, live_server, newsroom):
    watch = ViolationWatch(page)
    for path in public_pages(newsroom):
        watch.visit(page, live_server.url + path)
        watch.assert_none(path)
    expect(page.locator("body")).to_be_visible()


def test_body_editor_and_tag_widget_work_under_the_policy(page, live_server, newsroom):
    editor = newsroom["editor"]
    watch = ViolationWatch(page)
    log_in(page, live_server, editor.username, EDITOR_PASSWORD)
    watch.visit(page, f"{live_server.url}/admin/articles/article/add/")
    page.get_by_label("Headline").press_sequentially("Council approves tram plan")
    expect(page.get_by_label("Slug")).to_have_value("council-approves-tram-plan")
    choose_in_autocomplete(page, "section", "Pol", "Politics")
    type_in_body(page, "Councillors voted 31 to 12.")
    page.locator(".field-tags .select2-selection").click()
    tags = page.locator(".field-tags .select2-search__field")
    tags.press_sequentially("bud")
    expect(page.locator(".select2-results__option", has_text="budget")).to_be_visible()
    page.locator(".select2-results__option", has_text="budget").click()
    page.locator(".field-tags .select2-search__field").press_sequentially("transport,")
    page.get_by_role("button", name="Save draft", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was saved")
    watch.assert_none("the article form")

    article = Article.objects.get(headline="Council approves tram plan")
    assert "Councillors voted 31 to 12." in article.body
    assert sorted(tag.name for tag in article.tags.all()) == ["budget", "transport"]
    assert Revision.objects.filter(article=article).exists()


def test_focal_point_tool_works_under_the_policy(page, live_server, newsroom):
    editor = newsroom["editor"]
    photo = newsroom["photo"]
    watch = ViolationWatch(page)
    log_in(page, live_server, editor.username, EDITOR_PASSWORD)
    watch.visit(page, f"{live_server.url}/admin/articles/photo/{photo.pk}/change/")
    preview = page.locator("img[data-focal-preview]")
    box = preview.bounding_box()
    preview.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.75})
    expect(page.locator(".focal-point-marker")).to_be_visible()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    watch.assert_none("the photo form")
    photo.refresh_from_db()
    assert photo.focal_x == pytest.approx(0.25, abs=0.02)
    assert photo.focal_y == pytest.approx(0.75, abs=0.02)


def test_an_editor_links_an_authenticator_app_under_the_policy(
    page, live_server, newsroom, settings
):
    settings.NEWSROOM_REQUIRE_2FA = True
    editor = newsroom["editor"]
    watch = ViolationWatch(page)
    log_in_with_password(page, live_server, editor.username, EDITOR_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Link an authenticator app")
    expect(page.locator("svg.segno")).to_be_visible()
    device = TOTPDevice.objects.get(user=editor)
    code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    page.get_by_label("Code from your authenticator app").fill(f"{code:06d}")
    page.get_by_role("button", name="Link and continue").click()
    expect(page.locator("#logout-form")).to_be_attached()
    watch.assert_none("linking an authenticator app")
