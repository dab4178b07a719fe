import importlib
import os
import tempfile
import time
from datetime import datetime
from datetime import time as clock_time
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from tests.factories import ArticleFactory, PhotoFactory, SectionFactory, SourceFactory

pytest_plugins = ["tests.browser"]


def pytest_configure(config):
    # Only what tests must change: no collectstatic manifest, a fast password hasher.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Every page rendered fresh; tests of the page cache turn it on (tests/test_page_cache.py).
    settings.NEWSROOM_PAGE_CACHE = False
    settings.NEWSROOM_SITE_CACHE = False
    settings.FRONT_CACHE_URLS = []
    # The pages cache's folder is the run's own: never a dev server's, nor another run's.
    settings.CACHES["pages"]["LOCATION"] = tempfile.mkdtemp(prefix="newsroom-test-pages-")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Public files (renditions) go to a temporary folder that tests can inspect."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def renditions_root(settings, tmp_path):
    """Renditions go to their own temporary folder, served only through the checked view."""
    settings.PHOTO_RENDITIONS_ROOT = tmp_path / "renditions"
    return settings.PHOTO_RENDITIONS_ROOT


@pytest.fixture(autouse=True)
def originals_root(settings, tmp_path):
    """Private photo originals go to their own temporary folder, outside MEDIA_ROOT."""
    settings.PHOTO_ORIGINALS_ROOT = tmp_path / "originals"
    return settings.PHOTO_ORIGINALS_ROOT


@pytest.fixture
def politics(db):
    return SectionFactory(name="Politics", slug="politics", position=1)


@pytest.fixture
def world(db):
    return SectionFactory(name="World", slug="world", position=2)


@pytest.fixture
def wire_article(politics):
    """The modelled wire page: agency credit, Polish caption, two sources in order."""
    photo = PhotoFactory(
        credit=(
            "EPA/PHOTOGRAPHER NAME / SPUTNIK / KREMLIN POOL MANDATORY CREDIT Dostawca: PAP/EPA."
        ),
        caption="Delegacje w Moskwie (podpis źródła zdjęcia)",
        alt_text="Two delegations seated at a long table",
    )
    article = ArticleFactory(
        section=politics,
        headline="Kremlin talks end without agreement",
        standfirst="Negotiators left after six hours.",
        byline="By Staff and wire reports",
        body=(
            "<p>The talks ended late on Tuesday.</p>"
            "<blockquote><p>“We are not there yet,” one negotiator said.</p></blockquote>"
            "<p>Both sides plan to meet again.</p>"
        ),
        photo=photo,
    )
    article.source_links.create(source=SourceFactory(name="abcnews.go.com"), position=1)
    article.source_links.create(source=SourceFactory(name="Reuters"), position=2)
    return article


# The migrations that give the roles their permissions, and the function each runs.
ROLE_MIGRATIONS = [
    ("0003_create_journalists_and_editors_groups", "create_groups"),
    ("0017_grant_fronts_and_banner_permissions", "grant"),
    ("0019_grant_live_entry_permissions", "grant"),
    ("0023_give_editors_the_wire_desk", "grant_wire_desk"),
    ("0030_desk_policy_switch_for_credentials_rule", "grant"),
]


def ensure_newsroom_groups():
    """Transactional tests flush the database, and with it the groups the migrations made.

    Recreate them with that same migration code, so the roles have one definition.
    """
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    if Group.objects.filter(name__in=["Journalists", "Editors"]).count() == 2:
        return
    executor = MigrationExecutor(connection)
    for name, function in ROLE_MIGRATIONS:
        state = executor.loader.project_state(("articles", name), at_end=True)
        module = importlib.import_module("articles.migrations." + name)
        getattr(module, function)(state.apps, None)


def staff_member(username, group_name):
    from django.contrib.auth.models import Group

    from tests.factories import UserFactory

    ensure_newsroom_groups()
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def journalist(db):
    return staff_member("jola", "Journalists")


@pytest.fixture
def other_journalist(db):
    return staff_member("kasia", "Journalists")


@pytest.fixture
def editor(db):
    return staff_member("edward", "Editors")


@pytest.fixture
def journalist_client(client, journalist):
    client.force_login(journalist)
    return client


@pytest.fixture
def editor_client(editor):
    from django.test import Client

    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def newsroom_midday():
    """The clock at noon today in the newsroom's time zone, and ticking: a story scheduled
    "in five minutes" still goes live today whenever the suite runs, even at 23:58."""
    noon = timezone.make_aware(datetime.combine(timezone.localdate(), clock_time(12)))
    with time_machine.travel(noon, tick=True):
        yield noon


@pytest.fixture(scope="session")
def wire_samples():
    """IPTC's published NINJS and NewsML-G2 examples, kept in shared/ beside the clone."""
    folder = Path(__file__).resolve().parent.parent.parent / "shared" / "wire-samples"
    if not folder.is_dir():
        message = f"The wire samples are missing: expected them in {folder}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return folder


@pytest.fixture(autouse=True)
def live_pages_leave_before_the_database_is_flushed(request):
    """An article form closing sends its "left" beacon (and any last autosave) to the live
    server; the test database must not be flushed under that request ("database table is
    locked" on SQLite). Requesting the live server here makes this teardown run before the
    database's, after the test's pages have closed: it waits (5 s at most) until everyone
    has left every article, then lets that last request finish."""
    if "live_server" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("live_server")
    yield
    from articles.desk import presence
    from articles.models import Article

    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(
        presence._present(article, presence.now()) for article in Article.objects.all()
    ):
        time.sleep(0.05)
    time.sleep(0.2)
