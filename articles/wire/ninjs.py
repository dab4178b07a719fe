"""IPTC NINJS (News in JSON) 1.x, 2.x and 3.x items.

1.x names properties in lower case with single values (`headline`, `body_html`,
`description_text`, `subject`, `byline`, `associations` as an object); 2.x keeps lower case
but uses arrays of objects (`headlines`, `bodies`, `descriptions`, `subjects`, `by`,
`associations` as an array); 3.x is 2.x in camelCase (`versionCreated`, `embargoedUntil`).
Keys are matched without regard to case, so one reader handles all three.
"""

import json
from urllib.parse import urlsplit

from django.utils.html import strip_tags

from ..sanitize import sanitize_html
from .parsed import (
    ItemError,
    ParsedItem,
    Subject,
    body_fragment,
    clean_text,
    parse_wire_datetime,
    payload_hash,
    require_text,
    text_to_html,
)

FORMAT = "ninjs"
HTML_TYPES = ("text/html", "application/xhtml+xml")


def parse(data, *, base_dir=None):
    """Yield (label, ParsedItem or ItemError) for a NINJS document: one item or a list."""
    try:
        document = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        yield "", ItemError(f"not valid JSON: {error}")
        return
    except RecursionError:
        yield "", ItemError("not valid NINJS: the JSON is nested too deeply")
        return
    items = document if isinstance(document, list) else [document]
    for index, raw in enumerate(items, start=1):
        label = f"item {index}" if isinstance(document, list) else ""
        try:
            if not isinstance(raw, dict):
                raise ItemError(f"a NINJS item is a JSON object, not {type(raw).__name__}")
            item = parse_item(raw, base_dir=base_dir)
            item.payload_sha256 = payload_hash(json.dumps(raw, sort_keys=True).encode())
            yield (label or item.guid), item
        except ItemError as error:
            uri = raw.get("uri") if isinstance(raw, dict) else None
            yield (label or (uri if isinstance(uri, str) else "")), error


def _lower_keys(raw):
    return {str(key).lower(): value for key, value in raw.items()}


def _list_of_objects(value, *, what):
    if value is None:
        return []
    if isinstance(value, dict):  # 1.x: {"mainpic": {...}}, renditions {"main": {...}}
        return [{"name": key, **v} for key, v in value.items() if isinstance(v, dict)]
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ItemError(f"{what} must be a list of objects")
    return [_lower_keys(v) for v in value]


def _pick(entries, roles=(), types=()):
    """The first entry whose role or content type is preferred, else the first entry."""
    for wanted in roles:
        for entry in entries:
            if str(entry.get("role", "")).lower() == wanted:
                return entry
    for wanted in types:
        for entry in entries:
            if str(entry.get("contenttype", "")).lower() == wanted:
                return entry
    return entries[0] if entries else None


def _as_html(entry):
    value = require_text(entry.get("value"), what="a body or description value")
    is_html = str(entry.get("contenttype", "")).lower() in HTML_TYPES or str(
        entry.get("role", "")
    ).lower().startswith(("html", "xhtml", "richhtml"))
    return body_fragment(value) if is_html else text_to_html(value)


def _body(raw):
    if "bodies" in raw:
        bodies = _list_of_objects(raw["bodies"], what="bodies")
        html_bodies = [
            b
            for b in bodies
            if str(b.get("contenttype", "")).lower() in HTML_TYPES
            or str(b.get("role", "")).lower() in {"html", "html5", "xhtml"}
        ]
        chosen = _pick(html_bodies, roles=("html", "xhtml", "html5")) or _pick(bodies)
        return _as_html(chosen) if chosen else ""
    for key, convert in (
        ("body_html", body_fragment),
        ("body_xhtml", body_fragment),
        ("body_text", text_to_html),
    ):
        if key in raw:
            return convert(require_text(raw[key], what=key))
    return ""


def _descriptions(raw):
    """(text description, caption, credit line) from 1.x or 2.x/3.x descriptions."""
    if "descriptions" in raw:
        entries = _list_of_objects(raw["descriptions"], what="descriptions")
        credit = next((e for e in entries if str(e.get("role", "")).lower() == "creditline"), None)
        others = [e for e in entries if e is not credit]
        summary = _pick(others, roles=("summary", "text", "caption", "description"))
        caption = _pick(others, roles=("caption",))
        return (
            clean_text(require_text(summary.get("value"), what="description")) if summary else "",
            clean_text(require_text(caption.get("value"), what="caption")) if caption else "",
            clean_text(require_text(credit.get("value"), what="credit line")) if credit else "",
        )
    text = require_text(raw.get("description_text"), what="description_text")
    if not text:
        markup = raw.get("description_html") or raw.get("description_xhtml")
        text = strip_tags(sanitize_html(require_text(markup, what="description_html")))
    text = clean_text(text)
    return text, text, ""


def _headline(raw):
    if "headlines" in raw:
        chosen = _pick(_list_of_objects(raw["headlines"], what="headlines"), roles=("main",))
        return clean_text(require_text(chosen.get("value"), what="headline")) if chosen else ""
    return clean_text(require_text(raw.get("headline"), what="headline"))


def _subjects(raw):
    entries = _list_of_objects(raw.get("subjects", raw.get("subject")), what="subjects")
    subjects = []
    for entry in entries:
        code = entry.get("literal") or entry.get("code") or entry.get("uri") or ""
        subjects.append(
            Subject(
                code=clean_text(require_text(code, what="subject code")),
                name=clean_text(require_text(entry.get("name"), what="subject name")),
            )
        )
    return subjects


def _provider(raw, uri, credit):
    sources = _list_of_objects(raw.get("infosources", raw.get("infosource")), what="infosources")
    for entry in sources:
        if str(entry.get("role", "")).lower().rsplit(":", 1)[-1] in {"provider", "distributor"}:
            return require_text(entry.get("name"), what="infosource name")
    holder = require_text(raw.get("copyrightholder"), what="copyrightholder")
    if holder or credit:
        return holder or credit
    if sources and sources[0].get("name"):
        return require_text(sources[0]["name"], what="infosource name")
    return urlsplit(uri).hostname or ""


def _rendition(raw):
    renditions = _list_of_objects(raw.get("renditions"), what="renditions")
    images = [
        r
        for r in renditions
        if str(r.get("contenttype") or r.get("mimetype") or "image/").startswith("image/")
        and isinstance(r.get("href"), str)
    ]
    if not images:
        return ""

    def area(r):
        width, height = r.get("width"), r.get("height")
        return width * height if isinstance(width, int) and isinstance(height, int) else 0

    return max(images, key=area)["href"]


def parse_item(raw, *, base_dir=None, inherited_provider="", nested=False):
    raw = _lower_keys(raw)
    uri = raw.get("uri")
    if not uri or not isinstance(uri, str):
        raise ItemError("the item has no uri (required by every NINJS version)")
    kind = require_text(raw.get("type"), what="type") or "text"
    version = raw.get("version", "")
    if isinstance(version, int) and not isinstance(version, bool):
        version = str(version)
    version = require_text(version, what="version")
    summary, caption, credit = _descriptions(raw)
    byline = raw.get("by", raw.get("byline"))
    item = ParsedItem(
        guid=uri.strip(),
        format=FORMAT,
        kind="text" if kind == "composite" else kind,
        version=version.strip(),
        headline=_headline(raw) or clean_text(require_text(raw.get("title"), what="title")),
        body_html=_body(raw),
        standfirst=summary,
        byline=clean_text(require_text(byline, what="by/byline")),
        language=clean_text(require_text(raw.get("language"), what="language")),
        subjects=_subjects(raw),
        first_created=parse_wire_datetime(raw.get("firstcreated"), what="firstcreated"),
        version_created=parse_wire_datetime(raw.get("versioncreated"), what="versioncreated"),
        embargo_until=parse_wire_datetime(
            raw.get("embargoeduntil", raw.get("embargoed")), what="embargoed"
        ),
        copyright_holder=clean_text(require_text(raw.get("copyrightholder"), what="holder")),
        copyright_notice=clean_text(require_text(raw.get("copyrightnotice"), what="notice")),
        usage_terms=clean_text(require_text(raw.get("usageterms"), what="usageterms")),
        credit=credit,
        caption=caption,
        pub_status=require_text(raw.get("pubstatus"), what="pubstatus").lower() or "usable",
        rendition_href=_rendition(raw),
        base_dir=base_dir,
    )
    item.provider = inherited_provider or _provider(raw, item.guid, credit)
    if nested:  # a picture's own associations are not followed
        return item
    for association in _list_of_objects(raw.get("associations"), what="associations"):
        if str(association.get("type", "")).lower() != "picture":
            continue
        picture = parse_item(
            association, base_dir=base_dir, inherited_provider=item.provider, nested=True
        )
        item.pictures.append(picture)
    return item
