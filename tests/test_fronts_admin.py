"""Arranging fronts in the admin: editors only; journalists suggest; history and restore."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Front, FrontRevision, FrontSuggestion
from tests.factories import ArticleFactory, published_front

pytestmark = pytest.mark.django_db


def lead_headline(html):
    lead = re.search(
        r'class="card card-lead".*?class="card-headline"><a [^>]*>([^<]*)<', html, re.S
    )
    return lead.group(1) if lead else None


def headlines(html):
    return re.findall(r'class="card-headline"><a href="[^"]*">([^<]*)</a>', html)


@pytest.fixture
def stories(politics):
    now = timezone.now()
    return [
        ArticleFactory(
            section=politics, headline=f"Story {n}", publish_at=now - timedelta(minutes=n)
        )
        for n in range(1, 5)
    ]


@pytest.fixture
def front(db):
    return Front.objects.create()


def arrange_url(front):
    return f"/admin/articles/front/{front.pk}/change/"


def order_of(front):
    return [slot.article.headline for slot in front.draft().slots.select_related("article")]


def post_arrangement(client, front, order, **extra):
    """The arrange form as the page sends it: rows in `order`, plus the pressed button."""
    data = {"order": [str(article.pk) for article in order], **extra}
    for article in order:
        prefix = f"slot-{article.pk}"
        data.update({f"{prefix}-headline": "", f"{prefix}-crop": "16:9"})
    return client.post(arrange_url(front), data)


# Every page of the fronts desk, as (method, address) for a front and one of its revisions.
DESK_PAGES = {
    "front list": lambda front, revision: ("get", "/admin/articles/front/"),
    "new front": lambda front, revision: ("get", "/admin/articles/front/add/"),
    "arrange": lambda front, revision: ("get", arrange_url(front)),
    "save arrangement": lambda front, revision: ("post", arrange_url(front)),
    "preview": lambda front, revision: ("get", f"/admin/articles/front/{front.pk}/preview/"),
    "history": lambda front, revision: ("get", f"/admin/articles/front/{front.pk}/history/"),
    "restore": lambda front, revision: (
        "post",
        f"/admin/articles/front/{front.pk}/revisions/{revision.pk}/restore/",
    ),
}


@pytest.fixture
def published(stories):
    front = published_front(stories[:2])
    return front, front.published_revision


@pytest.mark.parametrize("desk_page", list(DESK_PAGES))
def test_anonymous_visitors_are_sent_to_log_in_from_every_fronts_page(
    client, published, desk_page
):
    method, url = DESK_PAGES[desk_page](*published)
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("desk_page", list(DESK_PAGES))
def test_journalists_may_not_arrange_fronts(journalist_client, published, desk_page):
    front, revision = published
    method, url = DESK_PAGES[desk_page](front, revision)
    assert getattr(journalist_client, method)(url).status_code == 403
    assert not FrontRevision.objects.filter(published_at__isnull=True).exists()


@pytest.mark.parametrize("desk_page", list(DESK_PAGES))
def test_editors_open_every_fronts_page(editor_client, published, desk_page):
    method, url = DESK_PAGES[desk_page](*published)
    assert getattr(editor_client, method)(url).status_code in {200, 302}


def test_an_editor_builds_reorders_previews_and_publishes_the_front_page(
    editor_client, editor, front, stories, client
):
    for story in stories:
        response = editor_client.post(arrange_url(front), {"add": story.pk})
        assert response.status_code == 302
    assert order_of(front) == ["Story 1", "Story 2", "Story 3", "Story 4"]
    # The keyboard's Down button on story 1, without the page's script.
    post_arrangement(editor_client, front, stories, move=f"{stories[0].pk}:down")
    assert order_of(front) == ["Story 2", "Story 1", "Story 3", "Story 4"]
    # Dragging story 4 to the top, as the script sends it.
    post_arrangement(editor_client, front, [stories[3], stories[1], stories[0], stories[2]])
    assert order_of(front) == ["Story 4", "Story 2", "Story 1", "Story 3"]

    preview = editor_client.get(f"/admin/articles/front/{front.pk}/preview/")
    assert lead_headline(preview.content.decode()) == "Story 4"
    assert preview["X-Robots-Tag"] == "noindex, nofollow"
    assert lead_headline(client.get("/").content.decode()) is None

    post_arrangement(
        editor_client, front, [stories[3], stories[1], stories[0], stories[2]], _publish="1"
    )
    page = client.get("/").content.decode()
    assert headlines(page)[:4] == ["Story 4", "Story 2", "Story 1", "Story 3"]
    front.refresh_from_db()
    assert front.published_revision.published_by == editor


def test_removing_a_slot_and_replacing_its_headline(editor_client, stories, client):
    front = published_front(stories[:3])
    data = {
        "order": [str(s.pk) for s in stories[:3]],
        "remove": [str(stories[0].pk)],
        f"slot-{stories[1].pk}-headline": "Budget passes",
        f"slot-{stories[1].pk}-crop": "1:1",
        f"slot-{stories[2].pk}-headline": "",
        f"slot-{stories[2].pk}-crop": "16:9",
        "_publish": "1",
    }
    editor_client.post(arrange_url(front), data)
    page = client.get("/").content.decode()
    assert lead_headline(page) == "Budget passes"
    assert headlines(page)[:2] == ["Budget passes", "Story 3"]
    assert page.count("Story 1") == 2  # in Latest and in the Politics block, not on the front


def test_a_bad_pin_time_is_refused_and_nothing_is_saved(editor_client, stories):
    front = published_front(stories[:2])
    data = {
        "order": [str(stories[1].pk), str(stories[0].pk)],
        f"slot-{stories[0].pk}-pinned_until": "tomorrow-ish",
        f"slot-{stories[0].pk}-crop": "16:9",
        f"slot-{stories[1].pk}-crop": "16:9",
    }
    response = editor_client.post(arrange_url(front), data)
    assert response.status_code == 200
    assert "Enter a valid date/time" in response.content.decode()
    assert order_of(front) == ["Story 1", "Story 2"]


def test_an_unpublished_story_cannot_be_added_to_a_front(editor_client, front, politics):
    draft = ArticleFactory(section=politics, headline="Unfinished draft", draft=True)
    response = editor_client.post(arrange_url(front), {"add": draft.pk}, follow=True)
    assert "is not published: only published stories go on a front" in response.content.decode()
    assert order_of(front) == []


def test_the_history_names_who_published_and_a_restore_brings_an_arrangement_back(
    editor_client, editor, stories, client
):
    front = published_front(stories[:2])
    first = front.published_revision
    editor_client.post(arrange_url(front), {"add": stories[2].pk})
    removed = [str(stories[0].pk), str(stories[1].pk)]
    post_arrangement(editor_client, front, [stories[2]], remove=removed, _publish="1")
    assert lead_headline(client.get("/").content.decode()) == "Story 3"

    history = editor_client.get(f"/admin/articles/front/{front.pk}/history/").content.decode()
    assert "edward" in history
    assert "added “Story 3”" in history
    assert "removed “Story 1”" in history

    editor_client.post(f"/admin/articles/front/{front.pk}/revisions/{first.pk}/restore/")
    assert order_of(front) == ["Story 1", "Story 2"]
    assert lead_headline(client.get("/").content.decode()) == "Story 3"
    post_arrangement(editor_client, front, stories[:2], _publish="1")
    assert lead_headline(client.get("/").content.decode()) == "Story 1"
    assert front.revisions.filter(published_at__isnull=False).count() == 3


def test_a_journalist_suggests_a_story_and_the_editor_sees_it(
    journalist_client, editor_client, front, stories
):
    response = journalist_client.post(
        "/admin/articles/frontsuggestion/add/",
        {"front": front.pk, "article": stories[2].pk, "note": "Big on social media"},
    )
    assert response.status_code == 302
    suggestion = FrontSuggestion.objects.get()
    assert suggestion.suggested_by.username == "jola"
    page = editor_client.get(arrange_url(front)).content.decode()
    assert "Suggested by journalists" in page
    assert "Big on social media" in page
    editor_client.post(arrange_url(front), {"add": stories[2].pk})
    assert order_of(front) == ["Story 3"]
    suggestion.refresh_from_db()
    assert suggestion.handled_at is not None


def test_a_journalist_cannot_suggest_an_unpublished_story(journalist_client, front, politics):
    draft = ArticleFactory(section=politics, headline="Unfinished draft", draft=True)
    response = journalist_client.post(
        "/admin/articles/frontsuggestion/add/", {"front": front.pk, "article": draft.pk}
    )
    assert response.status_code == 200
    assert not FrontSuggestion.objects.exists()


def test_a_replacement_headline_is_shown_as_text_never_as_markup(editor_client, stories, client):
    front = published_front(stories[:1])
    payload = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    editor_client.post(
        arrange_url(front),
        {
            "order": [str(stories[0].pk)],
            f"slot-{stories[0].pk}-headline": payload,
            f"slot-{stories[0].pk}-crop": "16:9",
            "_publish": "1",
        },
    )
    for page in (client.get("/"), editor_client.get(arrange_url(front))):
        html = page.content.decode()
        assert "<script>alert(1)" not in html
        assert "<img src=x onerror" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in client.get("/").content.decode()
