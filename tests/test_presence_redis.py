"""Presence shared by worker processes through Redis (REDIS_URL), against a real redis-server.

The server is started here on a free local port and stopped after; a second process, as
another gunicorn worker would be, sees the heartbeat this one recorded.
"""

import json
import os
import subprocess  # noqa: S404 (starts redis-server and a second Django process)
import sys
from pathlib import Path

import pytest

from articles.desk import presence
from tests.factories import ArticleFactory
from tests.redis_server import redis_server  # noqa: F401 (fixture)
from tests.test_autosave_and_presence import arrive_together

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
OTHER_WORKER = """
import django, json, sys
from types import SimpleNamespace
django.setup()
from articles.desk import presence
someone = SimpleNamespace(pk=999_999, get_full_name=lambda: "Jola W", get_username=lambda: "j")
others, _ = presence.presence_beat(
    article=SimpleNamespace(pk=int(sys.argv[1])), user=someone, editing=True
)
print(json.dumps([entry["name"] for entry in others]))
"""


def test_a_heartbeat_in_one_worker_is_seen_from_another(
    redis_server,  # noqa: F811 (the fixture)
    settings,
    editor,
    politics,
):
    redis_url = redis_server.url
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "newsroom",
        }
    }
    editor.first_name, editor.last_name = "Anna", "Nowak"
    article = ArticleFactory(section=politics)
    presence.presence_beat(article=article, user=editor, editing=True)

    other_worker = subprocess.run(  # noqa: S603
        [sys.executable, "-c", OTHER_WORKER, str(article.pk)],
        env={**os.environ, "REDIS_URL": redis_url, "DJANGO_SETTINGS_MODULE": "newsroom.settings"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert json.loads(other_worker.stdout.strip().splitlines()[-1]) == ["Anna Nowak"]
    others, _ = presence.presence_beat(article=article, user=editor, editing=True)
    assert [entry["name"] for entry in others] == ["Jola W"]


def test_people_opening_a_story_at_the_same_moment_are_all_kept_in_redis(
    redis_server,  # noqa: F811 (the fixture)
    settings,
    politics,
    monkeypatch,
):
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.FailOpenRedisCache",
            "LOCATION": redis_server.url,
            "KEY_PREFIX": "newsroom",
        }
    }
    article = ArticleFactory(section=politics)
    names = ["Anna Nowak", "Jola Wiśniewska", "Piotr Zieliński", "Ewa Lis"]
    assert arrive_together(article, names, monkeypatch) == sorted(names)
