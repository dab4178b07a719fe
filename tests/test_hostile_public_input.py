"""Whatever an anonymous visitor puts in an address, the answer is a 400 or a 404, never a 500.

PostgreSQL refuses NUL characters in text and time-zone offsets beyond ±15:59, where SQLite
takes both: these tests matter most on PostgreSQL.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(politics):
    return ArticleFactory(section=politics, headline="Budget passes")


@pytest.mark.parametrize(
    "since",
    ["0001-01-01T00:00:00%2B23:59", "9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00%2B00:01"],
)
def test_api_refuses_an_updated_since_beyond_the_calendar_with_400(client, published, since):
    response = client.get(f"/api/articles/?updated_since={since}")
    assert response.status_code == 400
    assert "updated_since" in response.json()["error"]


def test_api_takes_any_valid_offset_and_compares_in_utc(client, published):
    # 23:59 ahead of UTC: a day before the article's last change, in that zone's wall time.
    day_before = (published.updated_at - timedelta(days=1)).astimezone(
        timezone.get_fixed_timezone(23 * 60 + 59)
    )
    response = client.get("/api/articles/", {"updated_since": day_before.isoformat()})
    assert response.status_code == 200
    assert [item["headlines"][0]["value"] for item in response.json()["results"]] == [
        "Budget passes"
    ]
    after = (published.updated_at + timedelta(minutes=1)).astimezone(
        timezone.get_fixed_timezone(23 * 60 + 59)
    )
    response = client.get("/api/articles/", {"updated_since": after.isoformat()})
    assert (response.status_code, response.json()["count"]) == (200, 0)


def test_api_refuses_a_section_with_a_nul_byte_with_400(client, published):
    response = client.get("/api/articles/?section=poli%00tics")
    assert response.status_code == 400


@pytest.mark.parametrize(
    "url",
    [
        "/authors/a%00b/",
        "/tags/a%00b/",
        "/politics%00/",
        "/feeds/tags/a%00b/rss/",
        "/feeds/sections/a%00b/atom/",
        "/preview/a%00b/",
        "/sitemap-a%00b.xml",
        "/politics/1-a%00b/",
    ],
)
def test_a_nul_byte_in_a_public_address_answers_404(client, published, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/search/?q=bud%00get",
        "/search/?q=budget&page=%00",
        "/api/articles/?page=%00",
        "/?page=%00",
        "/politics/?page=%00",
    ],
)
def test_a_nul_byte_in_a_public_query_never_answers_500(client, published, url):
    assert client.get(url).status_code in {200, 400, 404}
