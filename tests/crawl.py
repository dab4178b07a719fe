"""A bounded crawl of the site as readers and each desk role reach it, collecting 5xx answers."""

import html
import json
import re
from collections import Counter, deque
from urllib.parse import urljoin, urlsplit

from django.contrib import admin
from django.urls import Resolver404, resolve, reverse

HOST = "testserver"
LINK = re.compile(r"""(?:href|action)="([^"]*)"|<loc>([^<]*)</loc>""")
# Files, not pages; logging out ends the crawl's session.
SKIPPED = ("/media/", "/static/", "/admin/logout/")
PUBLIC_SEEDS = [
    "/",
    "/robots.txt",
    "/sitemap.xml",
    "/sitemap-news.xml",
    "/feeds/rss/",
    "/feeds/atom/",
    "/api/articles/",
    "/search/?q=%C5%82%C3%B3d%C5%BA",
]


class Crawl:
    """Breadth first from the seeds, GET only, each address once.

    `per_route` caps how many addresses of one URL pattern are fetched (the demo has
    hundreds of tag pages and admin filter links that all run the same code); the
    patterns named in `every` are fetched without a cap.
    """

    def __init__(self, client, *, within, per_route, every=()):
        self.client, self.within, self.per_route = client, within, per_route
        self.every = set(every)
        self.seen, self.fetched, self.errors = set(), Counter(), []

    def run(self, seeds):
        queue = deque()
        for url in seeds:
            self._enqueue(queue, url, force=True)
        while queue:
            url = queue.popleft()
            response = self.client.get(url)
            if response.status_code >= 500:
                self.errors.append(f"{response.status_code} {url}")
                continue
            if response.status_code in (301, 302):
                self._enqueue(queue, response["Location"], base=url)
                continue
            if response.status_code != 200 or response.streaming:
                continue
            for link in self._links(response):
                self._enqueue(queue, link, base=url)
        return self

    @property
    def pages(self):
        return sum(self.fetched.values())

    def _links(self, response):
        text = response.content.decode("utf-8", "replace")
        if response["Content-Type"].startswith("application/json"):
            yield from _json_strings(json.loads(text))
            return
        for href, loc in LINK.findall(text):
            yield html.unescape(href or loc)

    def _enqueue(self, queue, url, base="/", force=False):
        parts = urlsplit(urljoin(f"http://{HOST}{base}", url.strip()))
        if parts.scheme not in ("http", "https") or parts.hostname != HOST:
            return
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path in self.seen or not parts.path.startswith(self.within):
            return
        if parts.path.startswith(SKIPPED):
            return
        route = _route(parts.path)
        if not force and route not in self.every and self.fetched[route] >= self.per_route:
            return
        self.seen.add(path)
        self.fetched[route] += 1
        queue.append(path)


def _route(path):
    try:
        return resolve(path).view_name
    except Resolver404:
        return "unresolved"


def _json_strings(data):
    if isinstance(data, dict):
        data = list(data.values())
    if isinstance(data, list):
        for value in data:
            yield from _json_strings(value)
    elif isinstance(data, str) and (data.startswith(("/", f"http://{HOST}/"))):
        yield data


def admin_seeds(per_model):
    """The admin index, every model's list, and up to `per_model` change pages of each."""
    seeds = [reverse("admin:index")]
    for model in admin.site._registry:
        opts = model._meta
        seeds.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        for pk in model._default_manager.order_by("-pk").values_list("pk", flat=True)[:per_model]:
            seeds.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[pk]))
    return seeds
