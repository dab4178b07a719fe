"""Every public page is usable with a keyboard and a screen reader, and valid HTML: no axe-core
violation of WCAG 2.2 AA in Chromium, no error from the Nu HTML Checker (vnu)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.desk import workflow
from articles.models import BreakingNews
from tests.accessibility import axe_violations, vnu_errors
from tests.browser import log_in
from tests.factories import (
    ArticleFactory,
    LiveEntryFactory,
    PhotoFactory,
    UserFactory,
    live_blog,
    published_front,
)

PAGES = [
    "front page",
    "section page",
    "article page",
    "live article",
    "search with results",
    "search without results",
    "tag page",
    "author page",
    "photo credentials page",
    "404 page",
]


@pytest.fixture
def page_urls(wire_article, world):
    """A small newsroom with every kind of page filled in, and where each page is."""
    anna = UserFactory(username="anna", first_name="Anna", last_name="Nowak")
    wire_article.authors.add(anna)
    wire_article.tags.add("Kremlin", "Diplomacy")
    for i in range(3):
        other = ArticleFactory(
            section=wire_article.section, headline=f"Senate vote {i}", photo=PhotoFactory()
        )
        other.tags.add("Kremlin")
    harbour = ArticleFactory(section=world, headline="Harbour reopens", photo=PhotoFactory())
    # Editors' fronts on the front page and Politics, a live blog and a breaking-news banner.
    coverage = live_blog(section=world, headline="Storm hits the coast: live")
    LiveEntryFactory(article=coverage, body="<p>Ferries cancelled.</p>", is_key_event=True)
    LiveEntryFactory(article=coverage, body="<p>Winds reach 120 km/h.</p>", photo=PhotoFactory())
    published_front([harbour, wire_article, coverage])
    published_front([wire_article], section=wire_article.section)
    BreakingNews.objects.create(
        text="Storm warning for the whole coast",
        article=coverage,
        expires_at=timezone.now() + timedelta(hours=1),
    )
    return {
        "front page": "/",
        "section page": "/politics/",
        "article page": wire_article.get_absolute_url(),
        "live article": coverage.get_absolute_url(),
        "search with results": "/search/?q=kremlin",
        "search without results": "/search/?q=nothing+like+this",
        "tag page": "/tags/kremlin/",
        "author page": "/authors/anna-nowak/",
        "photo credentials page": f"/photos/{wire_article.photo.pk}/credentials/",
        "404 page": "/no-such-section/",
    }


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_axe_violations(page, live_server, page_urls, name):
    response = page.goto(live_server.url + page_urls[name])
    assert response.status == (404 if name == "404 page" else 200)
    # Contrast is judged on the real stylesheet, so it must have loaded.
    header_rule = "getComputedStyle(document.querySelector('.site-header')).borderBottomStyle"
    assert page.evaluate(header_rule) == "solid"
    violations = axe_violations(page)
    assert not violations, "\n".join(violations)


@pytest.mark.django_db
def test_every_page_is_valid_html(client, page_urls, tmp_path):
    files = []
    for name in PAGES:
        response = client.get(page_urls[name])
        assert response.status_code == (404 if name == "404 page" else 200), name
        path = tmp_path / f"{name.replace(' ', '-')}.html"
        path.write_bytes(response.content)
        files.append(str(path))
    errors = vnu_errors(files)
    assert not errors, "\n".join(errors)


@pytest.mark.django_db
def test_vnu_reports_invalid_html(tmp_path):
    """The checker itself: a page with a stray end tag and a missing alt is reported."""
    broken = tmp_path / "broken.html"
    broken.write_text(
        '<!DOCTYPE html><html lang="en"><head><title>x</title></head>'
        '<body><main><img src="a.png"></div></main></body></html>'
    )
    errors = vnu_errors([str(broken)])
    assert len(errors) >= 2


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_axe_reports_a_low_contrast_page(page, live_server):
    """The checker itself: grey-on-white text and an unlabelled field are reported."""
    page.set_content(
        '<!DOCTYPE html><html lang="en"><head><title>x</title></head><body><main>'
        '<p style="color:#bbb;background:#fff">faint</p><input type="text"></main></body></html>'
    )
    violations = " ".join(axe_violations(page))
    assert "color-contrast" in violations
    assert "label" in violations


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_skip_link_is_first_visible_on_focus_and_moves_to_the_content(
    page, live_server, page_urls
):
    page.goto(live_server.url + page_urls["article page"])
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    assert skip.evaluate("element => element === document.activeElement")
    box = skip.bounding_box()
    assert box["x"] >= 0 and box["y"] >= 0  # on screen once focused
    outline = skip.evaluate("element => getComputedStyle(element).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
def test_page_has_one_h1_and_the_landmarks(client, page_urls, name):
    html = client.get(page_urls[name]).content.decode()
    assert html.count("<h1") == 1
    assert html.count("<main") == 1
    assert '<header class="site-header">' in html
    assert '<footer class="site-footer">' in html
    assert '<a class="skip-link" href="#content">' in html


DESK_PAGES = [
    ("journalist", "desk index"),
    ("editor", "desk index"),
    ("journalist", "article form"),
    ("editor", "article form"),
    ("editor", "history"),
]


@pytest.fixture
def desk_urls(journalist, editor, politics):
    """A desk with work in every list, and where its pages are."""
    draft = ArticleFactory(section=politics, draft=True, created_by=journalist, headline="Tram")
    returned = ArticleFactory(section=politics, draft=True, created_by=journalist, headline="Bus")
    workflow.article_submit(article=returned, user=journalist)
    workflow.article_return(article=returned, user=editor, note="Name the second source.")
    ArticleFactory(
        section=politics,
        created_by=journalist,
        headline="Ferry",
        publish_at=timezone.now() + timedelta(minutes=5),
    )
    workflow.article_save(article=draft, user=journalist)
    workflow.article_save(article=draft, user=editor)
    return {
        "desk index": "/admin/",
        "article form": f"/admin/articles/article/{draft.pk}/change/",
        "history": f"/admin/articles/article/{draft.pk}/history/",
    }


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("role", "name"), DESK_PAGES)
def test_desk_page_has_no_axe_violations(page, live_server, desk_urls, request, role, name):
    user = request.getfixturevalue(role)
    log_in(page, live_server, user.username, "correct horse battery staple")
    response = page.goto(live_server.url + desk_urls[name])
    assert response.status == 200
    page.wait_for_load_state("load")
    # The admin's stylesheet loaded: contrast is judged on it.
    assert page.evaluate("getComputedStyle(document.querySelector('#header')).display") != "inline"
    violations = axe_violations(page)
    assert not violations, "\n".join(violations)
