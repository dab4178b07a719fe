"""Never lose a word: autosaves and who else is in the story, through the desk's endpoints."""

import re
import threading
import time
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.desk import presence, workflow
from articles.models import Article, Autosave, Revision, Transition, WorkflowState
from tests.factories import ArticleFactory, SourceFactory
from tests.test_workflow_admin import change_url, form_data

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("autosave")</script><img src=x onerror=alert(1)>'


@pytest.fixture(autouse=True)
def fresh_cache():
    """Presence and the autosave throttle live in the cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def own_draft(journalist, politics):
    article = ArticleFactory(
        section=politics, draft=True, created_by=journalist, headline="Tram fares"
    )
    workflow.article_save(article=article, user=journalist)
    return article


def autosave_url(article=None):
    if article is None:
        return reverse("admin:articles_new_autosave")
    return reverse("admin:articles_article_autosave", args=[article.pk])


def presence_url(article, action=""):
    name = {"": "presence", "leave": "presence_leave", "take-over": "take_over"}[action]
    return reverse(f"admin:articles_article_{name}", args=[article.pk])


def typed(client, article, **changes):
    """The article's form as rendered, with what the person typed since."""
    return {**form_data(client, change_url(article)), **changes}


def client_for(user, **kwargs):
    client = Client(**kwargs)
    client.force_login(user)
    return client


# Autosave keeps typing aside, never in the article.


def test_autosave_keeps_typing_without_touching_the_article(journalist_client, own_draft):
    revisions, transitions = Revision.objects.count(), Transition.objects.count()
    response = journalist_client.post(
        autosave_url(own_draft), typed(journalist_client, own_draft, headline="Fares frozen")
    )
    assert response.status_code == 200
    own_draft.refresh_from_db()
    assert own_draft.headline == "Tram fares"
    assert own_draft.workflow_state == WorkflowState.DRAFT
    assert (Revision.objects.count(), Transition.objects.count()) == (revisions, transitions)
    kept = Autosave.objects.get(article=own_draft)
    assert kept.data["headline"] == ["Fares frozen"]
    assert "csrfmiddlewaretoken" not in kept.data


def test_autosave_of_a_live_article_never_publishes_its_changes(editor_client, politics):
    live = ArticleFactory(section=politics, headline="Live story")
    editor_client.post(
        autosave_url(live),
        typed(editor_client, live, headline="Live story, updated", _workflow="publish"),
    )
    live.refresh_from_db()
    assert live.headline == "Live story"
    assert live.pending_revision_id is None
    assert live.workflow_state == WorkflowState.PUBLISHED
    assert not Transition.objects.filter(article=live).exists()
    assert Autosave.objects.filter(article=live).count() == 1


def test_a_second_autosave_replaces_the_first(journalist_client, own_draft):
    for headline in ["First try", "Second try"]:
        journalist_client.post(
            autosave_url(own_draft), typed(journalist_client, own_draft, headline=headline)
        )
    assert [a.data["headline"] for a in Autosave.objects.all()] == [["Second try"]]


def test_reopening_offers_the_changes_with_the_newsroom_time(journalist_client, own_draft):
    journalist_client.post(
        autosave_url(own_draft),
        typed(journalist_client, own_draft, headline="Fares frozen", standfirst="For a year."),
    )
    # 22:41 UTC is 23:41 in Warsaw in December.
    Autosave.objects.update(saved_at=datetime(2026, 12, 2, 22, 41, tzinfo=UTC))
    html = journalist_client.get(change_url(own_draft)).content.decode()
    assert "Restore your unsaved changes from 23:41?" in html
    assert 'data-unsaved="true"' not in html
    rows = re.findall(
        r'<tr><th scope="row">([^<]+)</th><td>([^<]*)</td><td>([^<]*)</td></tr>', html
    )
    assert ("Headline", "Tram fares", "Fares frozen") in rows
    assert ("Standfirst", "Deputies argued late into the night.", "For a year.") in rows
    assert not any(row[0] == "Slug" for row in rows)


def test_an_autosave_identical_to_the_article_is_not_offered(journalist_client, own_draft):
    journalist_client.post(autosave_url(own_draft), typed(journalist_client, own_draft))
    assert "Restore your unsaved changes" not in journalist_client.get(change_url(own_draft)).text


def test_restoring_fills_the_form_and_saves_nothing(journalist_client, own_draft):
    journalist_client.post(
        autosave_url(own_draft), typed(journalist_client, own_draft, headline="Fares frozen")
    )
    response = journalist_client.get(change_url(own_draft) + "?restore=1")
    assert response.context["adminform"].form["headline"].value() == "Fares frozen"
    assert "are restored below" in response.text
    assert 'data-unsaved="true"' in response.text
    own_draft.refresh_from_db()
    assert own_draft.headline == "Tram fares"
    assert Autosave.objects.filter(article=own_draft).exists()


def test_dismissing_deletes_the_autosave(journalist_client, own_draft):
    journalist_client.post(
        autosave_url(own_draft), typed(journalist_client, own_draft, headline="Fares frozen")
    )
    response = journalist_client.post(
        reverse("admin:articles_article_autosave_discard", args=[own_draft.pk])
    )
    assert response.status_code == 302
    assert not Autosave.objects.exists()
    assert "Restore your unsaved changes" not in journalist_client.get(change_url(own_draft)).text


def test_saving_the_article_clears_the_autosave(journalist_client, own_draft):
    data = typed(journalist_client, own_draft, headline="Fares frozen")
    journalist_client.post(autosave_url(own_draft), data)
    response = journalist_client.post(change_url(own_draft), {**data, "_workflow": "save"})
    assert response.status_code == 302
    own_draft.refresh_from_db()
    assert own_draft.headline == "Fares frozen"
    assert not Autosave.objects.exists()


def test_a_refused_save_keeps_the_autosave(journalist_client, own_draft):
    data = typed(journalist_client, own_draft, headline="")
    journalist_client.post(autosave_url(own_draft), data)
    response = journalist_client.post(change_url(own_draft), {**data, "_workflow": "save"})
    assert response.status_code == 200  # the form with its error
    assert 'data-unsaved="true"' in response.text  # leaving it asks first
    assert Autosave.objects.filter(article=own_draft).exists()


def test_restoring_after_someone_else_saved_is_refused_by_the_lost_update_check(
    journalist_client, own_draft, editor_client
):
    journalist_client.post(
        autosave_url(own_draft), typed(journalist_client, own_draft, headline="Mine")
    )
    editor_data = typed(editor_client, own_draft, headline="The editor's")
    assert editor_client.post(change_url(own_draft), editor_data).status_code == 302

    offer = journalist_client.get(change_url(own_draft)).text
    assert "Someone saved this article after you typed these changes" in offer
    restored = form_data(journalist_client, change_url(own_draft) + "?restore=1")
    response = journalist_client.post(change_url(own_draft), {**restored, "_workflow": "save"})
    assert "after you opened it" in response.text
    own_draft.refresh_from_db()
    assert own_draft.headline == "The editor's"


def test_a_new_article_is_autosaved_for_its_writer_and_offered_on_the_add_page(
    journalist_client, journalist, politics
):
    response = journalist_client.post(
        autosave_url(), {"headline": "Storm warning", "section": politics.pk}
    )
    assert response.status_code == 200
    assert Autosave.objects.get(user=journalist).article is None
    add_url = reverse("admin:articles_article_add")
    assert "Restore your unsaved changes" in journalist_client.get(add_url).text
    restored = journalist_client.get(add_url + "?restore=1")
    assert restored.context["adminform"].form["headline"].value() == "Storm warning"


def test_saving_a_new_article_clears_its_autosave(journalist_client, journalist, politics):
    add_url = reverse("admin:articles_article_add")
    data = {
        **form_data(journalist_client, add_url),
        "headline": "Storm warning",
        "slug": "storm-warning",
        "section": politics.pk,
        "body": "<p>Wind.</p>",
        "_workflow": "save",
    }
    journalist_client.post(autosave_url(), data)
    assert journalist_client.post(add_url, data).status_code == 302
    assert Article.objects.filter(headline="Storm warning").exists()
    assert not Autosave.objects.exists()


def test_hostile_html_in_an_autosave_is_escaped_in_the_offer_and_the_form(
    journalist_client, own_draft
):
    journalist_client.post(
        autosave_url(own_draft),
        typed(journalist_client, own_draft, headline=HOSTILE, body=f"<p>{HOSTILE}</p>"),
    )
    for url in [change_url(own_draft), change_url(own_draft) + "?restore=1"]:
        html = journalist_client.get(url).text
        assert '<script>alert("autosave")' not in html
        assert "<img src=x onerror" not in html
        assert "&lt;script&gt;" in html


def test_too_many_autosaves_a_minute_are_refused_with_a_reason(
    journalist_client, own_draft, settings
):
    settings.NEWSROOM_AUTOSAVES_PER_MINUTE = 2
    data = typed(journalist_client, own_draft, headline="Again")
    statuses = [journalist_client.post(autosave_url(own_draft), data).status_code for _ in "abc"]
    assert statuses == [200, 200, 429]
    assert "Too many autosaves" in journalist_client.post(autosave_url(own_draft), data).text


# Who may autosave: whoever may change the article, and nobody else.


def test_anonymous_autosave_goes_to_the_login_page_and_keeps_nothing(client, own_draft):
    response = client.post(autosave_url(own_draft), {"headline": "x"})
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert client.post(autosave_url(), {"headline": "x"}).status_code == 302
    assert not Autosave.objects.exists()


def test_journalist_cannot_autosave_or_discard_someone_elses_draft(other_journalist, own_draft):
    client = client_for(other_journalist)
    assert client.post(autosave_url(own_draft), {"headline": "x"}).status_code == 403
    assert not Autosave.objects.exists()
    discard = reverse("admin:articles_article_autosave_discard", args=[own_draft.pk])
    assert client.post(discard).status_code == 403


def test_journalist_cannot_autosave_own_article_in_review(
    journalist_client, own_draft, journalist
):
    workflow.article_submit(article=own_draft, user=journalist)
    response = journalist_client.post(autosave_url(own_draft), {"headline": "x"})
    assert response.status_code == 403
    assert not Autosave.objects.exists()


def test_a_reader_account_without_desk_rights_cannot_autosave(django_user_model, own_draft):
    reader = django_user_model.objects.create_user("reader", password="x", is_staff=False)
    client = client_for(reader)
    assert client.post(autosave_url(own_draft), {"headline": "x"}).status_code == 302
    assert not Autosave.objects.exists()


def test_autosave_without_the_csrf_token_is_refused(journalist, own_draft):
    client = client_for(journalist, enforce_csrf_checks=True)
    assert client.post(autosave_url(own_draft), {"headline": "x"}).status_code == 403
    assert client.post(presence_url(own_draft)).status_code == 403
    assert not Autosave.objects.exists()


def test_the_endpoints_answer_only_posts(journalist_client, own_draft):
    assert journalist_client.get(autosave_url(own_draft)).status_code == 405
    assert journalist_client.get(presence_url(own_draft)).status_code == 405


# Presence: who else has the article open.


def test_opening_an_article_someone_edits_names_them_and_since_when(
    editor, own_draft, journalist_client, monkeypatch
):
    editor.first_name, editor.last_name = "Anna", "Nowak"
    editor.save()
    monkeypatch.setattr(
        presence, "now", lambda: datetime(2026, 12, 2, 22, 35, tzinfo=UTC).timestamp()
    )
    client_for(editor).post(presence_url(own_draft))
    monkeypatch.setattr(
        presence, "now", lambda: datetime(2026, 12, 2, 22, 35, 20, tzinfo=UTC).timestamp()
    )
    answer = journalist_client.post(presence_url(own_draft)).json()
    assert answer["others"] == [{"name": "Anna Nowak", "since": "23:35"}]
    assert answer["can_take_over"] is False


def test_the_notice_clears_when_they_leave(editor, own_draft, journalist_client):
    editor_client = client_for(editor)
    editor_client.post(presence_url(own_draft))
    assert journalist_client.post(presence_url(own_draft)).json()["others"] != []
    editor_client.post(presence_url(own_draft, "leave"))
    assert journalist_client.post(presence_url(own_draft)).json()["others"] == []


def test_a_closed_laptop_stops_counting_after_the_timeout(
    editor, own_draft, journalist_client, monkeypatch, settings
):
    settings.NEWSROOM_PRESENCE_TIMEOUT_SECONDS = 45
    opened = timezone.now().timestamp()
    monkeypatch.setattr(presence, "now", lambda: opened)
    client_for(editor).post(presence_url(own_draft))
    monkeypatch.setattr(presence, "now", lambda: opened + 40)
    assert len(journalist_client.post(presence_url(own_draft)).json()["others"]) == 1
    monkeypatch.setattr(presence, "now", lambda: opened + 50)
    assert journalist_client.post(presence_url(own_draft)).json()["others"] == []


def test_someone_who_only_reads_is_not_listed_as_editing(editor_client, own_draft, journalist):
    workflow.article_submit(article=own_draft, user=journalist)  # the author may only read it
    journalist_side = client_for(journalist)
    assert journalist_side.post(presence_url(own_draft)).status_code == 200
    assert editor_client.post(presence_url(own_draft)).json()["others"] == []


def test_an_editor_takes_over_and_the_journalist_is_told(editor, own_draft, journalist_client):
    editor.first_name, editor.last_name = "Ewa", "Kowalska"
    editor.save()
    journalist_client.post(presence_url(own_draft))
    editor_client = client_for(editor)
    assert editor_client.post(presence_url(own_draft)).json()["can_take_over"] is True
    assert editor_client.post(presence_url(own_draft, "take-over")).status_code == 200

    told = journalist_client.post(presence_url(own_draft)).json()
    assert told["taken_over"]["name"] == "Ewa Kowalska"
    assert editor_client.post(presence_url(own_draft)).json()["others"] == []


def test_journalist_cannot_take_over(journalist_client, own_draft, editor):
    client_for(editor).post(presence_url(own_draft))
    assert journalist_client.post(presence_url(own_draft, "take-over")).status_code == 403


def test_presence_refuses_who_may_not_open_the_article(client, other_journalist, own_draft):
    for action in ["", "leave", "take-over"]:
        assert client.post(presence_url(own_draft, action)).status_code == 302
        assert client_for(other_journalist).post(presence_url(own_draft, action)).status_code == (
            403
        )


# Public pages do not pay for any of this.


def test_autosaves_and_presence_add_no_query_to_the_article_page(
    client, own_draft, editor, politics
):
    live = ArticleFactory(section=politics, headline="Readers see this")
    url = live.get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    Autosave.objects.create(article=live, user=editor, data={"headline": ["x"]})
    client_for(editor).post(presence_url(live))
    with CaptureQueriesContext(connection) as after:
        assert client.get(url).status_code == 200
    assert len(after) == len(before)
    assert not [q for q in after.captured_queries if "autosave" in q["sql"]]


def test_staff_without_article_rights_are_refused_everywhere(django_user_model, own_draft):
    clerk = django_user_model.objects.create_user("clerk", password="x", is_staff=True)
    client = client_for(clerk)
    assert client.post(autosave_url(), {"headline": "x"}).status_code == 403
    assert client.post(autosave_url(own_draft), {"headline": "x"}).status_code == 403
    assert client.post(presence_url(own_draft)).status_code == 403
    assert not Autosave.objects.exists()


def test_anonymous_dismiss_goes_to_the_login_page(client, own_draft, journalist):
    Autosave.objects.create(article=own_draft, user=journalist, data={"headline": ["x"]})
    discard = reverse("admin:articles_article_autosave_discard", args=[own_draft.pk])
    assert client.post(discard).status_code == 302
    assert Autosave.objects.exists()


@pytest.mark.parametrize("people", [1, 4])
def test_a_heartbeat_costs_the_same_however_many_are_present(
    people, own_draft, editor, django_user_model, django_assert_num_queries
):
    for n in range(people - 1):
        colleague = django_user_model.objects.create_superuser(f"editor{n}", password="x")
        client_for(colleague).post(presence_url(own_draft))
    client = client_for(editor)
    client.post(presence_url(own_draft))
    # Session, user, article, and the person's permissions: nothing per person present.
    with django_assert_num_queries(5):
        answer = client.post(presence_url(own_draft)).json()
    assert len(answer["others"]) == people - 1


def test_an_autosave_costs_a_fixed_number_of_queries(
    journalist_client, own_draft, django_assert_num_queries
):
    data = typed(journalist_client, own_draft, headline="Fares frozen")
    journalist_client.post(autosave_url(own_draft), data)
    # Session, user, article, two for permissions, and update_or_create's four.
    with django_assert_num_queries(9):
        assert journalist_client.post(autosave_url(own_draft), data).status_code == 200


def person(pk, name):
    """Someone at the desk, as presence sees them."""
    return SimpleNamespace(pk=pk, get_full_name=lambda: name, get_username=lambda: name)


def arrive_together(article, names, monkeypatch):
    """`names` open the article at the same moment, each heartbeat slowed between reading
    who is in and writing it back (as a busy cache would); then who a newcomer sees."""
    read = presence._present

    def slow_read(*args):
        found = read(*args)
        time.sleep(0.05)
        return found

    monkeypatch.setattr(presence, "_present", slow_read)
    together = threading.Barrier(len(names))

    def arrive(pk, name):
        together.wait()
        presence.presence_beat(article=article, user=person(pk, name), editing=True)

    arrivals = [
        threading.Thread(target=arrive, args=(1000 + n, name)) for n, name in enumerate(names)
    ]
    for arrival in arrivals:
        arrival.start()
    for arrival in arrivals:
        arrival.join(timeout=30)
    monkeypatch.undo()
    others, _ = presence.presence_beat(article=article, user=person(999, "Newcomer"), editing=True)
    return sorted(entry["name"] for entry in others)


def test_people_opening_a_story_at_the_same_moment_are_all_shown(own_draft, monkeypatch):
    names = ["Anna Nowak", "Jola Wiśniewska", "Piotr Zieliński", "Ewa Lis"]
    assert arrive_together(own_draft, names, monkeypatch) == sorted(names)


def test_a_turn_left_by_a_dead_process_does_not_stop_the_heartbeat(own_draft):
    cache.add(f"desk-presence-turn:{own_draft.pk}", True, timeout=60)
    presence.presence_beat(article=own_draft, user=person(1000, "Anna Nowak"), editing=True)
    others, _ = presence.presence_beat(
        article=own_draft, user=person(999, "Newcomer"), editing=True
    )
    assert [entry["name"] for entry in others] == ["Anna Nowak"]


# The sources list is writing too: autosaved, offered and restored with the rest.


def sources_of(article):
    return [source.name for source in article.ordered_sources()]


@pytest.fixture
def sourced_draft(own_draft):
    own_draft.source_links.create(source=SourceFactory(name="Reuters"), position=1)
    return own_draft


def test_the_sources_list_is_autosaved_offered_and_restored(journalist_client, sourced_draft):
    agency = SourceFactory(name="abcnews.go.com")
    data = typed(journalist_client, sourced_draft)
    # The journalist adds abcnews.go.com in the empty row and puts it first.
    data.update({"source_links-1-source": agency.pk, "source_links-1-position": 1})
    data["source_links-0-position"] = 2
    assert journalist_client.post(autosave_url(sourced_draft), data).status_code == 200
    assert sources_of(sourced_draft) == ["Reuters"]

    offer = journalist_client.get(change_url(sourced_draft)).text
    assert "Restore your unsaved changes" in offer
    rows = re.findall(
        r'<tr><th scope="row">([^<]+)</th><td>([^<]*)</td><td>([^<]*)</td></tr>', offer
    )
    assert ("Sources", "Reuters", "abcnews.go.com, Reuters") in rows

    restored = form_data(journalist_client, change_url(sourced_draft) + "?restore=1")
    assert sources_of(sourced_draft) == ["Reuters"]  # shown, not saved
    response = journalist_client.post(change_url(sourced_draft), {**restored, "_workflow": "save"})
    assert response.status_code == 302
    assert sources_of(sourced_draft) == ["abcnews.go.com", "Reuters"]
    assert not Autosave.objects.exists()


def test_a_source_taken_out_while_typing_stays_out_when_restored(journalist_client, sourced_draft):
    sourced_draft.source_links.create(source=SourceFactory(name="PAP"), position=2)
    data = typed(journalist_client, sourced_draft)
    data["source_links-0-DELETE"] = "on"  # Reuters
    journalist_client.post(autosave_url(sourced_draft), data)
    restored = form_data(journalist_client, change_url(sourced_draft) + "?restore=1")
    journalist_client.post(change_url(sourced_draft), {**restored, "_workflow": "save"})
    assert sources_of(sourced_draft) == ["PAP"]


def test_an_autosave_with_the_same_sources_offers_no_sources_row(journalist_client, sourced_draft):
    data = typed(journalist_client, sourced_draft, headline="Fares frozen")
    journalist_client.post(autosave_url(sourced_draft), data)
    offer = journalist_client.get(change_url(sourced_draft)).text
    assert "Fares frozen" in offer
    assert ">Sources</th>" not in offer


def test_a_new_articles_sources_are_autosaved_and_restored(journalist_client, politics):
    agency = SourceFactory(name="Reuters")
    add_url = reverse("admin:articles_article_add")
    data = {
        **form_data(journalist_client, add_url),
        "headline": "Storm warning",
        "section": politics.pk,
        "source_links-0-source": agency.pk,
    }
    journalist_client.post(autosave_url(), data)
    restored = journalist_client.get(add_url + "?restore=1")
    rows = restored.context["inline_admin_formsets"][0].formset.forms
    assert [form["source"].value() for form in rows if form["source"].value()] == [agency.pk]


def test_only_source_ids_are_kept_from_a_hostile_sources_list(journalist_client, sourced_draft):
    data = typed(journalist_client, sourced_draft)
    data["source_links-1-source"] = '<script>alert("source")</script>'
    data["source_links-2-source"] = "1 OR 1=1"
    data["source_links-TOTAL_FORMS"] = "3"
    journalist_client.post(autosave_url(sourced_draft), data)
    reuters = sourced_draft.source_links.get().source
    assert Autosave.objects.get().data["source_links"] == [str(reuters.pk)]
    assert "<script>alert" not in journalist_client.get(change_url(sourced_draft)).text
