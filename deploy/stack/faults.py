"""Faults injected into a running Stack while a bounded reader load runs.

    make stack-test      # starts the stack, runs every fault, prints the table

Each fault is `fault_x(stack) -> dict(fault, requests, errors_by_status, recovery_s,
rows_checked, ok, notes)`. The load only ever goes to 127.0.0.1, stops after a number of
requests or seconds, whichever comes first, and never retries. deploy/stack/faults_tasks.py
(worker killed, storage refusing writes), when present, adds its faults to the run.
"""

import collections
import importlib
import json
import secrets
import sys
import threading
import time

import requests

from deploy.stack.stack import Stack

DESK_USER = "stack-desk"
SEED = """
import json
from datetime import timedelta
from django.contrib.auth import get_user_model
from django.utils import timezone
from articles.models import Article, Section
section, _ = Section.objects.get_or_create(slug="politics", defaults={"name": "Politics"})
for number in range(%(count)d):
    Article.objects.create(
        section=section, headline=f"Election night, result {number}", byline="By Staff",
        standfirst="Counting goes on.", body="<p>Polls closed at nine.</p>",
        status=Article.Status.PUBLISHED, publish_at=timezone.now() - timedelta(hours=1),
    )
get_user_model().objects.create_superuser("%(user)s", "desk@example.com", "%(password)s")
"""
PUBLISHED_ROWS = """
import json
from articles.models import Article
rows = Article.objects.published().order_by("pk").values_list("pk", "headline", "body")
print(json.dumps({str(pk): [headline, body] for pk, headline, body in rows}))
"""
DESK_SOURCES = """
import json
from articles.models import Source
names = Source.objects.filter(name__startswith="Agency ").values_list("name", flat=True)
print(json.dumps(list(names)))
"""
CACHE_BACKEND = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"


def seed(stack, count=30):
    password = secrets.token_urlsafe(16)
    stack.manage("shell", "-c", SEED % {"count": count, "user": DESK_USER, "password": password})
    stack.desk_password = password
    return reader_paths(stack)


def reader_paths(stack):
    rows = published_rows(stack)
    return ["/", "/politics/"] + [f"/api/articles/{pk}/" for pk in list(rows)[:10]]


def published_rows(stack):
    """What readers may see, read on the primary: {id: [headline, body]}."""
    return json.loads(stack.manage("shell", "-c", PUBLISHED_ROWS).strip().splitlines()[-1])


def queries_by_database(stack):
    """Queries run so far on each database alias, added up over the web processes."""
    counts = collections.Counter()
    for base in stack.urls:
        text = requests.get(f"{base}/metrics", timeout=10).text
        for line in text.splitlines():
            if line.startswith("newsroom_db_queries_total{"):
                alias = line.split('database="', 1)[1].split('"', 1)[0]
                counts[alias] += float(line.rsplit(" ", 1)[1])
    return counts


class ReaderLoad:
    """Anonymous GETs on every web address (and the cache), bounded by count and time."""

    def __init__(self, stack, paths, max_requests=4000, max_seconds=30, threads=4):
        bases = [*stack.urls, *([stack.cache_url] if stack.cache_url else [])]
        self.urls = [base + path for base in bases for path in paths]
        self.max_requests = max_requests
        self.deadline = time.monotonic() + max_seconds
        self.statuses = collections.Counter()
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self.run, args=(n,)) for n in range(threads)]

    def run(self, number):
        session = requests.Session()
        index = number
        while not self.stopping.is_set() and time.monotonic() < self.deadline:
            with self.lock:
                if sum(self.statuses.values()) >= self.max_requests:
                    return
            url = self.urls[index % len(self.urls)]
            index += len(self.threads)
            try:
                status = session.get(url, timeout=10).status_code
            except requests.RequestException as error:
                status = type(error).__name__
            with self.lock:
                self.statuses[status] += 1

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for thread in self.threads:
            thread.join()

    @property
    def requests(self):
        return sum(self.statuses.values())

    def errors(self):
        return {str(status): n for status, n in self.statuses.items() if status != 200}


class Desk:
    """A signed-in editor on web1, doing a small real write: adding a Source in the admin.

    With DEBUG off the session and CSRF cookies are Secure; on the stack's plain-HTTP
    loopback the desk sends them itself, as the browser would over the site's TLS.
    """

    def __init__(self, stack):
        self.base = stack.urls[0]
        self.cookies = {}
        self.saved = set()
        self.request("get", "/admin/login/")
        response = self.request(
            "post",
            "/admin/login/?next=/admin/",
            {"username": DESK_USER, "password": stack.desk_password},
        )
        if response.status_code != 302:
            raise RuntimeError(f"the desk could not sign in: {response.status_code}")

    def request(self, method, path, data=None):
        url = self.base + path
        if data is not None:
            data = {**data, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
        response = requests.request(
            method,
            url,
            data=data,
            headers={
                "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
                "Referer": url,
            },
            allow_redirects=False,
            timeout=10,
        )
        self.cookies.update(response.cookies.get_dict())
        return response

    def add_source(self, name):
        """The status of one save: 302 when saved; the error page's status otherwise."""
        try:
            response = self.request(
                "post", "/admin/articles/source/add/", {"name": name, "_save": "Save"}
            )
        except requests.RequestException as error:
            return type(error).__name__, ""
        if response.status_code == 302:
            self.saved.add(name)
        return response.status_code, response.text


def fault_primary_restart(stack):
    """PostgreSQL's primary restarted mid-load."""
    paths = reader_paths(stack)
    before = published_rows(stack)
    desk = Desk(stack)
    desk_statuses = collections.Counter()
    unclear = 0
    recovery_s = None
    queries_before = queries_by_database(stack)
    with ReaderLoad(stack, paths, max_requests=3000, max_seconds=40) as load:
        time.sleep(2)
        stack.stop("pg-primary")
        down_at = time.monotonic()
        for attempt in range(6):
            status, text = desk.add_source(f"Agency during restart {attempt}")
            desk_statuses[status] += 1
            if status != 503 or "database is not answering" not in text:
                unclear += 1
            time.sleep(0.5)
        stack.start("pg-primary")
        up_at = time.monotonic()
        for attempt in range(60):
            status, _ = desk.add_source(f"Agency after restart {attempt}")
            desk_statuses[status] += 1
            if status == 302:
                recovery_s = round(time.monotonic() - up_at, 2)
                break
            time.sleep(0.5)
        time.sleep(2)
    queries = queries_by_database(stack) - queries_before
    after = published_rows(stack)
    lost = [pk for pk in before if after.get(pk) != before[pk]]
    # Every save the desk was told succeeded is there; no refused one left a row.
    stored = set(json.loads(stack.manage("shell", "-c", DESK_SOURCES).strip().splitlines()[-1]))
    desk_rows_wrong = stored ^ desk.saved
    reader_5xx = sum(n for s, n in load.statuses.items() if not str(s).startswith(("2", "3")))
    notes = (
        f"primary down {round(up_at - down_at, 1)} s; desk saw {dict(desk_statuses)} "
        f"(503 page while down: {desk_statuses[503]}, unclear: {unclear}); "
        f"published rows changed or lost: {len(lost)}; desk rows not as answered: "
        f"{len(desk_rows_wrong)} of {len(stored)}; queries during the load by "
        f"database: {dict(queries)}"
    )
    return {
        "fault": "PostgreSQL primary restarted",
        "requests": load.requests,
        "errors_by_status": load.errors(),
        "recovery_s": recovery_s,
        "rows_checked": len(before) + len(stored),
        "ok": (
            reader_5xx == 0
            and unclear == 0
            and recovery_s is not None
            and not lost
            and not desk_rows_wrong
        ),
        "notes": notes,
    }


def fault_redis_stopped(stack):
    """Redis stopped mid-load: pages still serve, the desk keeps working or signs in again."""
    paths = reader_paths(stack)
    desk = Desk(stack)
    desk_statuses = collections.Counter()
    # Without newsroom/cache.py the cache is per process and only sessions name Redis.
    backend = stack.manage("shell", "-c", CACHE_BACKEND).strip().splitlines()[-1]
    with ReaderLoad(stack, paths, max_requests=2000, max_seconds=20) as load:
        time.sleep(2)
        stack.stop("redis")
        stopped_at = time.monotonic()
        for attempt in range(4):
            status, _ = desk.add_source(f"Agency without Redis {attempt}")
            desk_statuses[status] += 1
            time.sleep(0.5)
        time.sleep(3)
        stack.start("redis")
        restarted_after = round(time.monotonic() - stopped_at, 1)
        time.sleep(2)
    status, _ = desk.add_source("Agency after Redis is back")
    desk_statuses[status] += 1
    server_errors = sum(n for s, n in load.statuses.items() if str(s).startswith("5"))
    desk_500 = desk_statuses[500]
    return {
        "fault": "Redis stopped",
        "requests": load.requests,
        "errors_by_status": load.errors(),
        "recovery_s": 0.0 if server_errors == 0 else None,
        "rows_checked": 0,
        "ok": server_errors == 0 and desk_500 == 0 and status == 302,
        "notes": (
            f"Redis down {restarted_after} s; desk saw {dict(desk_statuses)}; "
            f"cache backend: {backend}"
        ),
    }


FAULTS = [fault_primary_restart, fault_redis_stopped]


def all_faults():
    faults = list(FAULTS)
    try:
        faults += importlib.import_module("deploy.stack.faults_tasks").FAULTS
    except ModuleNotFoundError as error:
        if error.name != "deploy.stack.faults_tasks":
            raise
    return faults


def table(results):
    header = ("fault", "requests", "errors by status", "recovery s", "rows checked", "ok")
    rows = [
        (
            r["fault"],
            str(r["requests"]),
            ", ".join(f"{k}: {v}" for k, v in sorted(r["errors_by_status"].items())) or "none",
            "-" if r["recovery_s"] is None else f"{r['recovery_s']:.1f}",
            str(r["rows_checked"]),
            "yes" if r["ok"] else "NO",
        )
        for r in results
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(header, widths, strict=True)) + " |"]
    lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    lines += [
        "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |"
        for row in rows
    ]
    return "\n".join(lines)


def main():
    started = time.monotonic()
    results = []
    with Stack() as stack:
        print(f"Stack up in {time.monotonic() - started:.0f} s; logs in {stack.folder}")
        seed(stack)
        for fault in all_faults():
            print(f"== {fault.__doc__.strip().splitlines()[0]}", flush=True)
            if restarted := stack.restart_exited():
                print(f"   restarted, as systemd would: {', '.join(restarted)}", flush=True)
            result = fault(stack)
            print(f"   {result['notes']}", flush=True)
            results.append(result)
    print()
    print(table(results))
    print(f"\nstack-test took {time.monotonic() - started:.0f} s")
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
