"""RSS/Atom feeds land in the wire inbox; one click turns an entry into a draft.

The feeds are served by the test itself on 127.0.0.1: no network.
"""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article, FeedEntry, SectionRule
from articles.wire.feeds import FeedError, fetch
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db

RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>ABC News</title><link>https://abcnews.go.com/</link>
<item><title>Kremlin talks end without agreement</title>
  <link>https://abcnews.go.com/International/kremlin-talks</link>
  <guid>https://abcnews.go.com/International/kremlin-talks</guid>
  <pubDate>Fri, 27 Nov 2026 08:00:00 GMT</pubDate>
  <description>&lt;p&gt;Negotiators left after six hours.&lt;/p&gt;
&lt;script&gt;alert(1)&lt;/script&gt;</description>
</item>
<item><title>Second story</title><link>https://abcnews.go.com/second</link>
  <guid>abc-2</guid></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Reuters</title><id>urn:reuters</id>
<updated>2026-11-27T09:00:00Z</updated>
<entry><title>Markets rally</title><id>urn:reuters:1</id>
  <link href="https://www.reuters.com/markets/rally"/>
  <updated>2026-11-27T09:00:00Z</updated><summary>Stocks rose.</summary></entry>
</feed>"""


class FeedHandler(BaseHTTPRequestHandler):
    feeds = {"/rss.xml": RSS, "/atom.xml": ATOM, "/huge.xml": b"<rss>" + b" " * 20000}

    def do_GET(self):
        body = self.feeds.get(self.path)
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "application/xml")
        self.end_headers()
        self.wfile.write(body or b"")

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def feed_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FeedHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def poll():
    out, err = StringIO(), StringIO()
    call_command("ingest_feeds", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_polling_fills_the_inbox_not_the_articles(feed_server):
    abc = SourceFactory(name="abcnews.go.com", feed_url=f"{feed_server}/rss.xml")
    SourceFactory(name="Reuters", feed_url=f"{feed_server}/atom.xml")
    out, _ = poll()
    assert "abcnews.go.com: 2 new entries" in out
    assert "Reuters: 1 new entries" in out
    assert not Article.objects.exists()
    entry = FeedEntry.objects.get(source=abc, title="Kremlin talks end without agreement")
    assert entry.link == "https://abcnews.go.com/International/kremlin-talks"
    assert entry.summary == "<p>Negotiators left after six hours.</p>"
    assert entry.published_at.isoformat() == "2026-11-27T08:00:00+00:00"


def test_polling_again_adds_nothing(feed_server):
    SourceFactory(name="abcnews.go.com", feed_url=f"{feed_server}/rss.xml")
    poll()
    out, _ = poll()
    assert "0 new entries" in out
    assert FeedEntry.objects.count() == 2


def test_a_missing_feed_is_reported_and_the_others_still_polled(feed_server):
    SourceFactory(name="Gone", feed_url=f"{feed_server}/missing.xml")
    SourceFactory(name="Reuters", feed_url=f"{feed_server}/atom.xml")
    out, err = poll()
    assert "Gone:" in err and "404" in err
    assert "Reuters: 1 new entries" in out


def test_an_oversized_feed_is_refused(feed_server, settings):
    settings.WIRE_FEED_MAX_BYTES = 10000
    with pytest.raises(FeedError, match="10,000-byte limit"):
        fetch(f"{feed_server}/huge.xml")


def test_only_web_feeds_are_fetched():
    with pytest.raises(FeedError, match="only http and https"):
        fetch("file:///etc/passwd")


def test_one_click_turns_an_entry_into_a_draft_keeping_link_and_source(
    admin_client, feed_server, politics
):
    abc = SourceFactory(name="abcnews.go.com", feed_url=f"{feed_server}/rss.xml")
    poll()
    entry = FeedEntry.objects.get(guid="https://abcnews.go.com/International/kremlin-talks")
    inbox = admin_client.get(reverse("admin:articles_feedentry_changelist")).content.decode()
    assert "Create draft" in inbox

    response = admin_client.post(
        reverse("admin:articles_feedentry_create_draft"), {"entry": entry.pk}
    )

    article = Article.objects.get()
    assert response.url == reverse("admin:articles_article_change", args=[article.pk])
    assert article.status == Article.Status.DRAFT
    assert article.headline == "Kremlin talks end without agreement"
    assert article.section.slug == "wire"
    assert article.ordered_sources() == [abc]
    assert article.wire_items.get().link == entry.link
    entry.refresh_from_db()
    assert entry.article == article
    # A second click opens the same draft rather than making another.
    admin_client.post(reverse("admin:articles_feedentry_create_draft"), {"entry": entry.pk})
    assert Article.objects.count() == 1


def test_feed_drafts_follow_the_provider_rule(admin_client, feed_server, world):
    SourceFactory(name="Reuters", feed_url=f"{feed_server}/atom.xml")
    SectionRule.objects.create(match_on="provider", value="Reuters", section=world)
    poll()
    admin_client.post(
        reverse("admin:articles_feedentry_create_draft"),
        {"entry": FeedEntry.objects.get().pk},
    )
    assert Article.objects.get().section == world
