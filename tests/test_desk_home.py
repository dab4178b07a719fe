"""The admin index is each person's desk: their work in the lists their role needs."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.desk import workflow
from articles.desk.revisions import snapshot_article
from tests.factories import ArticleFactory

# "Scheduled today" depends on the hour: every test here runs at noon in the newsroom.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("newsroom_midday")]

INDEX = reverse("admin:index")
CHANGELIST = reverse("admin:articles_article_changelist")
NOTE = "Check the <script>alert('x')</script> figures"
NOTE_AS_SHOWN = "Check the &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; figures"


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def section_of(html, key):
    """The HTML of one desk list, from its heading to the next list."""
    start = html.index(f'id="desk-{key}"')
    end = html.find("</section>", start)
    return html[start:end]


@pytest.fixture
def desk(journalist, other_journalist, editor, politics):
    """A journalist's work in every state, and a colleague's draft they must not see."""
    draft = ArticleFactory(section=politics, draft=True, created_by=journalist, headline="Tram")
    returned = ArticleFactory(section=politics, draft=True, created_by=journalist, headline="Bus")
    workflow.article_submit(article=returned, user=journalist)
    workflow.article_return(article=returned, user=editor, note=NOTE)
    in_review = ArticleFactory(
        section=politics, draft=True, created_by=journalist, headline="Metro"
    )
    workflow.article_submit(article=in_review, user=journalist)
    scheduled = ArticleFactory(
        section=politics,
        created_by=journalist,
        headline="Ferry",
        publish_at=timezone.now() + timedelta(minutes=5),
    )
    later = ArticleFactory(
        section=politics,
        created_by=journalist,
        headline="Airport",
        publish_at=timezone.now() + timedelta(days=2),
    )
    published = ArticleFactory(section=politics, created_by=journalist, headline="Bridge")
    colleague = ArticleFactory(
        section=politics, draft=True, created_by=other_journalist, headline="Secret draft"
    )
    return {
        "draft": draft,
        "returned": returned,
        "in_review": in_review,
        "scheduled": scheduled,
        "later": later,
        "published": published,
        "colleague": colleague,
    }


def test_journalist_desk_shows_their_work_by_state(journalist_client, desk):
    html = journalist_client.get(INDEX).content.decode()
    assert "Tram" in section_of(html, "drafts")
    assert "Bus" not in section_of(html, "drafts")
    assert "Bus" in section_of(html, "returned")
    assert "Metro" in section_of(html, "in-review")
    assert "Ferry" in section_of(html, "scheduled")
    assert "Airport" in section_of(html, "scheduled")
    assert "Secret draft" not in html
    assert html.index("My drafts") < html.index("Returned to me") < html.index("In review")
    # Each entry opens the article.
    assert f'href="{change_url(desk["draft"])}"' in section_of(html, "drafts")


def test_returned_entry_carries_the_editors_note_escaped(journalist_client, desk):
    returned = section_of(journalist_client.get(INDEX).content.decode(), "returned")
    assert NOTE_AS_SHOWN in returned
    assert "<script>alert" not in returned


def test_editor_desk_puts_the_review_queue_first_then_today_then_published(editor_client, desk):
    html = editor_client.get(INDEX).content.decode()
    assert html.index("Review queue") < html.index("Scheduled today")
    assert html.index("Scheduled today") < html.index("Recently published")
    assert "Metro" in section_of(html, "review-queue")
    assert "1 article waiting for review" in html
    assert "Ferry" in section_of(html, "scheduled-today")
    assert "Bridge" in section_of(html, "recently-published")
    assert "My drafts" not in html


def test_scheduled_today_ends_at_midnight_in_the_newsrooms_time_zone(
    editor_client, desk, politics, newsroom_midday
):
    ArticleFactory(
        section=politics, headline="Night tram", publish_at=newsroom_midday + timedelta(hours=11)
    )
    ArticleFactory(
        section=politics, headline="Dawn ferry", publish_at=newsroom_midday + timedelta(hours=13)
    )
    today = section_of(editor_client.get(INDEX).content.decode(), "scheduled-today")
    assert "Night tram" in today
    assert "Dawn ferry" not in today
    assert "Airport" not in today


def test_desk_keeps_the_list_of_everything_reachable(journalist_client, desk):
    html = journalist_client.get(INDEX).content.decode()
    assert html.index("My drafts") < html.index('id="content-main"')
    assert f'href="{CHANGELIST}"' in html


def test_desk_lists_are_bounded(journalist_client, journalist, politics):
    for n in range(14):
        ArticleFactory(section=politics, draft=True, created_by=journalist, headline=f"Draft {n}")
    drafts = section_of(journalist_client.get(INDEX).content.decode(), "drafts")
    assert drafts.count("<li ") == 10


def index_queries(client, django_assert_num_queries, expected):
    with django_assert_num_queries(expected):
        assert client.get(INDEX).status_code == 200


@pytest.mark.parametrize("extra", [0, 12])
def test_journalist_desk_takes_the_same_queries_however_much_work(
    journalist_client, journalist, editor, politics, django_assert_num_queries, extra
):
    for n in range(extra):
        article = ArticleFactory(section=politics, draft=True, created_by=journalist)
        if n % 2:
            workflow.article_submit(article=article, user=journalist)
            workflow.article_return(article=article, user=editor, note=f"Note {n}")
    index_queries(journalist_client, django_assert_num_queries, 9)


@pytest.mark.parametrize("extra", [0, 12])
def test_editor_desk_takes_the_same_queries_however_much_work(
    editor_client, journalist, politics, django_assert_num_queries, extra
):
    for n in range(extra):
        article = ArticleFactory(section=politics, draft=True, created_by=journalist)
        if n % 2:
            workflow.article_submit(article=article, user=journalist)
        ArticleFactory(section=politics, publish_at=timezone.now() + timedelta(minutes=n + 1))
    index_queries(editor_client, django_assert_num_queries, 9)


def test_anonymous_visitor_is_sent_to_log_in(client, desk):
    response = client.get(INDEX)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_submitting_brings_the_journalist_back_to_the_desk_with_the_story_highlighted(
    journalist_client, desk
):
    article = desk["draft"]
    form = journalist_client.get(change_url(article)).context["adminform"].form
    data = {
        **{name: value for name, value in form.initial.items() if value is not None},
        "headline": article.headline,
        "section": article.section_id,
        "body": article.body,
        "base_revision": form.initial.get("base_revision") or "",
        "source_links-TOTAL_FORMS": "0",
        "source_links-INITIAL_FORMS": "0",
        "_workflow": "submit",
    }
    data.pop("tags", None)
    data.pop("authors", None)
    response = journalist_client.post(change_url(article), data)
    assert response.status_code == 302
    assert response["Location"] == f"{INDEX}?highlight={article.pk}#desk-in-review-{article.pk}"
    html = journalist_client.get(response["Location"]).content.decode()
    in_review = section_of(html, "in-review")
    assert f'id="desk-in-review-{article.pk}" class="desk-highlight"' in in_review


def test_editor_stays_on_the_article_after_submitting(editor_client, editor, politics):
    article = ArticleFactory(section=politics, draft=True, created_by=editor)
    response = editor_client.post(
        change_url(article),
        {
            "headline": article.headline,
            "section": article.section_id,
            "body": article.body,
            "source_links-TOTAL_FORMS": "0",
            "source_links-INITIAL_FORMS": "0",
            "_workflow": "submit",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == change_url(article)


# The article list's "my work" filter.


def test_mine_filter_lists_only_the_journalists_own_articles(
    journalist_client, journalist, desk, politics
):
    ArticleFactory(section=politics, headline="Someone else's live story")
    html = journalist_client.get(CHANGELIST, {"desk": "mine"}).content.decode()
    assert "Tram" in html and "Bridge" in html
    assert "Someone else" not in html


def test_returned_to_me_filter_lists_only_what_came_back(journalist_client, desk):
    html = journalist_client.get(CHANGELIST, {"desk": "returned"}).content.decode()
    assert "Bus" in html
    assert NOTE_AS_SHOWN in html
    assert "Tram" not in html and "Metro" not in html


def test_returned_to_me_is_the_editors_own_returns_only(editor_client, desk):
    html = editor_client.get(CHANGELIST, {"desk": "returned"}).content.decode()
    assert "Bus" not in html  # returned to the journalist, not to the editor


def test_live_article_returned_with_changes_is_returned_to_me(
    journalist_client, journalist, editor, politics
):
    article = ArticleFactory(section=politics, created_by=journalist, headline="Harbour")
    workflow.article_save(
        article=article, user=journalist, data={**snapshot_article(article), "headline": "Port"}
    )
    workflow.article_submit(article=article, user=journalist)
    workflow.article_return(article=article, user=editor, note="Keep the old headline.")
    html = journalist_client.get(CHANGELIST, {"desk": "returned"}).content.decode()
    assert "Keep the old headline." in html
    index = journalist_client.get(INDEX).content.decode()
    assert "Keep the old headline." in section_of(index, "returned")


@pytest.mark.parametrize("highlight", ["²", "-1", "<script>", "9" * 40, ""])
def test_a_bad_highlight_in_the_address_is_ignored(journalist_client, desk, highlight):
    response = journalist_client.get(INDEX, {"highlight": highlight})
    assert response.status_code == 200
    assert "desk-highlight" not in response.content.decode()


def test_a_hostile_headline_is_shown_as_text_on_every_desk(
    journalist_client, editor_client, journalist, politics
):
    article = ArticleFactory(
        section=politics,
        draft=True,
        created_by=journalist,
        headline='<img src=x onerror="alert(1)">',
    )
    workflow.article_submit(article=article, user=journalist)
    for client in [journalist_client, editor_client]:
        html = client.get(INDEX).content.decode()
        assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
        assert '<img src=x onerror="alert(1)">' not in html
