"""The workflow through the admin: buttons, forms, bulk actions, forged requests."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from articles.desk import workflow
from articles.models import Article, WorkflowState
from tests.factories import ArticleFactory, SourceFactory

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def form_data(client, url):
    """What the browser would send back: every field as the admin rendered it."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        if name in {"authors"}:
            data[name] = [str(v) for v in value]
        elif name == "tags":
            data[name] = [str(v) for v in value]
        elif hasattr(value, "pk"):
            data[name] = value.pk
        else:
            data[name] = value
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management[name].value()
        for index, inline_form in enumerate(formset.formset.forms):
            for name in inline_form.fields:
                value = inline_form[name].value()
                if value not in (None, ""):
                    data[f"{formset.formset.prefix}-{index}-{name}"] = (
                        value.pk if hasattr(value, "pk") else value
                    )
    return data


def buttons(client, article):
    html = client.get(change_url(article)).content.decode()
    return re.findall(r'<button type="submit" name="_workflow" value="[^"]+"[^>]*>([^<]+)<', html)


@pytest.fixture
def own_draft(journalist, politics):
    return ArticleFactory(
        section=politics, draft=True, created_by=journalist, headline="Own draft"
    )


def test_journalist_sees_save_and_submit_only(journalist_client, own_draft):
    assert buttons(journalist_client, own_draft) == ["Save draft", "Submit for review"]


def test_editor_sees_the_buttons_for_an_article_in_review(editor_client, own_draft, journalist):
    workflow.article_submit(article=own_draft, user=journalist)
    assert buttons(editor_client, own_draft) == [
        "Save draft",
        "Publish",
        "Schedule",
        "Return to author",
    ]


def test_editor_sees_unpublish_on_a_live_article(editor_client, politics):
    article = ArticleFactory(section=politics)
    assert "Unpublish" in buttons(editor_client, article)


def test_journalist_creates_a_draft_in_the_admin(journalist_client, journalist, politics):
    data = {
        "headline": "Council meets",
        "section": politics.pk,
        "body": "<p>Text</p>",
        "authors": [journalist.pk],
        "source_links-TOTAL_FORMS": "0",
        "source_links-INITIAL_FORMS": "0",
        "_workflow": "save",
    }
    response = journalist_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302
    article = Article.objects.get()
    assert (article.workflow_state, article.created_by) == (WorkflowState.DRAFT, journalist)
    assert article.revisions.count() == 1


def test_journalist_submits_from_the_form(journalist_client, own_draft):
    data = form_data(journalist_client, change_url(own_draft))
    response = journalist_client.post(change_url(own_draft), {**data, "_workflow": "submit"})
    assert response.status_code == 302
    own_draft.refresh_from_db()
    assert own_draft.workflow_state == WorkflowState.IN_REVIEW


def test_journalist_forging_the_publish_button_is_refused(journalist_client, own_draft):
    data = form_data(journalist_client, change_url(own_draft))
    data["headline"] = "Changed while forging"
    response = journalist_client.post(change_url(own_draft), {**data, "_workflow": "publish"})
    assert response.status_code == 403
    own_draft.refresh_from_db()
    assert own_draft.workflow_state == WorkflowState.DRAFT
    assert own_draft.headline == "Own draft"  # nothing of the refused request was kept


def test_journalist_cannot_open_someone_elses_draft(client, other_journalist, own_draft):
    client.force_login(other_journalist)
    # The admin does not even admit it exists: it sends them back to the desk's index.
    opened = client.get(change_url(own_draft), follow=True)
    assert "Own draft" not in opened.content.decode()
    response = client.post(change_url(own_draft), {"headline": "Hijacked", "_workflow": "save"})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    own_draft.refresh_from_db()
    assert own_draft.headline == "Own draft"


def test_journalist_cannot_post_an_edit_to_own_article_in_review(
    journalist_client, own_draft, journalist
):
    data = form_data(journalist_client, change_url(own_draft))
    workflow.article_submit(article=own_draft, user=journalist)
    response = journalist_client.post(change_url(own_draft), {**data, "headline": "Sneaky"})
    assert response.status_code == 403
    own_draft.refresh_from_db()
    assert own_draft.headline == "Own draft"


def test_journalist_list_shows_own_and_live_articles_only(
    journalist_client, own_draft, other_journalist, politics
):
    ArticleFactory(section=politics, draft=True, created_by=other_journalist, headline="Hidden")
    ArticleFactory(section=politics, headline="Live one")
    html = journalist_client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "Own draft" in html
    assert "Live one" in html
    assert "Hidden" not in html


def test_editor_returns_with_a_note_and_the_form_requires_it(editor_client, own_draft, journalist):
    workflow.article_submit(article=own_draft, user=journalist)
    data = form_data(editor_client, change_url(own_draft))
    refused = editor_client.post(change_url(own_draft), {**data, "_workflow": "return"})
    assert refused.status_code == 200
    assert "a note is required" in refused.content.decode()
    data["workflow_note"] = "Needs a second source."
    accepted = editor_client.post(change_url(own_draft), {**data, "_workflow": "return"})
    assert accepted.status_code == 302
    own_draft.refresh_from_db()
    assert own_draft.workflow_state == WorkflowState.RETURNED
    assert own_draft.transitions.first().note == "Needs a second source."


def test_editor_schedules_from_the_form(editor_client, own_draft):
    data = form_data(editor_client, change_url(own_draft))
    data["publish_at_0"], data["publish_at_1"] = "2099-01-01", "08:00:00"
    response = editor_client.post(change_url(own_draft), {**data, "_workflow": "schedule"})
    assert response.status_code == 302
    own_draft.refresh_from_db()
    assert own_draft.workflow_state == WorkflowState.SCHEDULED


def test_scheduling_in_the_past_is_refused_with_the_text_kept(editor_client, own_draft):
    data = form_data(editor_client, change_url(own_draft))
    data.update(publish_at_0="2001-01-01", publish_at_1="08:00:00", headline="Kept headline")
    response = editor_client.post(change_url(own_draft), {**data, "_workflow": "schedule"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "set a publish time in the future" in html
    assert 'value="Kept headline"' in html


def test_bulk_publish_is_not_offered_to_journalists_and_refused_when_forged(
    journalist_client, own_draft
):
    changelist = reverse("admin:articles_article_changelist")
    html = journalist_client.get(changelist).content.decode()
    assert "publish_selected" not in html
    response = journalist_client.post(
        changelist, {"action": "publish_selected", "_selected_action": [own_draft.pk]}
    )
    assert response.status_code in {200, 302}
    own_draft.refresh_from_db()
    assert own_draft.workflow_state == WorkflowState.DRAFT


def test_bulk_publish_by_an_editor_reports_refusals(editor_client, own_draft, politics):
    blank = ArticleFactory(section=politics, draft=True)
    Article.objects.filter(pk=blank.pk).update(headline="")
    response = editor_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_selected", "_selected_action": [own_draft.pk, blank.pk]},
        follow=True,
    )
    html = response.content.decode()
    assert "1 article(s) published." in html
    assert "The headline is empty." in html
    assert list(Article.objects.published()) == [own_draft]


def test_journalist_cannot_delete_even_by_direct_post(journalist_client, own_draft):
    url = reverse("admin:articles_article_delete", args=[own_draft.pk])
    assert journalist_client.post(url, {"post": "yes"}).status_code == 403
    response = journalist_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "move_to_trash", "_selected_action": [own_draft.pk]},
    )
    assert response.status_code in {200, 302}
    own_draft.refresh_from_db()
    assert own_draft.deleted_at is None


def test_cross_site_post_without_csrf_token_is_refused(journalist, own_draft):
    client = Client(enforce_csrf_checks=True)
    client.force_login(journalist)
    response = client.post(change_url(own_draft), {"headline": "CSRF", "_workflow": "submit"})
    assert response.status_code == 403
    own_draft.refresh_from_db()
    assert own_draft.workflow_state == WorkflowState.DRAFT


def test_review_queue_lists_oldest_first_with_author_section_and_time(
    editor_client, journalist, other_journalist, politics
):
    first = ArticleFactory(section=politics, draft=True, created_by=journalist, headline="First")
    second = ArticleFactory(
        section=politics, draft=True, created_by=other_journalist, headline="Second"
    )
    workflow.article_submit(article=first, user=journalist)
    workflow.article_submit(article=second, user=other_journalist)
    html = editor_client.get(reverse("admin:articles_article_review_queue")).content.decode()
    assert html.index("First") < html.index("Second")
    assert "Politics" in html
    assert journalist.get_full_name() in html
    index = editor_client.get(reverse("admin:index")).content.decode()
    assert "2 articles waiting for review" in index


def test_sources_keep_order_through_a_saved_form(editor_client, own_draft):
    reuters, abc = SourceFactory(name="Reuters"), SourceFactory(name="abcnews.go.com")
    own_draft.source_links.create(source=abc, position=1)
    own_draft.source_links.create(source=reuters, position=2)
    data = form_data(editor_client, change_url(own_draft))
    editor_client.post(change_url(own_draft), {**data, "_workflow": "publish"})
    own_draft.refresh_from_db()
    assert [s.name for s in own_draft.ordered_sources()] == ["abcnews.go.com", "Reuters"]
