"""What 500 readers waiting on a live blog cost: the update request, over loopback HTTP.

    .venv/bin/python bench/live_updates.py [--readers 500] [--rounds 5] [--concurrency 50]

Builds a throwaway SQLite database in a temporary folder (never the newsroom's own), with a
live blog of 50 entries, serves it with gunicorn on 127.0.0.1 (production settings, a random
free port), and has every reader poll /live/<id>/ as static/js/live_updates.js does: the first
request gets the coverage and its ETag, later ones send If-None-Match. Reports, per round of
one poll by each reader, requests per second, latency percentiles and status codes; then one
round right after a new entry (every reader fetches the new coverage); and the database
queries one 304 costs. Every request has a timeout and the server is stopped at the end.
"""

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 10


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(folder):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DEBUG": "",
        "SECRET_KEY": "bench-only-not-a-secret-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3",
        "MEDIA_ROOT": str(folder / "media"),
        "PHOTO_ORIGINALS_ROOT": str(folder / "originals"),
        "LOG_LEVEL": "ERROR",
        # No collectstatic output in a throwaway run; WhiteNoise would warn about it.
        "PYTHONWARNINGS": "ignore:No directory at",
    }


def prepare(env):
    """Migrate the throwaway database; make a live blog with 50 entries; its id."""
    script = """
from datetime import timedelta
from django.contrib.auth import get_user_model
from django.utils import timezone
from articles.models import Article, LiveEntry, Section
get_user_model().objects.create_superuser("bench", password=None)
section = Section.objects.create(name="Politics", slug="politics")
now = timezone.now()
blog = Article.objects.create(
    section=section, headline="Budget vote: live", status="published",
    publish_at=now - timedelta(hours=2), is_live_blog=True,
    coverage_started_at=now - timedelta(hours=2),
)
LiveEntry.objects.bulk_create(
    LiveEntry(article=blog, body=f"<p>Update {n}: the debate goes on in the chamber.</p>",
              posted_at=now - timedelta(minutes=n), is_key_event=n % 10 == 0)
    for n in range(50)
)
print(blog.pk)
"""
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    result = subprocess.run(
        [*manage, "shell", "-v0", "-c", script],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return int(result.stdout.strip().splitlines()[-1])


def post_entry(env, pk):
    script = f"""
from django.contrib.auth import get_user_model
from articles.live.services import post_entry
from articles.models import Article
post_entry(
    article=Article.objects.get(pk={pk}),
    user=get_user_model().objects.get(username="bench"),
    body="<p>Breaking: the vote is called.</p>",
)
"""
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "shell", "-v0", "-c", script], env=env, check=True, cwd=ROOT)


def queries_per_304(env, pk):
    """The database work of one unchanged poll, counted in a Django test client."""
    script = f"""
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client = Client()
etag = client.get("/live/{pk}/", HTTP_HOST="127.0.0.1")["ETag"]
with CaptureQueriesContext(connection) as queries:
    status = client.get("/live/{pk}/", HTTP_HOST="127.0.0.1", HTTP_IF_NONE_MATCH=etag).status_code
print(status, len(queries))
"""
    manage = [sys.executable, str(ROOT / "manage.py")]
    result = subprocess.run(
        [*manage, "shell", "-v0", "-c", script],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return result.stdout.split()[-2:]


def fetch(url, etag=None):
    request = urllib.request.Request(url, headers={"If-None-Match": etag} if etag else {})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # loopback only
            response.read()
            status, etag = response.status, response.headers.get("ETag")
    except urllib.error.HTTPError as error:
        status = error.code
    return status, etag, time.perf_counter() - started


def poll_round(pool, url, etags):
    """Every reader polls once with the ETag it holds; returns (seconds, latencies, statuses)."""
    started = time.perf_counter()
    results = list(pool.map(lambda etag: fetch(url, etag), etags))
    elapsed = time.perf_counter() - started
    for reader, (status, etag, _) in enumerate(results):
        if status == 200:
            etags[reader] = etag
    return elapsed, [r[2] for r in results], Counter(r[0] for r in results)


def report(label, elapsed, latencies, statuses):
    ordered = sorted(latencies)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    print(
        f"{label:<28} {len(latencies) / elapsed:8.0f} req/s   "
        f"p50 {statistics.median(ordered) * 1000:6.1f} ms   p95 {p95 * 1000:6.1f} ms   "
        f"max {ordered[-1] * 1000:6.1f} ms   {dict(sorted(statuses.items()))}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="newsroom-live-bench-") as folder:
        env = environment(Path(folder))
        pk = prepare(env)
        port = free_port()
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "newsroom.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--worker-class",
                "gthread",
                "--threads",
                "4",
                "--log-level",
                "error",
            ],
            env=env,
            cwd=ROOT,
        )
        try:
            url = f"http://127.0.0.1:{port}/live/{pk}/"
            deadline = time.monotonic() + 30
            while True:
                try:
                    fetch(url)
                    break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise SystemExit("The server did not start.") from None
                    time.sleep(0.2)
            print(
                f"{args.readers} readers, {args.concurrency} requests at a time, "
                f"gunicorn {args.workers} workers x 4 threads, SQLite, 50 entries"
            )
            etags = [None] * args.readers
            with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
                report("first load (200)", *poll_round(pool, url, etags))
                for n in range(1, args.rounds + 1):
                    report(f"waiting, poll {n} (304)", *poll_round(pool, url, etags))
                post_entry(env, pk)
                report("after a new entry (200)", *poll_round(pool, url, etags))
                report("waiting again (304)", *poll_round(pool, url, etags))
            status, count = queries_per_304(env, pk)
            print(f"one unchanged poll: HTTP {status}, {count} database query")
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
