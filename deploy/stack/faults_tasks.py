"""Faults for `make stack-test` on the task queue and the photo store (issue 13).

Each takes the running `Stack` (deploy/stack/stack.py: `.env`, `.urls`, `.start/.stop/
.restart/.kill(name)`, `.manage(*args)`) and returns one row of the fault table:
dict(fault, requests, errors_by_status, recovery_s, rows_checked, ok, notes).

Photos are uploaded through `articles.photos.uploads.photo_from_upload`, the service behind
the admin's upload forms, in a `manage.py shell` of the stack (its environment: the primary,
the S3 server, the database queue). Readers' pages are requested meanwhile from the front
cache (or the first web process), on 127.0.0.1 only, a bounded number of times.
"""

import json
import sqlite3
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from io import BytesIO
from urllib.parse import urlsplit

import psycopg
from PIL import Image

# A 3000 x 2000 photo: WebP 640 and 1280 uncropped, WebP 320, 640 and 960 in 16:9, and one
# JPEG per crop (uncropped 960, 16:9 1200, 4:3 and 1:1 800).
RENDITIONS_OF_A_LARGE_PHOTO = 9
RENDITION_TASKS = (
    "SELECT status, args_kwargs FROM django_tasks_database_dbtaskresult "
    "WHERE task_path = 'articles.tasks.make_photo_renditions'"
)

UPLOAD = """
import json
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from articles.photos.uploads import photo_from_upload
data = open({path!r}, "rb").read()
try:
    with transaction.atomic():
        photo = photo_from_upload(
            SimpleUploadedFile({name!r}, data, "image/jpeg"), user=None, credit="Stack test"
        )
    print(json.dumps({{"photo": photo.pk}}))
except ValidationError as error:
    print(json.dumps({{"refused": " ".join(error.messages)}}))
"""

CHECK_FILES = """
import json
from articles.models import Photo, Rendition
photos = list(Photo.objects.exclude(image="").filter(pk__gt={since}))
missing = [p.pk for p in photos if not p.image.storage.exists(p.image.name)]
renditions = list(Rendition.objects.filter(photo_id={photo_id}))
lost = [r.pk for r in renditions if not r.file.storage.exists(r.file.name)]
print(json.dumps({{"photos": len(photos), "missing": missing,
                  "renditions": len(renditions), "lost_renditions": lost}}))
"""


LAST_PHOTO = """
from django.db.models import Max
from articles.models import Photo
print(Photo.objects.aggregate(last=Max("pk"))["last"] or 0)
"""

# moto's server keeps objects in memory: restarted, it is empty. A real store keeps its
# buckets through an outage; here they are made again, as the stack made them at start.
RECREATE_BUCKETS = """
import json
from botocore.exceptions import ClientError
from articles.photos.storage import originals_storage, rendition_storage
made = []
for storage in (originals_storage(), rendition_storage()):
    try:
        storage.connection.meta.client.head_bucket(Bucket=storage.bucket_name)
    except ClientError:
        storage.connection.create_bucket(Bucket=storage.bucket_name)
        made.append(storage.bucket_name)
print(json.dumps(sorted(set(made))))
"""


def _output(result):
    """What `stack.manage` printed, whether it returns a CompletedProcess or the text."""
    return getattr(result, "stdout", result) or ""


def _last_json(stack, code):
    lines = _output(stack.manage("shell", "--no-imports", "-c", code)).strip().splitlines()
    return json.loads(lines[-1])


def _photo_bytes(size, seed):
    # Noise, so that encoding takes seconds and a worker can be killed in the middle.
    image = Image.effect_noise(size, 60 + seed).convert("RGB")
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=92)
    return buffer.getvalue()


def _upload(stack, size, seed, name):
    with tempfile.NamedTemporaryFile(suffix=".jpg") as file:
        file.write(_photo_bytes(size, seed))
        file.flush()
        return _last_json(stack, UPLOAD.format(path=file.name, name=name))


def _query(stack, sql):
    url = stack.env["DATABASE_URL"]
    if url.startswith("postgres"):
        with psycopg.connect(url, autocommit=True, connect_timeout=5) as connection:
            return connection.execute(sql).fetchall()
    connection = sqlite3.connect(urlsplit(url).path, timeout=30)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def _rendition_task_statuses(stack, photo_id):
    """The statuses of the photo's rendition tasks (one per attempt), oldest first."""
    statuses = []
    for status, args_kwargs in _query(stack, RENDITION_TASKS):
        stored = json.loads(args_kwargs) if isinstance(args_kwargs, str) else args_kwargs
        if stored["args"] == [photo_id]:
            statuses.append(status)
    return statuses


class Readers:
    """Readers' page requests during a fault, counted by status."""

    def __init__(self, stack):
        self.base = (stack.cache_url or stack.urls[0]).rstrip("/")
        self.statuses = Counter()

    def get(self, path="/"):
        try:
            with urllib.request.urlopen(f"{self.base}{path}", timeout=10) as response:  # noqa: S310 (loopback)
                response.read()
                self.statuses[response.status] += 1
        except urllib.error.HTTPError as error:
            self.statuses[error.code] += 1
        except OSError:
            self.statuses["no answer"] += 1

    @property
    def errors(self):
        return {
            str(status): count
            for status, count in self.statuses.items()
            if not (isinstance(status, int) and status < 400)
        }


def fault_worker_killed(stack, timeout=180):
    """Kill the worker mid-rendition; the task is put back, retried, and finishes."""
    readers, notes = Readers(stack), []
    uploaded = _upload(stack, (3000, 2000), 1, "worker-killed.jpg")
    photo_id = uploaded.get("photo")
    if photo_id is None:
        return _row("worker killed mid-rendition", readers, None, 0, False, [str(uploaded)])
    deadline = time.monotonic() + timeout
    while _rendition_task_statuses(stack, photo_id) != ["RUNNING"]:
        if time.monotonic() > deadline:
            return _row(
                "worker killed mid-rendition",
                readers,
                None,
                0,
                False,
                ["the worker never started the rendition task"],
            )
        time.sleep(0.02)
    stack.kill("worker")
    killed_at = time.monotonic()
    if _rendition_task_statuses(stack, photo_id) != ["RUNNING"]:
        notes.append("the task finished before the kill landed; nothing was interrupted")
    readers.get("/")
    # What the timer beside the workers does: the only worker is dead, so nothing is
    # legitimately running and every running task is stalled.
    notes.append(_output(stack.manage("requeue_stalled_tasks", "--older-than=0")).strip())
    stack.start("worker")
    while True:
        statuses = set(_rendition_task_statuses(stack, photo_id))
        if "SUCCESSFUL" in statuses:
            recovery = time.monotonic() - killed_at
            break
        if time.monotonic() > deadline:
            recovery = None
            notes.append(f"the rendition task did not finish: {sorted(statuses)}")
            break
        readers.get("/")
        time.sleep(0.5)
    files = _last_json(stack, CHECK_FILES.format(photo_id=photo_id, since=photo_id - 1))
    ok = (
        recovery is not None
        and files["renditions"] == RENDITIONS_OF_A_LARGE_PHOTO
        and not files["lost_renditions"]
        and not files["missing"]
        and not readers.errors
    )
    notes.append(
        f"photo {photo_id}: {files['renditions']} of {RENDITIONS_OF_A_LARGE_PHOTO} renditions, "
        f"{len(files['lost_renditions'])} without a file"
    )
    return _row(
        "worker killed mid-rendition",
        readers,
        recovery,
        files["renditions"] + files["photos"],
        ok,
        notes,
    )


def fault_storage_refusing(stack, uploads=3, timeout=60):
    """Stop the S3 server; uploads are refused clearly; no Photo row lacks its file."""
    readers, notes, refusals = Readers(stack), [], []
    since = int(_output(stack.manage("shell", "--no-imports", "-c", LAST_PHOTO)).split()[-1])
    stack.stop("s3")
    try:
        for n in range(uploads):
            answer = _upload(stack, (800, 600), 10 + n, f"store-down-{n}.jpg")
            refusals.append(answer.get("refused", ""))
            if "photo" in answer:
                notes.append(f"photo {answer['photo']} was saved while the store was down")
            readers.get("/")
    finally:
        stack.start("s3")
    started = time.monotonic()
    if made := _last_json(stack, RECREATE_BUCKETS):
        notes.append(f"the S3 server restarted empty; buckets made again: {', '.join(made)}")
    recovery = None
    while time.monotonic() - started < timeout:
        answer = _upload(stack, (800, 600), 99, "store-back.jpg")
        if "photo" in answer:
            recovery = time.monotonic() - started
            break
        time.sleep(1)
    if recovery is None:
        notes.append("uploads were still refused after the store came back")
    # Every photo written since the fault began: none may lack its file.
    files = _last_json(stack, CHECK_FILES.format(photo_id=0, since=since))
    clear = [r for r in refusals if "photo store is not answering" in r]
    notes.append(f"{len(clear)} of {uploads} uploads refused with the store message")
    if refusals and refusals[0]:
        notes.append(f"the desk read: {refusals[0]}")
    ok = (
        len(clear) == uploads
        and recovery is not None
        and not files["missing"]
        and not readers.errors
    )
    return _row("photo store refusing writes", readers, recovery, files["photos"], ok, notes)


def _row(fault, readers, recovery, rows_checked, ok, notes):
    return {
        "fault": fault,
        "requests": sum(readers.statuses.values()),
        "errors_by_status": readers.errors,
        "recovery_s": None if recovery is None else round(recovery, 1),
        "rows_checked": rows_checked,
        "ok": ok,
        "notes": "; ".join(note for note in notes if note),
    }


FAULTS = [fault_worker_killed, fault_storage_refusing]
