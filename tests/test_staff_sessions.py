"""A staff session ends after a working day without activity, and not while someone works."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Rendition
from tests.factories import ArticleFactory, PhotoFactory

pytestmark = pytest.mark.django_db


def test_an_idle_staff_session_ends_after_a_working_day(settings, journalist_client):
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert journalist_client.get("/admin/").status_code == 200
    with time_machine.travel(start + timedelta(hours=8, minutes=1), tick=False):
        response = journalist_client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_a_journalist_working_all_day_stays_logged_in(journalist_client):
    start = timezone.now()
    for hours in (0, 6, 12, 18, 24):
        with time_machine.travel(start + timedelta(hours=hours), tick=False):
            response = journalist_client.get("/admin/")
            assert response.status_code == 200, f"logged out after {hours} h"


def session_writes(client, path="/admin/"):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return sum('UPDATE "django_session"' in query["sql"] for query in queries)


def test_activity_writes_the_session_at_most_once_a_minute(journalist_client):
    start = timezone.now()
    with time_machine.travel(start + timedelta(seconds=5), tick=False):
        assert session_writes(journalist_client) == 0
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        assert session_writes(journalist_client) == 0
    with time_machine.travel(start + timedelta(minutes=2), tick=False):
        assert session_writes(journalist_client) == 1


def test_a_readers_pages_and_pictures_do_not_vary_by_cookie(client, politics):
    # Shared caches keep one copy of a public page for everyone: no session is read for it.
    photo = PhotoFactory()
    ArticleFactory(section=politics, photo=photo)
    rendition = Rendition.objects.filter(photo=photo).first()
    for path in ("/", "/politics/", rendition.file.url):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "Cookie" not in response.get("Vary", ""), path
