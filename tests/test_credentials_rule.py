"""The editors' rule: no invalid or AI-generated lead photo goes live without an override."""

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse

from articles.desk import workflow
from articles.models import Article, DeskPolicy, Transition
from tests.credentials_samples import GENERATED, agency_signed, tampered
from tests.factories import ArticleFactory, PhotoFactory
from tests.photo_files import upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def rule_on(db):
    DeskPolicy(hold_doubtful_lead_photos=True).save()


def altered_photo():
    return PhotoFactory(image=upload(tampered(agency_signed()), "altered.jpg"), caption="Altered")


def generated_photo():
    return PhotoFactory(
        image=upload(agency_signed(source_type=GENERATED), "made.jpg"), caption="Made up"
    )


@pytest.mark.parametrize(
    ("make_photo", "reason"),
    [(altered_photo, "signature is invalid"), (generated_photo, "is AI generated")],
)
def test_under_the_rule_an_editor_cannot_simply_publish_a_doubtful_lead_photo(
    rule_on, editor, make_photo, reason
):
    photo = make_photo()
    article = ArticleFactory(draft=True, photo=photo)
    with pytest.raises(ValidationError) as refused:
        workflow.article_publish(article=article, user=editor)
    text = " ".join(refused.value.messages)
    assert reason in text
    assert f"no. {photo.pk}" in text
    assert "Publish despite content credentials" in text
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert not Article.objects.published().exists()


def test_an_editors_override_publishes_and_is_recorded_with_who_and_what(rule_on, editor):
    article = ArticleFactory(draft=True, photo=generated_photo())
    step = workflow.article_publish(article=article, user=editor, override_credentials=True)
    assert Article.objects.published().get() == article
    step = Transition.objects.get(pk=step.pk)
    assert step.user == editor
    assert step.to_state == "published"
    assert "is AI generated (trainedAlgorithmicMedia)" in step.overridden


def test_without_the_rule_a_doubtful_lead_photo_is_published_and_nothing_is_overridden(editor):
    article = ArticleFactory(draft=True, photo=altered_photo())
    step = workflow.article_publish(article=article, user=editor)
    assert Article.objects.published().get() == article
    assert step.overridden == ""


def test_a_signed_capture_passes_the_rule(rule_on, editor):
    article = ArticleFactory(draft=True, photo=PhotoFactory(image=upload(agency_signed())))
    step = workflow.article_publish(article=article, user=editor)
    assert step.overridden == ""


def test_the_rule_holds_for_a_wire_item_that_says_it_is_generated(rule_on, editor):
    article = ArticleFactory(draft=True, photo=PhotoFactory(digital_source_type=GENERATED))
    with pytest.raises(ValidationError, match="AI generated"):
        workflow.article_publish(article=article, user=editor)


def article_form(politics, photo, action, **extra):
    return {
        "headline": "Sejm passes the budget",
        "slug": "",
        "section": politics.pk,
        "body": "<p>The vote was close.</p>",
        "photo": photo.pk,
        "_workflow": action,
        "source_links-TOTAL_FORMS": "0",
        "source_links-INITIAL_FORMS": "0",
        "source_links-MIN_NUM_FORMS": "0",
        "source_links-MAX_NUM_FORMS": "1000",
        **extra,
    }


def test_the_desk_refuses_then_publishes_with_the_editors_explicit_override(
    rule_on, editor, editor_client, politics
):
    photo = altered_photo()
    add = reverse("admin:articles_article_add")
    form = editor_client.get(add).content.decode()
    assert 'name="override_credentials"' in form
    response = editor_client.post(add, article_form(politics, photo, "publish"))
    assert response.status_code == 200
    assert "signature is invalid" in response.content.decode()
    assert not Article.objects.exists()
    response = editor_client.post(
        add, article_form(politics, photo, "publish", override_credentials="on")
    )
    assert response.status_code == 302
    article = Article.objects.published().get()
    history = editor_client.get(reverse("admin:articles_article_history", args=[article.pk]))
    html = history.content.decode()
    assert "Published despite the content credentials rule" in html
    assert "signature is invalid" in html
    assert (editor.get_full_name() or editor.get_username()) in html


def test_a_journalist_gets_no_override_and_cannot_publish_with_one(
    rule_on, journalist_client, politics
):
    add = reverse("admin:articles_article_add")
    assert 'name="override_credentials"' not in journalist_client.get(add).content.decode()
    journalist_client.post(
        add, article_form(politics, altered_photo(), "publish", override_credentials="on")
    )
    assert not Article.objects.published().exists()


def test_bulk_publishing_never_overrides_the_rule(rule_on, editor_client):
    article = ArticleFactory(draft=True, photo=altered_photo())
    response = editor_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_selected", "_selected_action": [article.pk]},
        follow=True,
    )
    assert "signature is invalid" in response.content.decode()
    assert not Article.objects.published().exists()


POLICY_PAGE = reverse("admin:articles_deskpolicy_change", args=[DeskPolicy.SINGLE_ROW])


def test_the_rule_is_off_until_an_editor_switches_it_on_in_the_desk(editor, editor_client):
    article = ArticleFactory(draft=True, photo=generated_photo())
    assert article.credentials_problems() == []
    page = editor_client.get(reverse("admin:articles_deskpolicy_changelist"), follow=True)
    assert page.redirect_chain[-1][0] == POLICY_PAGE
    assert "hold back doubtful lead photos" in page.content.decode().lower()

    response = editor_client.post(POLICY_PAGE, {"hold_doubtful_lead_photos": "on"})

    assert response.status_code == 302
    policy = DeskPolicy.objects.get()
    assert policy.hold_doubtful_lead_photos
    assert policy.changed_by == editor
    assert LogEntry.objects.filter(user=editor, object_repr="Desk policy").exists()
    with pytest.raises(ValidationError, match="AI generated"):
        workflow.article_publish(article=article, user=editor)


def test_an_editor_switches_the_rule_off_again(rule_on, editor, editor_client):
    response = editor_client.post(POLICY_PAGE, {})
    assert response.status_code == 302
    assert not DeskPolicy.objects.get().hold_doubtful_lead_photos
    article = ArticleFactory(draft=True, photo=generated_photo())
    workflow.article_publish(article=article, user=editor)
    assert Article.objects.published().get() == article


def test_a_journalist_may_read_the_policy_but_not_switch_it(journalist_client):
    assert journalist_client.get(POLICY_PAGE).status_code == 200
    response = journalist_client.post(POLICY_PAGE, {"hold_doubtful_lead_photos": "on"})
    assert response.status_code == 403
    assert not DeskPolicy.current().hold_doubtful_lead_photos


def test_readers_and_signed_out_visitors_never_reach_the_policy(client, django_user_model):
    response = client.post(POLICY_PAGE, {"hold_doubtful_lead_photos": "on"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    reader = django_user_model.objects.create_user("reader", password="x")
    client.force_login(reader)
    response = client.post(POLICY_PAGE, {"hold_doubtful_lead_photos": "on"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert not DeskPolicy.objects.exists()


def test_the_policy_cannot_be_added_twice_or_deleted(rule_on, editor_client):
    assert editor_client.get(reverse("admin:articles_deskpolicy_add")).status_code == 403
    delete = reverse("admin:articles_deskpolicy_delete", args=[DeskPolicy.SINGLE_ROW])
    assert editor_client.post(delete, {"post": "yes"}).status_code == 403
    assert DeskPolicy.objects.get().hold_doubtful_lead_photos
