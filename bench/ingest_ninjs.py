"""Import generated NINJS items through the real importer and report items per second.

    DEBUG=1 .venv/bin/python bench/ingest_ninjs.py [--items 10000]

Runs against a throwaway test database (SQLite in memory, or a test database beside
DATABASE_URL's), never the newsroom's own. Every tenth item carries a picture.
"""

import argparse
import json
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from articles.models import Article, Photo  # noqa: E402
from articles.wire.files import ingest_paths  # noqa: E402

PARAGRAPH = (
    "<p>Deputies argued late into the night over the spending plan, the opposition "
    "promising amendments and the government insisting on the deficit ceiling.</p>"
)


def item(n):
    data = {
        "uri": f"urn:newsml:bench.example:2026:item-{n}",
        "type": "text",
        "version": "1",
        "versioncreated": "2026-11-27T08:00:00Z",
        "language": "pl",
        "headlines": [{"role": "main", "value": f"Budget debate, part {n}"}],
        "descriptions": [{"role": "summary", "value": "The vote is expected on Friday."}],
        "bodies": [{"role": "html", "contenttype": "text/html", "value": PARAGRAPH * 6}],
        "by": "Anna Nowak, PAP",
        "copyrightholder": ["PAP", "Reuters", "dpa", "AP"][n % 4],
        "subjects": [{"name": "Politics", "literal": "11000000"}, {"name": f"topic {n % 50}"}],
    }
    if n % 10 == 0:
        data["associations"] = [
            {
                "name": "mainpic",
                "uri": f"urn:newsml:bench.example:2026:photo-{n}",
                "type": "picture",
                "by": "Radek Pietruszka",
                "descriptions": [{"role": "caption", "value": "Deputies in the chamber"}],
                "renditions": [{"name": "main", "href": f"https://img.example/{n}.jpg"}],
            }
        ]
    return data


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    options = parser.parse_args()

    setup_test_environment(debug=False)
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        with tempfile.TemporaryDirectory() as folder:
            for n in range(options.items):
                Path(folder, f"{n:06d}.json").write_text(json.dumps(item(n)))
            started = time.perf_counter()
            counts = Counter(o.status for o in ingest_paths([folder]))
            elapsed = time.perf_counter() - started
        print(
            f"{options.items:,} NINJS items in {elapsed:.1f} s: "
            f"{options.items / elapsed:,.0f} items/s ({connection.vendor})"
        )
        print(", ".join(f"{n:,} {status}" for status, n in counts.items()))
        print(f"{Article.objects.count():,} draft articles, {Photo.objects.count():,} photos")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
