"""Search as readers get it: generate a newsroom, then time the search view's work in-process.

    make bench-search ARTICLES=20000       # SQLite, then a throwaway PostgreSQL 15
    .venv/bin/python bench/search.py --articles 20000                       # SQLite only
    .ci/with-postgres .venv/bin/python bench/search.py --articles 20000     # PostgreSQL only

The newsroom goes into a throwaway database: an SQLite file in a temporary folder, or the
database of DATABASE_URL, which must have no articles (`.ci/with-postgres` makes one). For
each query it times what the search view does for the first page (search_articles, a
Paginator page of the section page size, add_snippets on it) and prints the results found
(capped as the page caps them), median and p95 milliseconds, SQL queries and their median
database milliseconds. The table is appended to bench/RESULTS.md with the command, date and
machine.
"""

import argparse
import os
import platform
import shlex
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SCRATCH = Path(tempfile.mkdtemp(prefix="newsroom-bench-search-"))
os.environ.update(
    {
        "MEDIA_ROOT": str(SCRATCH / "public"),
        "PHOTO_ORIGINALS_ROOT": str(SCRATCH / "originals"),
        "PHOTO_RENDITIONS_ROOT": str(SCRATCH / "renditions"),
        "NEWSROOM_C2PA_SIGNING": "0",
    }
)
os.environ.setdefault("DATABASE_URL", f"sqlite:///{SCRATCH / 'bench.sqlite3'}")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.paginator import Paginator  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from articles.models import Article  # noqa: E402
from articles.public.search import MAX_RESULTS, add_snippets, search_articles  # noqa: E402
from bench.newsroom import generate  # noqa: E402


def queries(first_id, articles):
    """What each query stands for, and the query. "negotiators" opens every generated body;
    "football" heads every 16th headline (and names some tags); a headline's number is in
    that article alone."""
    return [
        ("word in every article", "negotiators"),
        ("word in 1 article in 16", "football"),
        ("word in 1 article", str(first_id + articles // 2)),
        ("two words", "football talks"),
        ("word in none", "zzzyzx"),
        ("punctuation and quotes", "“We are not there yet,” — 'officials' said!"),
    ]


def first_page(query):
    """The search view's work for page 1 (articles.public.views.search), short of rendering."""
    paginator = Paginator(search_articles(query), settings.NEWSROOM_SECTION_PAGE_SIZE)
    page = paginator.get_page(1)
    page.object_list = add_snippets(list(page.object_list), query)
    return paginator.count, page


def measure(query, runs):
    first_page(query)  # warm: the stemmer's cache, the database's pages
    wall, database = [], []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            count, page = first_page(query)
            wall.append((time.perf_counter() - started) * 1000)
        database.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
    assert len(page.object_list) == min(count, settings.NEWSROOM_SECTION_PAGE_SIZE), query
    return count, wall, len(captured), statistics.median(database)


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def database_name():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
        cursor.execute("SELECT sqlite_version()")
        return f"SQLite {cursor.fetchone()[0]}"


def machine():
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown CPU",
    )
    memory = next(
        int(line.split()[1]) / 2**20
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )
    return (
        f"{os.cpu_count()} cores ({model}), {memory:.0f} GiB RAM, {database_name()}, "
        f"load average {os.getloadavg()[0]:.1f} at the end"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--photos", type=int, default=200)
    parser.add_argument("--runs", type=int, default=20, help="timed runs per query")
    parser.add_argument("--no-results", action="store_true", help="print only")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if Article.objects.exists():
        sys.exit("The search benchmark fills a database of its own: this one has articles.")
    started = time.monotonic()
    first_id = generate(articles=args.articles, photos=min(args.photos, args.articles))
    generated = time.monotonic() - started
    print(f"Generated {args.articles:,} articles on {connection.vendor} in {generated:.0f} s")

    lines = [
        "| query | text | results | median ms | p95 ms | queries | DB ms (median) |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for label, query in queries(first_id, args.articles):
        count, wall, sql, database = measure(query, args.runs)
        shown = f"{MAX_RESULTS:,}+" if count >= MAX_RESULTS else f"{count:,}"
        lines.append(
            f"| {label} | `{query}` | {shown} | {statistics.median(wall):.1f}"
            f" | {percentile(wall, 0.95):.1f} | {sql} | {database:.1f} |"
        )
        print(lines[-1], flush=True)
    command = f"bench/search.py {shlex.join(sys.argv[1:])}"
    section = (
        f"\n## Search, {args.articles:,} articles, {connection.vendor}, "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n\n"
        f"`{command}`; in-process, the search view's first page (search_articles, a "
        f"{settings.NEWSROOM_SECTION_PAGE_SIZE}-article Paginator page, add_snippets) without "
        f"rendering, {args.runs} runs after one warm-up, DEBUG cursor on to count queries; "
        f"{machine()}. Generating the newsroom took {generated:.0f} s.\n\n"
    ) + "\n".join([*lines, ""])
    if not args.no_results:
        with (ROOT / "bench" / "RESULTS.md").open("a") as results:
            results.write(section)


if __name__ == "__main__":
    try:
        main()
    finally:
        connection.close()
        shutil.rmtree(SCRATCH, ignore_errors=True)
