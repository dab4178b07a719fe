import os
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import ArticleFactory, PhotoFactory, SectionFactory, SourceFactory

pytest_plugins = ["tests.browser"]


def pytest_configure(config):
    # Only what tests must change: no collectstatic manifest, a fast password hasher.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads go to a temporary folder that tests can inspect."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


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
