"""Keyset ("older than") pagination for the section, tag and author listings.

A page is named by the card it follows, `?before=<publish_at>.<id>`, or the card it
precedes, `?after=<publish_at>.<id>`: the database walks its (publish_at, id) index from
there and stops after one page, so page 5,000 costs what page 1 does. There is no page count
and no COUNT(*): readers get "Newer stories" and "Older stories" links.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlencode

from django.db.models import Q
from django.http import Http404

CURSOR_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def cursor_of(article):
    """`<publish_at in UTC>.<id>`: the article's place in newest-first order."""
    return f"{article.publish_at.astimezone(UTC).strftime(CURSOR_FORMAT)}.{article.pk}"


def parse_cursor(value):
    """(publish_at, id) from a cursor; a malformed one is a page that does not exist."""
    stamp, _, pk = value.rpartition(".")
    try:
        when = datetime.strptime(stamp, CURSOR_FORMAT).replace(tzinfo=UTC)
        pk = int(pk)
    except ValueError:
        raise Http404("No such page.") from None
    if not 0 < pk < 2**63:
        raise Http404("No such page.")
    return when, pk


@dataclass
class KeysetPage:
    object_list: list
    older: str = ""  # the query string of the next page down, or "" on the last page
    newer: str = ""  # the query string of the page above, or "" on the first page
    is_first: bool = True
    address: str = ""  # this page's own query string, for its canonical URL

    @property
    def has_other_pages(self):
        return bool(self.older or self.newer)


def older_than(queryset, when, pk):
    # `publish_at <= when` bounds the index range; the OR only settles ties at `when`.
    return queryset.filter(publish_at__lte=when).filter(Q(publish_at__lt=when) | Q(pk__lt=pk))


def newer_than(queryset, when, pk):
    return queryset.filter(publish_at__gte=when).filter(Q(publish_at__gt=when) | Q(pk__gt=pk))


def paginate(queryset, params, size):
    """The page of `queryset` (newest first) that `params` names, or None when an `after`
    page would reach the newest cards: that page is the listing's first, at its own URL."""
    if "before" in params:
        rows = list(older_than(queryset, *parse_cursor(params["before"]))[: size + 1])
        articles = rows[:size]
        return KeysetPage(
            articles,
            older=link("before", articles[-1]) if len(rows) > size else "",
            newer=link("after", articles[0]) if articles else "",
            is_first=False,
            address=urlencode({"before": params["before"]}),
        )
    if "after" in params:
        upward = newer_than(queryset, *parse_cursor(params["after"])).reverse()
        rows = list(upward[: size + 1])
        if len(rows) <= size:
            return None
        articles = rows[:size][::-1]
        return KeysetPage(
            articles,
            older=link("before", articles[-1]),
            newer=link("after", articles[0]),
            is_first=False,
            address=urlencode({"after": params["after"]}),
        )
    rows = list(queryset[: size + 1])
    articles = rows[:size]
    return KeysetPage(articles, older=link("before", articles[-1]) if len(rows) > size else "")


def link(direction, article):
    return urlencode({direction: cursor_of(article)})
