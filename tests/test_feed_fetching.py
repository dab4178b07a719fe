"""The feed poller fetches only public web addresses, within a deadline, and one slow or
broken feed never holds up the others.

Feeds are served by the tests on 127.0.0.1, which WIRE_FETCH_INTERNAL_HOSTS names as an
in-house host; without that setting loopback is refused like any internal address.
"""

import socket
import subprocess
import time
from io import StringIO

import pytest
from django.core.management import call_command

from articles.models import FeedEntry
from articles.wire.feeds import FeedError, fetch
from tests.factories import SourceFactory
from tests.web_server import body, redirect, serving, trickle

pytestmark = pytest.mark.django_db


def rss(count):
    items = "".join(
        f"<item><title>Story {n}</title><guid>urn:story:{n}</guid>"
        f"<link>https://news.example/{n}</link></item>"
        for n in range(1, count + 1)
    )
    return f'<rss version="2.0"><channel><title>T</title>{items}</channel></rss>'.encode()


@pytest.fixture
def in_house(settings):
    settings.WIRE_FETCH_INTERNAL_HOSTS = ["127.0.0.1"]
    settings.WIRE_FEED_TIMEOUT = 1.5


def poll():
    out, err = StringIO(), StringIO()
    started = time.monotonic()
    call_command("ingest_feeds", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue(), time.monotonic() - started


def test_a_feed_on_a_named_in_house_host_is_fetched(in_house):
    with serving({"/feed.xml": body(rss(2))}) as site:
        assert b"Story 2" in fetch(f"{site}/feed.xml")


def test_loopback_is_refused_unless_named_in_house(settings):
    settings.WIRE_FETCH_INTERNAL_HOSTS = []
    with serving({"/feed.xml": body(rss(2))}) as site:
        with pytest.raises(FeedError, match="127.0.0.1 is not a public address"):
            fetch(f"{site}/feed.xml")


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/feed.xml",
        "http://10.1.2.3/feed.xml",
        "http://192.168.0.10/feed.xml",
        "http://100.100.100.200/latest/meta-data/",
        "http://[::ffff:127.0.0.1]/feed.xml",
        "http://0.0.0.0/feed.xml",
    ],
    ids=[
        "AWS metadata",
        "IPv6 loopback",
        "private",
        "home router",
        "Alibaba metadata",
        "mapped loopback",
        "unspecified",
    ],
)
def test_internal_and_cloud_metadata_addresses_are_refused(in_house, url):
    with pytest.raises(FeedError, match="not a public address"):
        fetch(url)


def test_a_name_that_resolves_to_loopback_is_refused(in_house, monkeypatch):
    real = socket.getaddrinfo

    def resolve(host, *args, **kwargs):
        if host == "feeds.attacker.example":
            return real("127.0.0.1", *args, **kwargs)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    with pytest.raises(FeedError, match="not a public address"):
        fetch("http://feeds.attacker.example/feed.xml")


def test_a_redirect_to_an_internal_host_is_refused(in_house):
    with serving({"/feed.xml": redirect("http://localhost:9/admin")}) as site:
        with pytest.raises(FeedError, match="not a public address"):
            fetch(f"{site}/feed.xml")


def test_a_redirect_to_ftp_is_refused(in_house):
    with serving({"/feed.xml": redirect("ftp://127.0.0.1/feed.xml")}) as site:
        with pytest.raises(FeedError, match="only http and https"):
            fetch(f"{site}/feed.xml")


def test_a_redirect_within_the_allowed_host_is_followed(in_house):
    routes = {"/old.xml": redirect("/feed.xml", status=301), "/feed.xml": body(rss(1))}
    with serving(routes) as site:
        assert b"Story 1" in fetch(f"{site}/old.xml")


def test_endless_redirects_are_cut(in_house):
    with serving({"/loop.xml": redirect("/loop.xml")}) as site:
        with pytest.raises(FeedError, match="too many redirects"):
            fetch(f"{site}/loop.xml")


@pytest.mark.parametrize("headers_too", [False, True], ids=["body", "headers"])
def test_a_feed_trickling_a_byte_at_a_time_is_cut_at_the_deadline(in_house, headers_too):
    # Eight seconds of trickle, against a deadline of 1.5 s.
    with serving({"/slow.xml": trickle(b" " * 40, every=0.2, headers_too=headers_too)}) as site:
        started = time.monotonic()
        with pytest.raises(FeedError, match="deadline"):
            fetch(f"{site}/slow.xml")
        assert time.monotonic() - started < 2.5


def test_a_feed_keeps_only_its_newest_entries_up_to_the_cap(in_house, settings):
    settings.WIRE_FEED_MAX_ENTRIES = 3
    with serving({"/feed.xml": body(rss(10))}) as site:
        SourceFactory(name="Flood", feed_url=f"{site}/feed.xml")
        out, _, _ = poll()
    assert sorted(FeedEntry.objects.values_list("title", flat=True)) == [
        "Story 1",
        "Story 2",
        "Story 3",
    ]
    assert "Flood: 3 new entries" in out


def test_slow_feeds_do_not_hold_up_the_others(in_house):
    routes = {
        "/fast.xml": body(rss(1)),
        "/broken.xml": body(b"not a feed"),
        **{f"/slow{n}.xml": trickle(b" " * 40, every=0.2) for n in range(3)},
    }
    with serving(routes) as site:
        for n in range(3):
            SourceFactory(name=f"Slow {n}", feed_url=f"{site}/slow{n}.xml")
        SourceFactory(name="Broken", feed_url=f"{site}/broken.xml")
        SourceFactory(name="Fast", feed_url=f"{site}/fast.xml")
        out, err, elapsed = poll()

    assert "Fast: 1 new entries" in out
    assert err.count("deadline") == 3
    assert "Broken:" in err
    # Three slow feeds in turn would take three deadlines (4.5 s); together they take one.
    assert elapsed < 3.5
    assert list(FeedEntry.objects.values_list("title", flat=True)) == ["Story 1"]


@pytest.fixture
def certificate(tmp_path):
    """A self-signed certificate for 127.0.0.1 and localhost, made by the openssl tool."""
    pem = tmp_path / "server.pem"
    subprocess.run(
        [
            "/usr/bin/openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout",
            str(pem),
            "-out",
            str(pem),
        ],  # fmt: skip
        check=True,
        capture_output=True,
    )
    return pem


def test_https_refuses_a_certificate_nobody_vouches_for(in_house, certificate):
    with serving({"/feed.xml": body(rss(1))}, certificate=certificate) as site:
        with pytest.raises(FeedError, match="CERTIFICATE_VERIFY_FAILED"):
            fetch(f"{site}/feed.xml")


def test_https_fetches_from_a_trusted_certificate(in_house, certificate, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate))
    with serving({"/feed.xml": body(rss(1))}, certificate=certificate) as site:
        assert b"Story 1" in fetch(f"{site}/feed.xml")


def test_https_checks_the_certificate_against_the_name_not_the_pinned_address(
    settings, certificate, monkeypatch
):
    """The connection goes to the address checked, but the certificate must fit the name."""
    settings.WIRE_FETCH_INTERNAL_HOSTS = ["feeds.intranet.example"]
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate))
    real = socket.getaddrinfo
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda host, *args, **kwargs: real(
            "127.0.0.1" if host == "feeds.intranet.example" else host, *args, **kwargs
        ),
    )
    with serving({"/feed.xml": body(rss(1))}, certificate=certificate) as site:
        port = site.rsplit(":", 1)[1]
        with pytest.raises(FeedError, match="Hostname mismatch|doesn't match"):
            fetch(f"https://feeds.intranet.example:{port}/feed.xml")
