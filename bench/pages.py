"""Reader pages under load: generate a newsroom, serve it with gunicorn, measure with wrk.

    make bench-pages ARTICLES=20000            # runs this on a throwaway PostgreSQL 15
    .ci/with-postgres .venv/bin/python bench/pages.py --articles 20000 --seconds 10

For each page type it prints requests per second, p50 and p99 latency, CPU milliseconds per
request of the application (gunicorn) and of the database (its PostgreSQL's processes), and the
SQL queries the page makes; then worker memory, database bytes per article and media bytes
per photo. The table is appended to bench/RESULTS.md with the command, date and machine.

    .ci/with-postgres .venv/bin/python bench/pages.py --peer peer.json

measures another server side by side with this one, in interleaved rounds (3 by default),
and shows each figure's median and the ratio of the two rates. The peer is any server
already answering on 127.0.0.1, described by a JSON file:

    {"name": "Wagtail news template",
     "url": "http://127.0.0.1:8101",
     "app": "/path/to/gunicorn.pid",         # its server's parent process: a pid or pid file
     "database": "/path/to/pgdata/postmaster.pid",
     "pages": {"front page": ["/"], "article": ["/news/some-story/"], ...},
     "queries": {"front page": 16, ...}}     # optional: as counted on the peer's side

Its page labels are this benchmark's ("deepest section page" for the last page); the CPU
figures count each side's own server and database processes, workers restarted mid-run
included.

    .ci/with-postgres .venv/bin/python bench/pages.py --articles 20000 --against 1000000

measures the same product at two sizes side by side, in the same interleaved rounds: a
second process generates the larger newsroom in a database of its own on the same
PostgreSQL, serves it with its own gunicorn and describes itself as the peer above. "Within
20% at a million articles" is a comparison, and on a machine whose speed moves 10-70% between
runs minutes apart two runs cannot make it; one run weighs a slow minute on both sizes alike.

Traffic goes to 127.0.0.1 only; every wrk run is bounded by --seconds.
"""

import argparse
import json
import os
import re
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager, nullcontext
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlencode, urlsplit
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MEDIA = Path(tempfile.mkdtemp(prefix="newsroom-bench-media-"))
SERVER_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "bench-" + os.urandom(24).hex(),
    "ALLOWED_HOSTS": "127.0.0.1,testserver",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_HSTS_SECONDS": "0",
    "MEDIA_ROOT": str(MEDIA / "public"),
    "PHOTO_ORIGINALS_ROOT": str(MEDIA / "originals"),
    "PHOTO_RENDITIONS_ROOT": str(MEDIA / "renditions"),
    "LOG_LEVEL": "ERROR",
    # Signing renditions costs time when they are made (generation), not per page view.
    "NEWSROOM_C2PA_SIGNING": "0",
    # The uncached figures: every request renders. The cached rows start their own server.
    "PAGE_CACHE": "0",
    # As in production: the navigation and banner are read once (articles.public.cache).
    "SITE_CACHE": "1",
    "PAGE_CACHE_DIR": str(MEDIA / "page-cache"),
}
os.environ.update(SERVER_ENV)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from articles.models import Article, Photo, Section  # noqa: E402
from bench.newsroom import generate  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")
LINK = re.compile(r'href="(/(?:tags|authors)/[^"]+)"')
BEFORE = re.compile(r'href="\?(?:[^"]*&amp;)?before=([^"&]+)"')
CURSOR_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cpu_ticks(pids):
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total


def parent(pid):
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def tree_ticks(root):
    """CPU ticks of a server's processes so far: the live ones, and (as the parent's reaped
    children) those that ended, such as a database connection closed after CONN_MAX_AGE or
    a gunicorn worker restarted after max_requests. Counting live processes only lost an
    ended process's time."""
    fields = Path(f"/proc/{root}/stat").read_text().rsplit(")", 1)[1].split()
    reaped = int(fields[13]) + int(fields[14])  # cutime, cstime
    return reaped + cpu_ticks([root, *children(root)])


def database_server():
    """The pid of this database's postmaster: its children are the database's processes,
    and no other cluster's (a peer's, a developer's) on the same machine."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return parent(cursor.fetchone()[0])


def children(pid):
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == pid:
                found.append(int(entry.name))
    return found


def rss_mib(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def to_ms(text):
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


def run_wrk(url, paths, seconds, threads, connections):
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        # Round-robin over the paths, so "50 articles" is 50 different pages.
        quoted = ", ".join(f'"{p}"' for p in paths)
        script.write(
            f"local paths = {{{quoted}}}\nlocal i = 0\n"
            "request = function()\n  i = i % #paths + 1\n"
            "  return wrk.format(nil, paths[i])\nend\n"
        )
    command = [
        "wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency",
        "--timeout", "30s",  # a saturated machine answers slowly: count it, do not drop it
        "-s", script.name, url,
    ]  # fmt: skip
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    os.unlink(script.name)
    if "Requests/sec" not in output or "50%" not in output:
        raise RuntimeError(f"wrk gave no figures for {paths[0]}:\n{output}")
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = to_ms(re.search(r"^\s*50%\s+(\S+)", output, re.MULTILINE).group(1))
    p99 = to_ms(re.search(r"^\s*99%\s+(\S+)", output, re.MULTILINE).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return requests, rate, p50, p99, int(errors.group(1)) if errors else 0


def section_pages(client, section):
    """{label: path} for the section's page 1, page 50 and its deepest page.

    Keyset listings (`?before=<cursor>` "Older stories" links) are addressed by the cursor
    of the card a page follows: the cursor format is read off page 1's own link and checked
    against the 20th card; page-numbered listings by `?page=N`.
    """
    first = f"/{section.slug}/"
    html = client.get(first).content.decode()
    newest = Article.objects.published().filter(section=section).order_by("-publish_at", "-id")
    total = newest.count()
    before = BEFORE.search(html)
    if before:
        cursor = unquote(before.group(1))
        size = 1 + next(
            n
            for n, pk in enumerate(newest.values_list("pk", flat=True)[:200])
            if cursor.endswith(f".{pk}")
        )
        last_page = max(1, -(-total // size))

        def page(number):
            follows = newest[(number - 1) * size - 1]
            value = f"{follows.publish_at.astimezone(UTC).strftime(CURSOR_FORMAT)}.{follows.pk}"
            return f"{first}?{urlencode({'before': value})}"

        assert page(2) == f"{first}?{urlencode({'before': cursor})}", "unknown cursor format"
    else:
        size = 20
        last_page = max(1, -(-total // size))

        def page(number):
            return f"{first}?page={number}"

    middle = min(50, last_page)
    return {
        "section page 1": first,
        f"section page {middle}": page(middle) if middle > 1 else first,
        f"deepest section page ({last_page:,})": page(last_page) if last_page > 1 else first,
    }


def page_types(client):
    politics = Section.objects.get(slug="politics")
    newest = list(Article.objects.published().order_by("-publish_at", "-id")[:50])
    # The article measured is the newest with a lead photo, as the page it is modelled on.
    lead = next((article for article in newest if article.photo_id), newest[0])
    article_html = client.get(lead.get_absolute_url()).content.decode()
    tag_url = next(u for u in LINK.findall(article_html) if u.startswith("/tags/"))
    author = lead.authors.first()
    author_url = next(
        (u for u in LINK.findall(article_html) if u.startswith("/authors/")),
        reverse("articles:author-detail", args=[author.get_username()]),
    )
    sections = section_pages(client, politics)
    pages = {
        "front page": ["/"],
        **{label: [path] for label, path in sections.items()},
        "article": [lead.get_absolute_url()],
        "50 articles, round-robin": [a.get_absolute_url() for a in newest],
        "tag": [tag_url],
        "author": [author_url],
        "search": ["/search/?q=negotiators"],
        "section RSS": ["/feeds/sections/politics/rss/"],
        "sitemap index": ["/sitemap.xml"],
        "API list": ["/api/articles/"],
        "API detail": [f"/api/articles/{lead.pk}/"],
    }
    return pages


def measure(url, paths, app, database, args):
    """One wrk run on `paths`: (rate, p50, p99, app ms, database ms, errors) a request."""
    run_wrk(url, paths, 1, args.threads, args.connections)  # warm every worker first
    before = tree_ticks(app), tree_ticks(database)
    requests, rate, p50, p99, errors = run_wrk(
        url, paths, args.seconds, args.threads, args.connections
    )
    after = tree_ticks(app), tree_ticks(database)
    app_ms, db_ms = (
        (a - b) * 1000 / TICKS / max(requests, 1) for a, b in zip(after, before, strict=True)
    )
    return rate, p50, p99, app_ms, db_ms, errors


def read_peer(path):
    """The peer's description (see the module's docstring), its pid files read."""
    peer = json.loads(Path(path).read_text())

    def pid(value):
        return value if isinstance(value, int) else int(Path(value).read_text().split()[0])

    peer["app"], peer["database"] = pid(peer["app"]), pid(peer["database"])
    for label, paths in peer["pages"].items():
        with urlopen(peer["url"] + paths[0]) as response:  # noqa: S310 (127.0.0.1, ours)
            peer.setdefault("bytes", {})[label] = len(response.read())
    return peer


def peer_label(label):
    """'deepest section page (1,234)' -> 'deepest section page': the peer's own depth."""
    return label.split(" (")[0]


def median_row(runs):
    """The median of each figure over rounds; errors are summed."""
    *figures, errors = zip(*runs, strict=True)
    return (*(statistics.median(values) for values in figures), sum(errors))


def side_by_side(rows, peer, here):
    """The table of both sides' medians; `here`: this side's name in its headings."""
    there = peer.get("short", "peer")
    lines = [
        f"Side by side with {peer['name']} ({peer['url']}), median of each figure:",
        "",
        f"| page | {there} req/s | {here} req/s | ratio | CPU ms/req app+DB, {there} "
        f"| CPU ms/req app+DB, {here} | {there}'s CPU against {here} "
        f"| queries {there} / {here} | HTML bytes {there} / {here} |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, (rate, _, _, app, db, errors), queries, size in rows:
        theirs = peer["measured"].get(peer_label(label))
        if theirs is None:
            continue
        p_rate, _, _, p_app, p_db, p_errors = theirs
        p_queries = peer.get("queries", {}).get(peer_label(label), "?")
        p_size = peer["bytes"][peer_label(label)]
        lines.append(
            f"| {label} | {p_rate:,.1f} | {rate:,.1f} | {rate / p_rate:.2f}\u00d7 "
            f"| {p_app:.1f} + {p_db:.1f} | {app:.1f} + {db:.1f} "
            f"| {(p_app + p_db) / (app + db) - 1:+.0%} | {p_queries} / {queries} "
            f"| {p_size:,} / {size:,} |"
            + (f" {errors + p_errors} errors" if errors + p_errors else "")
        )
    notes = peer.get("notes", [])
    return [*lines, *([""] if notes else []), *notes]


def wait_for(port):
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return True
        except OSError:
            time.sleep(0.1)
    return False


@contextmanager
def background(command, port, folder):
    """Run a server until the block ends; yields its URL, or None if it never listened."""
    log = (folder / "server.log").open("w")
    process = subprocess.Popen(  # noqa: S603
        command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        yield f"http://127.0.0.1:{port}" if wait_for(port) else None
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        log.close()
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def front_cache(backend_port):
    """Varnish with the repository's VCL in front of gunicorn, when both are present."""
    vcl = ROOT / "deploy" / "varnish" / "newsroom.vcl"
    varnishd = shutil.which("varnishd") or "/usr/sbin/varnishd"
    if not vcl.exists() or not Path(varnishd).exists():
        print("No front cache measured: needs deploy/varnish/newsroom.vcl and varnishd")
        yield None
        return
    folder = Path(tempfile.mkdtemp(prefix="newsroom-bench-varnish-"))
    folder.chmod(0o755)  # varnishd drops privileges and must still read its files
    text = re.sub(r'(\.port\s*=\s*)"\d+"', rf'\g<1>"{backend_port}"', vcl.read_text(), count=1)
    (folder / "newsroom.vcl").write_text(text)
    port = free_port()
    command = [
        varnishd, "-F", "-n", str(folder / "work"), "-a", f"127.0.0.1:{port}",
        "-f", str(folder / "newsroom.vcl"), "-s", "malloc,256m",
    ]  # fmt: skip
    with background(command, port, folder) as url:
        if url is None:
            print("Varnish did not start:", (folder / "server.log").read_text()[-500:])
        yield url


@contextmanager
def static_server(html, workers):
    """Debian's nginx serving `html` as /article.html: the ceiling a cached page approaches."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        print("No static baseline: nginx is not installed (`apt-get install nginx`)")
        yield None
        return
    folder = Path(tempfile.mkdtemp(prefix="newsroom-bench-nginx-"))
    folder.chmod(0o755)  # nginx's workers run as nobody
    (folder / "article.html").write_bytes(html)
    (folder / "article.html").chmod(0o644)
    port = free_port()
    (folder / "nginx.conf").write_text(
        f"worker_processes {workers};\ndaemon off;\npid {folder}/nginx.pid;\n"
        f"error_log {folder}/error.log;\nevents {{ worker_connections 1024; }}\n"
        f"http {{ access_log off; default_type text/html;\n"
        f"  server {{ listen 127.0.0.1:{port}; root {folder}; }} }}\n"
    )
    command = [
        nginx,
        "-p",
        f"{folder}/",
        "-e",
        f"{folder}/error.log",
        "-c",
        f"{folder}/nginx.conf",
    ]
    with background(command, port, folder) as url:
        yield url


def queries_and_bytes(client, paths, host):
    """As a reader of the measured server gets the page: with its Host, so that what it
    keeps per address (API items, feed items) is what this request finds."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(paths[0], HTTP_HOST=host)
    assert response.status_code == 200, (paths[0], response.status_code)
    return len(queries), len(response.content)


def folder_bytes(path):
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())


def machine():
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "unknown CPU",
    )
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    memory = next(
        int(line.split()[1]) / 2**20
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )
    load = os.getloadavg()[0]
    return (
        f"{os.cpu_count()} cores ({model}), {memory:.0f} GiB RAM, PostgreSQL {version}, "
        f"load average {load:.1f} at the end"
    )


def start_gunicorn(port, workers, **env):
    return subprocess.Popen(  # noqa: S603
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "newsroom.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--log-level",
            "warning",
        ],  # fmt: skip
        cwd=ROOT,
        env={**os.environ, **SERVER_ENV, **env},
        start_new_session=True,
    )


def prepare(args, collect=True):
    """Migrate, collect the static files and generate the newsroom: its generation time."""
    call_command("migrate", verbosity=0)
    if collect:
        call_command("collectstatic", interactive=False, verbosity=0)  # as production serves it
    if Article.objects.exists():
        sys.exit("The page benchmark fills a database of its own: this one has articles.")
    started = time.monotonic()
    generate(articles=args.articles, photos=min(args.photos, args.articles))
    generated = time.monotonic() - started
    print(f"Generated {args.articles:,} articles and {args.photos} photos in {generated:.0f} s")
    return generated


def database_bytes():
    """(bytes of this database, bytes per article)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        total = cursor.fetchone()[0]
    return total, total / max(Article.objects.count(), 1)


def serve_as_peer(args):
    """--serve-as-peer FILE, the larger side of --against: generate the newsroom, serve it
    with gunicorn, describe that server in FILE as a peer (its queries per page counted as
    a reader finds them once the site has kept what it keeps) and serve until terminated."""
    generated = prepare(args, collect=False)  # the measuring process collected them
    client = Client(HTTP_HOST="127.0.0.1")
    pages = page_types(client)
    port = free_port()
    server = start_gunicorn(port, args.workers)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        if not wait_for(port):
            sys.exit("gunicorn did not start")
        host = f"127.0.0.1:{port}"
        queries = {}
        for label, paths in pages.items():
            queries_and_bytes(client, paths, host)  # a first reader: what is kept is kept
            queries[peer_label(label)] = queries_and_bytes(client, paths, host)[0]
        total, per_article = database_bytes()
        deepest = next(label for label in pages if label.startswith("deepest"))
        description = {
            "name": f"this product with {args.articles:,} articles",
            "short": f"{args.articles:,}",
            "url": f"http://{host}",
            "app": server.pid,
            "database": database_server(),
            "pages": {peer_label(label): paths for label, paths in pages.items()},
            "queries": queries,
            "notes": [
                f"- {args.articles:,} articles: {deepest}; database {per_article:,.0f} bytes "
                f"per article ({total / 2**20:,.0f} MiB in all); generating took "
                f"{generated:.0f} s"
            ],
        }
        described = Path(args.serve_as_peer)
        partial = described.with_suffix(".partial")
        partial.write_text(json.dumps(description))
        partial.replace(described)  # whole or absent: the measuring process polls for it
        while True:
            signal.pause()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


@contextmanager
def larger_newsroom(args):
    """--against N: this product with N articles, generated and served by a second process
    (`serve_as_peer`) on a database of its own in the same PostgreSQL. Yields its
    description as a peer once it is serving; stops it and drops its database at the end."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        sys.exit("--against needs DATABASE_URL: use `make bench-pages AGAINST=...`.")
    name = f"{connection.settings_dict['NAME']}_{args.against}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")
    folder = Path(tempfile.mkdtemp(prefix="newsroom-bench-against-"))
    described = folder / "peer.json"
    command = [
        sys.executable, __file__, "--articles", str(args.against), "--photos", str(args.photos),
        "--workers", str(args.workers), "--serve-as-peer", str(described),
    ]  # fmt: skip
    larger = subprocess.Popen(  # noqa: S603
        command,
        env={**os.environ, "DATABASE_URL": urlsplit(url)._replace(path=f"/{name}").geturl()},
    )
    try:
        while not described.exists():
            if larger.poll() is not None:
                sys.exit(f"The {args.against:,}-article newsroom did not start.")
            time.sleep(1)
        yield read_peer(described)
    finally:
        larger.terminate()
        larger.wait(timeout=60)
        shutil.rmtree(folder, ignore_errors=True)
        with connection.cursor() as cursor:
            cursor.execute(
                f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)} WITH (FORCE)"
            )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--photos", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration per page type")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--no-results", action="store_true", help="print only")
    parser.add_argument("--peer", help="JSON file: a server to measure side by side (above)")
    parser.add_argument(
        "--against", type=int, help="articles: this product at that size, side by side (above)"
    )
    parser.add_argument("--serve-as-peer", help=argparse.SUPPRESS)  # --against's second side
    parser.add_argument("--rounds", type=int, help="interleaved rounds (1; 3 with --peer)")
    args = parser.parse_args()
    if args.peer and args.against:
        parser.error("--peer and --against: one side by side at a time")
    if connection.vendor != "postgresql":
        sys.exit("The page benchmark runs on PostgreSQL: use `make bench-pages`.")
    if args.serve_as_peer:
        serve_as_peer(args)
        return

    generated = prepare(args)
    with larger_newsroom(args) if args.against else nullcontext() as larger:
        peer = larger or (read_peer(args.peer) if args.peer else None)
        measure_pages(args, peer, generated)


def measure_pages(args, peer, generated):
    rounds = args.rounds or (3 if peer else 1)
    if peer:
        peer["runs"] = {}
    client = Client(HTTP_HOST="127.0.0.1")
    pages = page_types(client)
    port = free_port()
    server = start_gunicorn(port, args.workers)
    postmaster = database_server()
    try:
        if not wait_for(port):
            sys.exit("gunicorn did not start")
        url = f"http://127.0.0.1:{port}"
        # With a peer, each page type is measured on both sides in turn, round after round,
        # so that a slow minute on a shared machine weighs on both alike.
        runs, counted = {}, {}
        for _ in range(rounds):
            for label, paths in pages.items():
                runs.setdefault(label, []).append(
                    measure(url, paths, server.pid, postmaster, args)
                )
                # Counted as the measured requests found the site: what it keeps for a
                # page lasts minutes, and the rounds take longer.
                counted[label] = queries_and_bytes(client, paths, host=f"127.0.0.1:{port}")
                theirs = peer and peer["pages"].get(peer_label(label))
                if theirs:
                    peer["runs"].setdefault(peer_label(label), []).append(
                        measure(peer["url"], theirs, peer["app"], peer["database"], args)
                    )
        rows = [(label, median_row(runs[label]), *counted[label]) for label in pages]
        if peer:
            peer["measured"] = {label: median_row(r) for label, r in peer["runs"].items()}
        workers = children(server.pid)
        memory = [rss_mib(pid) for pid in workers]
        article = pages["article"]
        html = client.get(article[0]).content
        cached, ceiling = [], None
        # The same pages with the page cache on, as in production: Django's own cache, then
        # Varnish in front of it (which keeps what the pages mark public).
        cached_port = free_port()
        cached_server = start_gunicorn(cached_port, args.workers, PAGE_CACHE="1")
        try:
            if not wait_for(cached_port):
                sys.exit("gunicorn (page cache on) did not start")
            page_cache_url = f"http://127.0.0.1:{cached_port}"
            run_wrk(page_cache_url, article, 1, args.threads, args.connections)
            _, rate, p50, p99, errors = run_wrk(
                page_cache_url, article, args.seconds, args.threads, args.connections
            )
            cached.append(("article from Django's page cache", rate, p50, p99, errors))
            with front_cache(cached_port) as cache_url:
                if cache_url:
                    run_wrk(cache_url, article, 1, args.threads, args.connections)
                    _, rate, p50, p99, errors = run_wrk(
                        cache_url, article, args.seconds, args.threads, args.connections
                    )
                    cached.append(("article through Varnish (cached)", rate, p50, p99, errors))
        finally:
            os.killpg(cached_server.pid, signal.SIGTERM)
            cached_server.wait(timeout=30)
        with static_server(html, args.workers) as static_url:
            if static_url:
                _, rate, p50, p99, errors = run_wrk(
                    static_url, ["/article.html"], args.seconds, args.threads, args.connections
                )
                ceiling = ("the same article HTML from nginx (static)", rate, p50, p99, errors)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    total_bytes, bytes_per_article = database_bytes()
    photos = Photo.objects.count()
    here = f"{args.articles:,}" if args.against else "this product"
    lines = [
        "| page | req/s | p50 ms | p99 ms | CPU ms/req app | CPU ms/req DB | queries "
        "| HTML bytes |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
        *(
            f"| {label} | {rate:,.1f} | {p50:.1f} | {p99:.1f} | {app:.1f} | {db:.1f} | "
            f"{queries} | {size:,} |" + (f" {errors} errors" if errors else "")
            for label, (rate, p50, p99, app, db, errors), queries, size in rows
        ),
        "",
        *([*side_by_side(rows, peer, here), ""] if peer else []),
        *(
            f"- {label}: {rate:,.0f} req/s, p50 {p50:.2f} ms, p99 {p99:.2f} ms"
            + (f", {errors} errors" if errors else "")
            for label, rate, p50, p99, errors in [*cached, *filter(None, [ceiling])]
        ),
        *(
            f"- {label} / static: {rate / ceiling[1]:.0%} of nginx's rate"
            for label, rate, *_ in (cached if ceiling else [])
        ),
        f"- Worker memory (RSS): {', '.join(f'{m:.0f} MiB' for m in memory)}",
        f"- Database: {bytes_per_article:,.0f} bytes per article "
        f"({total_bytes / 2**20:,.0f} MiB in all)",
        f"- Media: {folder_bytes(MEDIA / 'renditions') / max(photos, 1) / 2**20:.2f} MiB of "
        f"renditions per photo; originals {folder_bytes(MEDIA / 'originals') / 2**20:.1f} MiB",
        f"- Generating the newsroom took {generated:.0f} s",
    ]
    table = "\n".join(lines)
    print(table)
    if not args.no_results:
        command = "bench/pages.py " + shlex.join(sys.argv[1:])
        heading = (
            f"\n## {args.articles:,} articles"
            + (f" side by side with {args.against:,}" if args.against else "")
            + f", {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n\n"
            f"`{command}`; gunicorn, {args.workers} sync workers, DEBUG off, page cache off "
            "but for the cached rows (the site cache on, as in production); "
            f"`wrk -t{args.threads} -c{args.connections}`, {args.seconds} s per page"
            + (f", median of {rounds} interleaved rounds; " if rounds > 1 else "; ")
            + f"{machine()}.\n\n"
        )
        with (ROOT / "bench" / "RESULTS.md").open("a") as results:
            results.write(heading + table + "\n")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(MEDIA, ignore_errors=True)
