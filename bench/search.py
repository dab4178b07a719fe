"""Search speed on 10,000 synthetic articles that all match common words (the worst case).

Run against a THROWAWAY database only, it fills it with articles:
  DEBUG=1 DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python manage.py migrate
  DEBUG=1 ALLOWED_HOSTS=testserver DATABASE_URL=sqlite:////tmp/bench.sqlite3 \\
      .venv/bin/python manage.py shell < bench/search.py
or on PostgreSQL: .ci/with-postgres bash -c "DEBUG=1 .venv/bin/python manage.py migrate &&
  DEBUG=1 ALLOWED_HOSTS=testserver .venv/bin/python manage.py shell < bench/search.py"
"""

import random
import time
from datetime import timedelta

from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Section

N = 10000
random.seed(1)
words = (
    "budget vote minister sejm kremlin talks storm harbour bridge election court tax "
    "energy pipeline farmers strike łódź kraków gdańsk weather police"
).split()
section, _ = Section.objects.get_or_create(slug="politics", defaults={"name": "Politics"})
if not Article.objects.exists():
    now = timezone.now()
    Article.objects.bulk_create(
        Article(
            section=section,
            headline=" ".join(random.choices(words, k=6)),
            slug=f"a-{i}",
            standfirst=" ".join(random.choices(words, k=20)),
            body="<p>" + " ".join(random.choices(words, k=300)) + "</p>",
            byline="By Anna Nowak",
            status="published",
            publish_at=now - timedelta(minutes=i + 1),
        )
        for i in range(N)
    )
    t = time.perf_counter()
    call_command("update_search_index", verbosity=0)
    print(f"indexed {N} articles in {time.perf_counter() - t:.1f}s")
client = Client()
for q in ["budget", "lodz", "kremlin talks", "budget vote minister sejm", "zzzz"]:
    client.get("/search/", {"q": q, "page": 1})
    times = []
    for _ in range(5):
        t = time.perf_counter()
        with CaptureQueriesContext(connection) as ctx:
            r = client.get("/search/", {"q": q})
        times.append(time.perf_counter() - t)
    print(
        f"{connection.vendor} q={q!r}: median {sorted(times)[2] * 1000:.0f} ms,",
        f"{len(ctx)} queries, status {r.status_code}",
    )
