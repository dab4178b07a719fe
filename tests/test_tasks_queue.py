"""The task queue in process: inline by default, queued with the database backend, retried
with back-off, idempotent, and its failures shown to the desk's editors only."""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult
from taggit.models import Tag

from articles import tasks
from articles.desk import workflow
from articles.models import Article, Photo, Rendition
from articles.photos import renditions
from articles.public.search import search_articles
from tests.cache_servers import free_port
from tests.factories import ArticleFactory, PhotoFactory, SourceFactory
from tests.photo_files import files_under, image_bytes, upload
from tests.wire import ninjs

pytestmark = pytest.mark.django_db

ADD_PHOTO = reverse("admin:articles_photo_add")
FAILED_TASKS = reverse("admin:django_tasks_database_dbtaskresult_changelist")
RENDITIONS = "articles.tasks.make_photo_renditions"


@pytest.fixture
def queued(settings, monkeypatch):
    """NEWSROOM_TASKS_BACKEND=database, as settings.py sets it."""
    settings.NEWSROOM_TASKS_BACKEND = "database"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # The worker closes "old" connections between tasks; here that would end the test's
    # transaction. A real worker process is in tests/test_tasks_worker.py.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


def run_worker():
    """One `db_worker --batch`: every task that is ready now, then it exits."""
    call_command(
        "db_worker",
        "--batch",
        "--no-reload",
        "--no-startup-delay",
        "--interval=0",
        verbosity=0,
        stdout=StringIO(),
    )


def by_attempt():
    # The clock is frozen in these tests: attempts may share their enqueue time.
    return sorted(
        DBTaskResult.objects.all(), key=lambda r: r.args_kwargs["kwargs"].get("attempt", 1)
    )


def post_photo(client, content=None):
    return client.post(
        ADD_PHOTO,
        {"image": upload(content or image_bytes()), "credit": "PAP/Radek Pietruszka"},
    )


def test_without_a_queue_the_upload_makes_renditions_inline(
    admin_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert post_photo(admin_client).status_code == 302
    photo = Photo.objects.get()
    assert photo.renditions.exists()
    assert not DBTaskResult.objects.exists()


def test_with_a_queue_the_upload_returns_before_any_rendition_is_made(
    queued, admin_client, django_capture_on_commit_callbacks, renditions_root
):
    with django_capture_on_commit_callbacks(execute=True):
        assert post_photo(admin_client).status_code == 302
    photo = Photo.objects.get()
    assert not photo.renditions.exists()
    assert files_under(renditions_root) == []
    waiting = DBTaskResult.objects.get()
    assert (waiting.task_path, waiting.status) == (RENDITIONS, TaskResultStatus.READY)
    assert waiting.args_kwargs["args"] == [photo.pk]

    run_worker()

    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL
    made = list(photo.renditions.all())
    assert made and all(r.source_key == renditions.rendition_key(photo) for r in made)
    # The desk's photo page now shows a rendition of it.
    page = admin_client.get(reverse("admin:articles_photo_change", args=[photo.pk]))
    assert made[0].file.url.rsplit("-", 1)[0] in page.content.decode()


def test_a_failed_rendition_is_tried_again_after_a_back_off(
    queued, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_TASK_RETRY_SECONDS = 30
    encode = renditions.encode_renditions
    calls = []

    def full_disk_once(photo, written):
        calls.append(photo.pk)
        if len(calls) == 1:
            raise OSError(28, "No space left on device")
        return encode(photo, written)

    photo = PhotoFactory(renditions=False)
    monkeypatch.setattr(renditions, "encode_renditions", full_disk_once)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        tasks.make_photo_renditions.enqueue(photo.pk)
        run_worker()

        first, second = by_attempt()
        assert first.status == TaskResultStatus.FAILED
        assert first.exception_class_path == "articles.queue.RetryScheduled"
        assert "Attempt 1 of 5 failed (OSError" in first.traceback
        assert second.status == TaskResultStatus.READY
        assert second.args_kwargs["kwargs"] == {"attempt": 2}
        assert second.run_after == timezone.now() + timedelta(seconds=30)
        assert not photo.renditions.exists()

        clock.shift(timedelta(seconds=29))
        run_worker()
        assert len(calls) == 1  # not before its time

        clock.shift(timedelta(seconds=2))
        run_worker()
    second.refresh_from_db()
    assert second.status == TaskResultStatus.SUCCESSFUL
    assert len(calls) == 2
    assert photo.renditions.exists()


def test_each_retry_waits_twice_as_long_and_the_last_failure_is_kept(
    queued, settings, monkeypatch
):
    settings.NEWSROOM_TASK_MAX_ATTEMPTS = 3
    settings.NEWSROOM_TASK_RETRY_SECONDS = 10

    def always_refused(photo, written):
        raise OSError(13, "Permission denied: the store refuses writes")

    photo = PhotoFactory(renditions=False)
    monkeypatch.setattr(renditions, "encode_renditions", always_refused)
    waits = []
    with time_machine.travel(timezone.now(), tick=False) as clock:
        tasks.make_photo_renditions.enqueue(photo.pk)
        for _ in range(3):
            run_worker()
            waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY).first()
            if waiting:
                waits.append((waiting.run_after - timezone.now()).total_seconds())
                clock.move_to(waiting.run_after)
    assert waits == [10, 20]
    results = by_attempt()
    assert [r.status for r in results] == [TaskResultStatus.FAILED] * 3
    assert results[-1].exception_class_path == "builtins.PermissionError"
    assert results[-1].args_kwargs["kwargs"] == {"attempt": 3}


def test_renditions_made_twice_are_made_once(queued, renditions_root):
    photo = PhotoFactory(renditions=False)
    tasks.make_photo_renditions.enqueue(photo.pk)
    run_worker()
    files = sorted(files_under(renditions_root))
    rows = sorted(Rendition.objects.values_list("pk", flat=True))
    tasks.make_photo_renditions.enqueue(photo.pk)
    run_worker()
    assert sorted(files_under(renditions_root)) == files
    assert sorted(Rendition.objects.values_list("pk", flat=True)) == rows
    assert [r.return_value for r in DBTaskResult.objects.order_by("enqueued_at")] == [
        len(rows),
        len(rows),
    ]


def test_renditions_of_a_photo_deleted_while_queued_are_not_attempted(queued):
    photo = PhotoFactory()
    tasks.make_photo_renditions.enqueue(photo.pk)
    photo.delete()
    run_worker()
    result = DBTaskResult.objects.get()
    assert (result.status, result.return_value) == (TaskResultStatus.SUCCESSFUL, 0)


def test_a_wire_batch_imported_twice_is_imported_once(queued, tmp_path):
    (tmp_path / "budget.json").write_text(json.dumps(ninjs()))
    tasks.import_wire_files.enqueue([str(tmp_path)])
    tasks.import_wire_files.enqueue([str(tmp_path)])
    run_worker()
    assert Article.objects.count() == 1
    assert [r.return_value for r in DBTaskResult.objects.order_by("enqueued_at")] == [
        {"imported": 1},
        {"unchanged": 1},
    ]


def test_the_search_entry_task_brings_an_article_into_search(politics):
    article = ArticleFactory(headline="Budget vote", section=politics)
    # A change that bypassed the save signals: the entry is stale until the task runs.
    Article.objects.filter(pk=article.pk).update(headline="Quarantine vote")
    assert [found.pk for found in search_articles("quarantine")] == []
    result = tasks.update_search_entry.enqueue(article.pk)
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert [found.pk for found in search_articles("quarantine")] == [article.pk]


def test_with_the_queue_on_a_save_leaves_the_search_entry_to_a_worker(
    queued, politics, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory(headline="Quarantine vote", section=politics)
    assert [found.pk for found in search_articles("quarantine")] == []
    assert DBTaskResult.objects.filter(task_path="articles.tasks.update_search_entry").exists()
    run_worker()
    assert [found.pk for found in search_articles("quarantine")] == [article.pk]


def test_with_the_queue_on_a_tag_rename_reindexes_its_articles_in_one_task(
    queued, politics, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        tagged = [ArticleFactory(section=politics) for _ in range(3)]
        for article in tagged:
            article.tags.add("Budget")
    run_worker()
    tag = Tag.objects.get(name="Budget")
    tag.name = "Quarantine"
    with django_capture_on_commit_callbacks(execute=True):
        tag.save()
    assert list(search_articles("quarantine")) == []
    renames = DBTaskResult.objects.filter(task_path="articles.tasks.update_search_entries_of_tag")
    assert renames.count() == 1
    run_worker()
    assert sorted(found.pk for found in search_articles("quarantine")) == sorted(
        article.pk for article in tagged
    )
    assert renames.get().return_value == 3


def test_the_feed_poller_can_hand_polling_to_the_workers(queued):
    SourceFactory(feed_url="https://agency1.example/rss")
    out = StringIO()
    call_command("ingest_feeds", "--queue", stdout=out)
    assert "Queued the feed polls" in out.getvalue()
    assert DBTaskResult.objects.get().task_path == "articles.tasks.poll_all_feeds"


def test_polling_all_feeds_queues_one_task_per_feed(queued):
    with_feeds = [SourceFactory(feed_url=f"https://agency{n}.example/rss") for n in (1, 2)]
    SourceFactory(feed_url="")
    tasks.poll_all_feeds.enqueue()
    call_command("db_worker", "--batch", "--no-reload", "--max-tasks=1", verbosity=0)
    polls = DBTaskResult.objects.filter(task_path="articles.tasks.poll_feed")
    assert sorted(r.args_kwargs["args"][0] for r in polls) == sorted(s.pk for s in with_feeds)


class PurgeRecorder(BaseHTTPRequestHandler):
    """A stand-in front cache on loopback: notes each PURGE and its keys."""

    purged = []

    def do_PURGE(self):  # noqa: N802 (the HTTP method's name)
        self.purged.append(self.headers["xkey-purge"])
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def front_cache(settings):
    server = HTTPServer(("127.0.0.1", 0), PurgeRecorder)
    PurgeRecorder.purged = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.FRONT_CACHE_URLS = [f"http://127.0.0.1:{server.server_port}"]
    yield PurgeRecorder.purged
    server.shutdown()
    server.server_close()


def test_publishing_tells_the_front_cache_through_the_purge_task(
    front_cache, editor, django_capture_on_commit_callbacks
):
    article = ArticleFactory(draft=True)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.article_publish(article=article, user=editor)
    assert any(f"article-{article.pk}" in keys.split() for keys in front_cache)


def test_a_front_cache_that_does_not_answer_is_purged_again_by_the_worker(
    queued, front_cache, settings
):
    answering = settings.FRONT_CACHE_URLS
    settings.FRONT_CACHE_URLS = [f"http://127.0.0.1:{free_port()}"]
    tasks.purge_front_caches.enqueue(["front", "article-7"])
    run_worker()
    first, retry = by_attempt()
    assert first.status == TaskResultStatus.FAILED
    assert "did not take the purge" in first.traceback
    assert front_cache == []

    settings.FRONT_CACHE_URLS = answering
    with time_machine.travel(timezone.now() + timedelta(minutes=5), tick=False):
        run_worker()
    retry.refresh_from_db()
    assert retry.status == TaskResultStatus.SUCCESSFUL
    assert front_cache == ["front article-7"]


def failed_task(message="No space left on device", attempt=5):
    return DBTaskResult.objects.create(
        task_path=RENDITIONS,
        args_kwargs={"args": [1], "kwargs": {"attempt": attempt}},
        backend_name="default",
        run_after=timezone.now(),
        status=TaskResultStatus.FAILED,
        finished_at=timezone.now(),
        exception_class_path="builtins.OSError",
        traceback=f"Traceback (most recent call last):\n  ...\nOSError: {message}\n",
    )


def test_editors_see_failed_tasks_with_their_error(editor_client):
    failed_task()
    page = editor_client.get(FAILED_TASKS)
    assert page.status_code == 200
    text = page.content.decode()
    assert "make_photo_renditions" in text
    assert "OSError: No space left on device" in text


def test_succeeded_tasks_are_not_in_the_failed_list(admin_client):
    done = failed_task()
    DBTaskResult.objects.filter(pk=done.pk).update(
        status=TaskResultStatus.SUCCESSFUL, traceback="", exception_class_path=""
    )
    failed_task("Connection refused by the photo store")
    text = admin_client.get(FAILED_TASKS).content.decode()
    assert "Connection refused by the photo store" in text
    assert text.count("make_photo_renditions") == 1


def test_a_failed_tasks_detail_shows_the_traceback(editor_client):
    result = failed_task()
    page = editor_client.get(
        reverse("admin:django_tasks_database_dbtaskresult_change", args=[result.pk])
    )
    assert page.status_code == 200
    assert "Traceback (most recent call last)" in page.content.decode()


def test_an_error_carrying_html_is_shown_as_text(editor_client):
    failed_task('<script>alert("pwned")</script><img src=x onerror=alert(1)>')
    text = editor_client.get(FAILED_TASKS).content.decode()
    assert "<script>alert" not in text and "<img src=x" not in text
    assert "&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;" in text


def test_a_journalist_cannot_open_the_failed_tasks(journalist_client):
    result = failed_task()
    assert journalist_client.get(FAILED_TASKS).status_code == 403
    detail = reverse("admin:django_tasks_database_dbtaskresult_change", args=[result.pk])
    assert journalist_client.get(detail).status_code == 403
    assert "Task Results" not in journalist_client.get(reverse("admin:index")).content.decode()


def test_editors_find_the_failed_tasks_on_the_admin_index(editor_client):
    assert "Task Results" in editor_client.get(reverse("admin:index")).content.decode()


def test_a_reader_is_sent_to_sign_in(client):
    failed_task()
    response = client.get(FAILED_TASKS)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_nobody_edits_or_deletes_a_task_result_in_the_admin(admin_client):
    result = failed_task()
    delete = reverse("admin:django_tasks_database_dbtaskresult_delete", args=[result.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert DBTaskResult.objects.filter(pk=result.pk).exists()


def test_the_failed_tasks_list_costs_the_same_queries_for_one_or_many(
    editor_client, django_assert_num_queries
):
    failed_task()
    editor_client.get(FAILED_TASKS)  # warm: session, user, permissions
    # Session, user, permissions, the counts and one page of tasks: none per task.
    with django_assert_num_queries(8):
        editor_client.get(FAILED_TASKS)
    for n in range(6):
        failed_task(f"failure {n}")
    with django_assert_num_queries(8):
        page = editor_client.get(FAILED_TASKS)
    assert page.content.decode().count("make_photo_renditions") == 7


def test_a_task_whose_worker_died_is_put_back_in_the_queue():
    long_ago = timezone.now() - timedelta(minutes=20)
    stalled = failed_task()
    DBTaskResult.objects.filter(pk=stalled.pk).update(
        status=TaskResultStatus.RUNNING, started_at=long_ago, worker_ids=["dead-worker"]
    )
    busy = failed_task()
    DBTaskResult.objects.filter(pk=busy.pk).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now() - timedelta(minutes=1)
    )
    out = StringIO()
    call_command("requeue_stalled_tasks", "--dry-run", stdout=out)
    assert "Would put back 1 stalled task(s)." in out.getvalue()
    assert DBTaskResult.objects.get(pk=stalled.pk).status == TaskResultStatus.RUNNING

    call_command("requeue_stalled_tasks", stdout=out)
    assert "Put back 1 stalled task(s)." in out.getvalue()
    stalled.refresh_from_db()
    assert stalled.status == TaskResultStatus.READY
    assert stalled.worker_ids == ["dead-worker"]
    assert DBTaskResult.objects.get(pk=busy.pk).status == TaskResultStatus.RUNNING
    assert DBTaskResult.objects.ready().filter(pk=stalled.pk).exists()


def test_a_large_wire_batch_is_handed_to_the_queue_and_imported_by_a_worker(
    queued, tmp_path, monkeypatch
):
    (tmp_path / "budget.json").write_text(json.dumps(ninjs()))
    monkeypatch.chdir(tmp_path.parent)
    out = StringIO()
    call_command("ingest", "--queue", tmp_path.name, stdout=out)
    assert "Queued the import of 1 path(s)" in out.getvalue()
    waiting = DBTaskResult.objects.get()
    assert waiting.args_kwargs["args"] == [[str(tmp_path)]]  # absolute: the worker's cwd differs
    assert not Article.objects.exists()
    run_worker()
    assert Article.objects.count() == 1
