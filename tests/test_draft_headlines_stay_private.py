"""Staff learn nothing of drafts they may not open: not the headline, not the slug, not a tag.

Journalists open their own articles and live ones; editors open everything
(`Article.objects.visible_to`, `visibility.may_open`).
"""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from articles.models import Article, FeedEntry
from tests.factories import ArticleFactory, PhotoFactory, SourceFactory

pytestmark = pytest.mark.django_db

SECRET = "Minister to resign on Friday"


@pytest.fixture
def secret_draft(other_journalist, politics):
    draft = ArticleFactory(
        section=politics, draft=True, created_by=other_journalist, headline=SECRET
    )
    draft.tags.add("Resignation scoop")
    return draft


def view_on_site(article):
    content_type = ContentType.objects.get_for_model(Article)
    return f"/admin/r/{content_type.pk}/{article.pk}/"


# The admin's "view on site" shortcut.


def test_view_on_site_of_someone_elses_draft_answers_404_to_a_journalist(
    journalist_client, secret_draft
):
    response = journalist_client.get(view_on_site(secret_draft))
    assert response.status_code == 404
    assert secret_draft.slug not in response.get("Location", "")


def test_view_on_site_works_for_own_drafts_and_live_articles(
    journalist_client, journalist, politics
):
    own = ArticleFactory(section=politics, draft=True, created_by=journalist)
    live = ArticleFactory(section=politics, headline="Budget passes")
    assert journalist_client.get(view_on_site(own)).status_code == 302
    response = journalist_client.get(view_on_site(live))
    assert (response.status_code, response["Location"]) == (
        302,
        f"http://testserver{live.get_absolute_url()}",
    )


def test_view_on_site_works_for_editors_on_any_draft(editor_client, secret_draft):
    response = editor_client.get(view_on_site(secret_draft))
    assert response.status_code == 302
    assert response["Location"].endswith(secret_draft.get_absolute_url())


def test_view_on_site_sends_anonymous_visitors_to_the_login(client, secret_draft):
    response = client.get(view_on_site(secret_draft))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert secret_draft.slug not in response["Location"]


def test_view_on_site_of_an_article_in_the_trash_answers_404(editor_client, politics, editor):
    from articles.desk import workflow

    article = ArticleFactory(section=politics)
    workflow.article_trash(article=article, user=editor)
    assert editor_client.get(view_on_site(article)).status_code == 404


# The photo page's "used in" list.


def test_photo_page_lists_only_articles_the_journalist_may_open(
    journalist_client, journalist, secret_draft, politics
):
    photo = PhotoFactory()
    secret_draft.photo = photo
    secret_draft.save()
    ArticleFactory(section=politics, photo=photo, headline="Budget passes")
    ArticleFactory(
        section=politics, photo=photo, draft=True, created_by=journalist, headline="My own draft"
    )
    html = journalist_client.get(
        reverse("admin:articles_photo_change", args=[photo.pk])
    ).content.decode()
    assert "Budget passes" in html
    assert "My own draft" in html
    assert SECRET not in html
    assert "1 other article you cannot open" in html


def test_photo_page_lists_every_article_for_an_editor(editor_client, secret_draft):
    photo = PhotoFactory()
    secret_draft.photo = photo
    secret_draft.save()
    html = editor_client.get(
        reverse("admin:articles_photo_change", args=[photo.pk])
    ).content.decode()
    assert SECRET in html


# "Create draft" from the feed inbox.


def grant(user, *codenames):
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


@pytest.fixture
def entry(db):
    return FeedEntry.objects.create(
        source=SourceFactory(name="abcnews.go.com"),
        guid="abc-1",
        link="https://abcnews.go.com/1",
        title="Kremlin talks end",
        summary="<p>Negotiators left.</p>",
    )


def create_draft(client, entry):
    return client.post(reverse("admin:articles_feedentry_create_draft"), {"entry": entry.pk})


def test_journalist_without_the_wire_inbox_cannot_create_drafts_from_it(journalist_client, entry):
    assert create_draft(journalist_client, entry).status_code == 403
    assert not Article.objects.exists()


def test_desk_member_with_the_inbox_makes_a_draft_they_can_open(journalist, entry):
    grant(journalist, "view_feedentry", "change_feedentry")
    client = Client()
    client.force_login(journalist)
    response = create_draft(client, entry)
    article = Article.objects.get()
    assert response.url == reverse("admin:articles_article_change", args=[article.pk])
    assert article.created_by == journalist
    assert client.get(response.url).status_code == 200


def test_entry_already_drafted_by_a_colleague_does_not_reveal_its_headline(
    journalist, other_journalist, entry
):
    for person in (journalist, other_journalist):
        grant(person, "view_feedentry", "change_feedentry")
    colleague = Client()
    colleague.force_login(other_journalist)
    create_draft(colleague, entry)
    Article.objects.update(headline=SECRET)

    client = Client()
    client.force_login(journalist)
    response = create_draft(client, entry)
    assert response.url == reverse("admin:articles_feedentry_changelist")
    page = client.get(response.url).content.decode()
    assert "already has a draft" in page
    assert SECRET not in page
    change = client.get(reverse("admin:articles_feedentry_change", args=[entry.pk]))
    assert SECRET not in change.content.decode()
    assert Article.objects.count() == 1


def test_editor_sees_the_draft_an_entry_became(editor, entry, journalist):
    grant(journalist, "view_feedentry", "change_feedentry")
    grant(editor, "view_feedentry", "change_feedentry")
    client = Client()
    client.force_login(journalist)
    create_draft(client, entry)
    Article.objects.update(headline=SECRET)
    client.force_login(editor)
    assert SECRET in client.get(reverse("admin:articles_feedentry_changelist")).content.decode()


# Tag suggestions in the article form.


def suggestions(client, term):
    response = client.get(reverse("admin:articles_article_tag_suggestions"), {"term": term})
    return [result["text"] for result in response.json()["results"]]


def test_tag_suggestions_leave_out_tags_only_others_drafts_carry(
    journalist_client, journalist, secret_draft, politics
):
    ArticleFactory(section=politics).tags.add("Resignations")
    ArticleFactory(section=politics, draft=True, created_by=journalist).tags.add("Resign later")
    assert suggestions(journalist_client, "resign") == ["Resign later", "Resignations"]


def test_tag_suggestions_list_every_tag_for_an_editor(editor_client, secret_draft):
    assert suggestions(editor_client, "scoop") == ["Resignation scoop"]
