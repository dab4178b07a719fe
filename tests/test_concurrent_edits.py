"""Two people saving the same article at the same moment: one wins, the other is told.

The race needs two real database connections, so it runs in threads, each with its own
connection, against committed data (a transactional test).
"""

import threading

import pytest
from django.db import connection
from django.test import Client

from articles.desk import workflow
from articles.models import Article
from tests.factories import ArticleFactory, SourceFactory
from tests.test_workflow_admin import change_url, form_data

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def draft(editor, politics):
    article = ArticleFactory(section=politics, draft=True, created_by=editor, headline="Budget")
    article.source_links.create(source=SourceFactory(name="PAP"), position=1)
    workflow.article_save(article=article, user=editor)
    return article


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite cannot race here: the admin's save runs in one BEGIN IMMEDIATE "
    "transaction, which takes the database's single write lock before the check, so two "
    "saves are serialised (and the in-memory test database reports the second as locked "
    "instead of waiting).",
)
def test_two_simultaneous_saves_from_the_same_base_do_not_both_win(draft, editor, monkeypatch):
    other_editor = type(editor).objects.create(username="ewa", is_staff=True, is_superuser=True)
    clients = [client_for(editor), client_for(other_editor)]
    # Both open the form before either saves: the same base revision.
    forms = [form_data(client, change_url(draft)) for client in clients]
    both_checked = threading.Barrier(2, timeout=3)
    real_save = workflow.article_save

    def save_when_both_have_checked(**kwargs):
        try:
            both_checked.wait()
        except threading.BrokenBarrierError:
            pass  # the other save is waiting for our row lock: it never gets here first
        return real_save(**kwargs)

    monkeypatch.setattr(workflow, "article_save", save_when_both_have_checked)
    responses = [None, None]

    def save(index, standfirst):
        try:
            responses[index] = clients[index].post(
                change_url(draft), {**forms[index], "standfirst": standfirst}
            )
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(0, "Edward's words")),
        threading.Thread(target=save, args=(1, "Ewa's words")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200, 302]
    refused = next(r for r in responses if r.status_code == 200)
    assert "after you opened it" in refused.content.decode()
    saved = next(r for r in responses if r.status_code == 302)
    winner = "Edward's words" if saved is responses[0] else "Ewa's words"
    assert Article.objects.get(pk=draft.pk).standfirst == winner
    assert draft.revisions.count() == 2


def test_a_deliberate_overwrite_that_repeats_a_source_the_other_editor_added(draft, editor):
    other_editor = type(editor).objects.create(username="ewa", is_staff=True, is_superuser=True)
    mine, theirs = client_for(editor), client_for(other_editor)
    reuters = SourceFactory(name="Reuters")
    my_form = form_data(mine, change_url(draft))
    their_form = form_data(theirs, change_url(draft))
    their_form.update({"source_links-1-source": reuters.pk, "source_links-TOTAL_FORMS": "2"})
    assert theirs.post(change_url(draft), their_form).status_code == 302

    my_form.update({"source_links-1-source": reuters.pk, "source_links-TOTAL_FORMS": "2"})
    my_form["standfirst"] = "My words"
    refused = mine.post(change_url(draft), my_form)
    assert "after you opened it" in refused.content.decode()
    again = mine.post(change_url(draft), refused.context["adminform"].form.data.copy())

    assert again.status_code == 302
    draft.refresh_from_db()
    assert draft.standfirst == "My words"
    assert [s.name for s in draft.ordered_sources()] == ["PAP", "Reuters"]
