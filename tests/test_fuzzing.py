"""Generated input thrown at everything that reads text from outside: the wire parsers
(NINJS, NewsML-G2, feeds), the search query, the slug maker and the HTML sanitiser.

Whatever comes in, the answer is a result or a clean refusal (an ItemError, a failed
outcome, a FeedError, a page): never an exception escaping, never a 500. Examples are
bounded so the suite stays fast; Hypothesis shrinks any failure to a small input.
"""

import json
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.public.search import search_articles
from articles.sanitize import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, URL_SCHEMES, sanitize_html
from articles.slugs import ascii_slugify
from articles.wire import newsmlg2, ninjs, parsed
from articles.wire.feeds import FeedError, store_entries
from articles.wire.files import ingest_bytes
from articles.wire.store import Outcome
from tests.factories import ArticleFactory, SourceFactory

FAST = settings(max_examples=150, deadline=None)
WITH_DATABASE = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

HOSTILE_FRAGMENTS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "<iframe src=//evil>",
    "<style>*{}</style>",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "<p>",
    "</p>",
    '<a href="https://news.example/" onclick="x()">ok</a>',
    "<math><mi xlink:href=javascript:alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "&lt;script&gt;",
    "\x00",
    "Łódź ",
    "\u202e",
]
hostile_text = st.lists(
    st.one_of(st.sampled_from(HOSTILE_FRAGMENTS), st.text(max_size=20)), max_size=12
).map("".join)


# NINJS: JSON shaped like a NINJS item, with wrong types and odd values anywhere.

NINJS_KEYS = [
    "uri", "type", "version", "versioncreated", "firstcreated", "embargoed", "headline",
    "headlines", "bodies", "body_html", "body_text", "descriptions", "description_html",
    "subjects", "subject", "by", "byline", "language", "copyrightholder", "copyrightnotice",
    "usageterms", "pubstatus", "associations", "renditions", "infosources", "href", "value",
    "role", "contenttype", "width", "height", "name",
]  # fmt: skip
json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    hostile_text,
    st.sampled_from(["text", "picture", "composite", "2026-11-27T08:00:00Z", "urn:x", "1"]),
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.sampled_from(NINJS_KEYS), children, max_size=6),
    ),
    max_leaves=12,
)
ninjs_items = st.builds(
    lambda uri, fields: {**fields, "uri": uri},
    st.one_of(st.just("urn:fuzz:1"), json_scalars),
    st.dictionaries(st.sampled_from(NINJS_KEYS), json_values, max_size=8),
)
ninjs_documents = st.one_of(
    ninjs_items.map(lambda item: json.dumps(item).encode()),
    st.lists(ninjs_items, max_size=3).map(lambda items: json.dumps(items).encode()),
    st.binary(max_size=200),
)


def assert_clean(results):
    for label, item in results:
        assert isinstance(label, str)
        assert isinstance(item, parsed.ParsedItem | parsed.ItemError | parsed.NothingToImport)


@FAST
@given(ninjs_documents)
def test_the_ninjs_reader_refuses_cleanly_whatever_it_is_given(data):
    assert_clean(list(ninjs.parse(data)))


# NewsML-G2: XML trees from the format's own vocabulary, nested and attributed at random.

G2_TAGS = [
    "newsMessage", "itemSet", "newsItem", "packageItem", "itemMeta", "itemClass", "provider",
    "versionCreated", "firstCreated", "embargoed", "pubStatus", "contentMeta", "headline",
    "subject", "name", "creator", "description", "keyword", "language", "contentSet",
    "inlineXML", "inlineData", "remoteContent", "nitf", "body", "body.head", "body.content",
    "hedline", "hl1", "byline", "p", "media", "itemRef", "link", "rightsInfo", "script",
    "html",
]  # fmt: skip
G2_ATTRIBUTES = [
    "guid", "version", "qcode", "literal", "href", "residref", "rel", "width", "height",
    "rendition", "tag", "role", "uri",
]  # fmt: skip
xml_text = hostile_text.map(
    lambda text: re.sub(r"[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd]", "", text)
)


def escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


def element(children):
    return st.builds(
        lambda tag, attributes, text, kids: (
            f"<{tag}"
            + "".join(f' {name}="{escape(value)}"' for name, value in attributes.items())
            + f">{escape(text)}{''.join(kids)}</{tag}>"
        ),
        st.sampled_from(G2_TAGS),
        st.dictionaries(st.sampled_from(G2_ATTRIBUTES), xml_text, max_size=3),
        xml_text,
        st.lists(children, max_size=4),
    )


xml_documents = st.one_of(
    st.recursive(element(st.just("")), element, max_leaves=15).map(str.encode),
    st.binary(max_size=200),
)


@FAST
@given(xml_documents)
def test_the_newsml_g2_reader_refuses_cleanly_whatever_it_is_given(data):
    assert_clean(list(newsmlg2.parse(data)))


@pytest.mark.django_db
@WITH_DATABASE
@given(
    st.one_of(
        ninjs_documents.map(lambda d: ("fuzz.json", d)),
        xml_documents.map(lambda d: ("fuzz.xml", d)),
    )
)
def test_importing_any_file_gives_an_outcome_per_item_and_never_raises(named):
    name, data = named
    with transaction.atomic():
        outcomes = ingest_bytes(data, name=name)
        transaction.set_rollback(True)
    # A file with no items (an empty list) is reported as skipped, with the reason.
    known = {Outcome.IMPORTED, Outcome.UPDATED, Outcome.FLAGGED, Outcome.UNCHANGED}
    for outcome in outcomes:
        assert outcome.status in known | {Outcome.FAILED, Outcome.SKIPPED}
        assert outcome.status not in {Outcome.FAILED, Outcome.SKIPPED} or outcome.reason


# Feeds: RSS and Atom from parts, and bytes.

feed_documents = st.one_of(
    st.builds(
        lambda title, link, guid, summary: (
            '<rss version="2.0"><channel><title>T</title><item>'
            f"<title>{escape(title)}</title><link>{escape(link)}</link>"
            f"<guid>{escape(guid)}</guid><description>{escape(summary)}</description>"
            "</item></channel></rss>"
        ).encode(),
        xml_text,
        st.one_of(xml_text, st.just("javascript:alert(1)"), st.just("https://news.example/1")),
        xml_text,
        xml_text,
    ),
    st.builds(
        lambda title, summary: (
            '<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>urn:1</id>'
            f'<title>{escape(title)}</title><summary type="html">{escape(summary)}</summary>'
            "</entry></feed>"
        ).encode(),
        xml_text,
        xml_text,
    ),
    st.binary(max_size=200),
)


@pytest.mark.django_db
@WITH_DATABASE
@given(feed_documents)
def test_a_feed_is_stored_or_refused_and_its_entries_are_safe(data):
    with transaction.atomic():
        source = SourceFactory(name="Fuzzed feed", feed_url="https://feeds.example/rss")
        try:
            store_entries(source, data)
        except FeedError:
            pass
        for entry in source.feed_entries.all():
            assert_only_allowed_markup(entry.summary)
            assert not entry.link or urlsplit(entry.link).scheme in {"http", "https"}
        transaction.set_rollback(True)


# Search: any query answers with a page of results (or none), on both databases.


@pytest.fixture
def searchable(db):
    ArticleFactory(headline="Łódź council votes on the budget", body="<p>Negotiators met.</p>")


@pytest.mark.django_db
@WITH_DATABASE
@given(query=hostile_text)
def test_any_search_query_answers_a_page(client, searchable, query):
    list(search_articles(query)[:5])
    response = client.get(reverse("articles:search"), {"q": query})
    assert response.status_code == 200


# Slugs: always a non-empty ASCII slug the URL patterns accept.


@FAST
@given(st.text(max_size=300), st.integers(min_value=5, max_value=120))
def test_any_headline_makes_a_url_safe_slug(headline, max_length):
    slug = ascii_slugify(headline, max_length=max_length)
    assert re.fullmatch(r"[a-z0-9_]+(?:-+[a-z0-9_]+)*", slug), slug
    assert len(slug) <= max_length
    url = reverse("articles:article-detail", kwargs={"section": "politics", "pk": 1, "slug": slug})
    assert url.endswith(f"-{slug}/")


# The sanitiser: only the allowlist survives, and cleaning twice changes nothing.


class MarkupAudit(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))

    handle_startendtag = handle_starttag


def assert_only_allowed_markup(html):
    audit = MarkupAudit()
    audit.feed(html)
    audit.close()
    for tag, attributes in audit.found:
        assert tag in ALLOWED_TAGS, (tag, html)
        for name, value in attributes:
            # nh3 also keeps `title` and `lang` on any tag (ammonia's generic attributes).
            allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | {"title", "lang"}
            allowed |= {"rel"} if tag == "a" else set()
            assert name in allowed, (tag, name, html)
            if name in {"href", "cite"} and value and ":" in value.split("/", 1)[0]:
                assert urlsplit(value.strip()).scheme.lower() in URL_SCHEMES, (value, html)


@FAST
@given(hostile_text)
def test_the_sanitiser_lets_only_the_allowlist_through(html):
    cleaned = sanitize_html(html)
    assert_only_allowed_markup(cleaned)
    assert sanitize_html(cleaned) == cleaned
