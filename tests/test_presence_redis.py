"""Presence shared by worker processes through Redis (REDIS_URL), against a real redis-server.

The server is started here on a free local port and stopped after; a second process, as
another gunicorn worker would be, sees the heartbeat this one recorded.
"""

import json
import os
import shutil
import socket
import subprocess  # noqa: S404 (starts redis-server and a second Django process)
import sys
import time
from pathlib import Path

import pytest

from articles.desk import presence
from tests.factories import ArticleFactory

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


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_url(tmp_path):
    server = shutil.which("redis-server")
    if not server:
        if os.environ.get("CI"):
            pytest.fail("redis-server is required in CI; .ci/run installs it")
        pytest.skip("redis-server is not installed")
    port = free_port()
    process = subprocess.Popen(  # noqa: S603
        [server, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--dir", tmp_path],
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_heartbeat_in_one_worker_is_seen_from_another(redis_url, settings, editor, politics):
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
