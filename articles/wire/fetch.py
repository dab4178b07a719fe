"""The wire desk's one way to fetch from the network: feeds and agency pictures.

A URL given by a Source or a wire file is attacker-controlled, so a fetch:

- speaks only http and https;
- resolves the host once and refuses it unless every address is public (no loopback,
  private, link-local, cloud-metadata, shared, multicast or reserved address), except
  for hosts named in WIRE_FETCH_INTERNAL_HOSTS; it then connects to the address it
  checked, so a second DNS answer cannot send it elsewhere;
- follows redirects itself, checking every hop the same way;
- keeps one total deadline over connecting, redirects, headers and body, so a server
  trickling a byte at a time is cut off, and caps the body's size.
"""

import http.client
import ipaddress
import socket
import threading
import time
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.http.request import validate_host

USER_AGENT = "newsroom-wire-desk/1.0"
MAX_REDIRECTS = 5
CHUNK = 64 * 1024
REDIRECTS = {301, 302, 303, 307, 308}


class FetchError(Exception):
    """Why a URL was not fetched, in words for the desk."""


def fetch(url, *, max_bytes, deadline, allowed_hosts=None):
    """The body at `url` (after redirects), within `deadline` seconds and `max_bytes`.

    `allowed_hosts`, when given, limits every hop to those hosts (ALLOWED_HOSTS syntax:
    "tt.se", ".tt.se" for the domain and its subdomains).
    """
    ends_at = time.monotonic() + deadline
    for _ in range(MAX_REDIRECTS + 1):
        scheme, host, port, address = _checked_target(url, allowed_hosts)
        connection = _connection(scheme, host, port, address, ends_at)
        # Socket timeouts bound each read, not the total: at the deadline the socket is cut.
        watchdog = threading.Timer(max(0.0, ends_at - time.monotonic()), connection.cut)
        watchdog.start()
        try:
            response = _request(connection, url, ends_at, deadline)
            if response.status in REDIRECTS:
                location = response.getheader("Location")
                if not location:
                    raise FetchError(f"{url}: a redirect without a Location")
                url = urljoin(url, location)
                continue
            if response.status != 200:
                raise FetchError(f"{url}: the server answered {response.status}")
            return _read(response, url, max_bytes, ends_at, deadline)
        except (OSError, http.client.HTTPException, ValueError) as error:
            # The watchdog cutting the socket surfaces as one of these mid-read.
            if time.monotonic() >= ends_at:
                raise _too_slow(url, deadline) from error
            raise FetchError(f"{url}: {type(error).__name__}: {error}") from error
        finally:
            watchdog.cancel()
            connection.close()
    raise FetchError(f"{url}: too many redirects (more than {MAX_REDIRECTS})")


def is_public(address):
    """Whether an IP address is on the public internet (not internal, metadata or special)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _checked_target(url, allowed_hosts):
    """(scheme, host, port, the checked address to connect to), or FetchError."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in {"http", "https"}:
        raise FetchError(f"{url}: only http and https URLs are fetched")
    try:
        host, port = parts.hostname, parts.port or (443 if scheme == "https" else 80)
    except ValueError as error:
        raise FetchError(f"{url}: {error}") from error
    if not host:
        raise FetchError(f"{url}: no host")
    if allowed_hosts is not None and not validate_host(host, allowed_hosts):
        raise FetchError(f"{url}: {host} is not one of the allowed hosts")
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise FetchError(f"{url}: {host} could not be resolved ({error})") from error
    addresses = [info[4][0] for info in found]
    if host.lower() not in {h.lower() for h in settings.WIRE_FETCH_INTERNAL_HOSTS}:
        for address in addresses:
            if not is_public(address):
                where = address if host == address else f"{host} resolves to {address}, which"
                raise FetchError(f"{url}: {where} is not a public address")
    return scheme, host, port, addresses[0]


class _Pinned:
    """Connects to the address that was checked, whatever DNS says now; can be cut."""

    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self.address = address
        self.open_socket = None

    def connect(self):
        self.sock = self.open_socket = socket.create_connection(
            (self.address, self.port), self.timeout
        )

    def cut(self):
        """Interrupt whatever read is blocked on the socket (from another thread)."""
        if self.open_socket is not None:
            try:
                self.open_socket.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # already closed


class _PinnedHTTPConnection(_Pinned, http.client.HTTPConnection):
    pass


class _PinnedHTTPSConnection(_Pinned, http.client.HTTPSConnection):
    def connect(self):
        super().connect()
        # The certificate is checked against the host name, not the address.
        self.sock = self.open_socket = self._context.wrap_socket(
            self.sock, server_hostname=self.host
        )


def _connection(scheme, host, port, address, ends_at):
    cls = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
    return cls(host, port, address, timeout=max(0.01, ends_at - time.monotonic()))


def _request(connection, url, ends_at, deadline):
    connection.connect()
    if time.monotonic() >= ends_at:
        raise _too_slow(url, deadline)
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection.request(
        "GET", target, headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
    )
    response = connection.getresponse()
    if time.monotonic() >= ends_at:
        raise _too_slow(url, deadline)
    return response


def _read(response, url, max_bytes, ends_at, deadline):
    declared = response.getheader("Content-Length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(f"{url}: larger than the {max_bytes:,}-byte limit")
    chunks, size = [], 0
    while True:
        if time.monotonic() >= ends_at:
            raise _too_slow(url, deadline)
        chunk = response.read1(CHUNK)
        if not chunk:
            break
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"{url}: larger than the {max_bytes:,}-byte limit")
        chunks.append(chunk)
    if time.monotonic() >= ends_at:
        raise _too_slow(url, deadline)
    return b"".join(chunks)


def _too_slow(url, deadline):
    return FetchError(f"{url}: no complete answer within the {deadline:g}-second deadline")
