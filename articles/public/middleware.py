"""Cache headers, conditional GET and Django's page cache for anonymous readers.

A page a public view marked with `cache.record` is, for a reader without a session:
  - sent with `Cache-Control: public, max-age=0, s-maxage=N, stale-while-revalidate=M`,
    a strong ETag (a hash of the bytes), Last-Modified and its cache keys (`xkey`,
    `Surrogate-Key`) for a front cache; 304 to If-None-Match / If-Modified-Since. It reads
    no session and shows nothing personal, so it does not vary by cookie: one shared copy
    serves every reader (a front cache must pass requests with a session cookie, as
    deploy/varnish/newsroom.vcl does);
  - kept in Django's "pages" cache when NEWSROOM_PAGE_CACHE is on, until a purge of any of
    its keys, or the next moment a page may change by time alone (a scheduled go-live).
Anyone with a session (staff, a preview link's visitor) or a flash message is never served
a cached page, and gets `private, no-store`. A response that sets a cookie is never kept.

`X-Page-Cache: hit` or `miss` tells operators which one a reader got.

A cached page is valid while every key's purge stamp is older than the moment its
rendering began: a purge that lands mid-render leaves the old page unkept.
"""

import hashlib
import time

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe

from . import cache

# Query parameters that name a different page; any other (tracking tags, cache busters)
# is not kept, so nobody can fill the cache with variants of one page.
PAGE_PARAMETERS = {"before", "after", "page", "p", "section", "updated_since"}
PERSONAL_COOKIES = ("messages",)
KEPT_HEADERS_SKIPPED = {"cache-control", "x-page-cache"}


def personal(request):
    """A session (signed in, or holding a preview) or a flash message: not for sharing."""
    cookies = (settings.SESSION_COOKIE_NAME, *PERSONAL_COOKIES)
    return any(name in request.COOKIES for name in cookies)


def page_key(request):
    digest = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    return f"page:{digest}"


def may_keep(request):
    return (
        settings.NEWSROOM_PAGE_CACHE
        and request.method in {"GET", "HEAD"}
        and set(request.GET) <= PAGE_PARAMETERS
    )


def change_due(lifetime):
    """The page's lifetime was cut short by a change due by time."""
    return lifetime < settings.NEWSROOM_PAGE_CACHE_SECONDS


def shared_cache_control(response, lifetime, change_due):
    # A change due by time (a scheduled go-live): no stale copy past it.
    stale = 0 if change_due else settings.NEWSROOM_PAGE_STALE_SECONDS
    patch_cache_control(
        response, public=True, max_age=0, s_maxage=lifetime, stale_while_revalidate=stale
    )


def not_modified_or(request, response):
    last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
    return get_conditional_response(
        request, etag=response.get("ETag"), last_modified=last_modified, response=response
    )


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reader = not personal(request)
        if reader and may_keep(request):
            hit = self.cached(request)
            if hit is not None:
                return not_modified_or(request, hit)
        # What the page shows is read from here on: kept parts of it date from this moment.
        started = request.page_started = time.time()
        with cache.page_stamps():
            response = self.get_response(request)
        keys = getattr(request, "cache_keys", None)
        if keys is None:
            return response
        signed_in = hasattr(request, "user") and request.user.is_authenticated
        if not reader or signed_in:
            patch_cache_control(response, private=True, no_store=True)
            patch_vary_headers(response, ["Cookie"])
            return response
        if response.status_code != 200 or response.streaming or response.cookies:
            return response
        if "private" in response.get("Cache-Control", ""):
            return response
        self.label(request, response, keys)
        if may_keep(request) and request.method == "GET":
            self.keep(request, response, keys, started)
        return not_modified_or(request, response)

    def label(self, request, response, keys):
        """The headers every shared copy of the page carries."""
        if settings.NEWSROOM_PAGE_CACHE:
            lifetime = cache.seconds_until_next_change(settings.NEWSROOM_PAGE_CACHE_SECONDS)
            shared_cache_control(response, lifetime, change_due(lifetime))
        else:
            patch_cache_control(response, public=True, no_cache=True)
        if not response.has_header("ETag"):
            response["ETag"] = f'"{hashlib.sha256(response.content).hexdigest()[:40]}"'
        if not response.has_header("Last-Modified"):
            response["Last-Modified"] = http_date()
        response["xkey"] = response["Surrogate-Key"] = " ".join(sorted(keys))
        response["X-Page-Cache"] = "miss"

    def keep(self, request, response, keys, started):
        lifetime = cache.seconds_until_next_change(settings.NEWSROOM_PAGE_CACHE_SECONDS)
        if lifetime <= 0:
            return
        if not cache.no_purge_since(keys, started):
            return
        entry = {
            "content": response.content,
            "headers": [
                (name, value)
                for name, value in response.items()
                if name.lower() not in KEPT_HEADERS_SKIPPED
            ],
            "keys": sorted(keys),
            "started": started,
            "expires": time.time() + lifetime,
            "change_due": change_due(lifetime),
        }
        cache.page_cache().set(page_key(request), entry, timeout=lifetime)

    def cached(self, request):
        entry = cache.page_cache().get(page_key(request))
        if entry is None or not cache.keys_still_valid(entry["keys"], entry["started"]):
            return None
        lifetime = int(entry["expires"] - time.time())
        if lifetime <= 0:
            return None
        response = HttpResponse(entry["content"])
        for name, value in entry["headers"]:
            response[name] = value
        shared_cache_control(response, lifetime, entry["change_due"])
        response["X-Page-Cache"] = "hit"
        return response
