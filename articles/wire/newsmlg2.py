"""IPTC NewsML-G2 (XML): a `newsItem`, a `newsMessage` carrying several items, and
`packageItem`s whose `itemRef`s tie pictures to the text they illustrate. Text bodies come
as NITF or XHTML in `inlineXML`, or plain text in `inlineData`; a bare NITF document or a
`contentSet` holding one is accepted too.

Parsed with defusedxml: entity declarations (billion laughs) and external entities or DTDs
(XXE) are refused, not expanded.
"""

import html
import xml.etree.ElementTree as ET  # noqa: S405 (only to serialise trees defusedxml parsed)
from urllib.parse import urlsplit

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from .parsed import (
    ItemError,
    ParsedItem,
    Subject,
    clean_text,
    parse_wire_datetime,
    payload_hash,
    text_to_html,
)

FORMAT = "newsml-g2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# NITF block elements that have an allowlisted HTML counterpart.
NITF_TO_HTML = {"hl2": "h3", "bq": "blockquote", "block": "div", "em": "em", "pre": "p"}


def _strip_namespaces(root):
    for element in root.iter():
        if isinstance(element.tag, str) and "}" in element.tag:
            element.tag = element.tag.split("}", 1)[1]
    return root


def parse(data, *, base_dir=None):
    """Yield (label, ParsedItem or ItemError) for every item in a NewsML-G2 document."""
    try:
        root = _strip_namespaces(fromstring(data, forbid_dtd=False))
    except DefusedXmlException as error:
        yield "", ItemError(f"refused unsafe XML ({type(error).__name__}: {error})")
        return
    except ET.ParseError as error:
        yield "", ItemError(f"not well-formed XML: {error}")
        return
    digest = payload_hash(data)
    if root.tag == "newsMessage":
        elements = root.findall("./itemSet/*")
    elif root.tag in {"newsItem", "packageItem", "nitf", "contentSet"}:
        elements = [root]
    else:
        yield "", ItemError(f"<{root.tag}> is not a NewsML-G2 newsItem, newsMessage or NITF")
        return

    parsed, packages = {}, []
    for index, element in enumerate(elements, start=1):
        label = element.get("guid") or f"{element.tag} {index}"
        if element.tag == "packageItem":
            packages.append(element)
            continue
        try:
            item = parse_item(element, base_dir=base_dir, digest=digest)
        except ItemError as error:
            yield label, error
            continue
        parsed[item.guid] = item

    # Packages and item links tie pictures to their text; the pictures travel with it.
    attached = set()
    for package in packages:
        refs = [ref.get("residref") for ref in package.iter("itemRef") if ref.get("residref")]
        texts = [parsed[r] for r in refs if r in parsed and parsed[r].kind == "text"]
        pictures = [parsed[r] for r in refs if r in parsed and parsed[r].kind == "picture"]
        for text in texts[:1]:
            text.pictures.extend(pictures)
            attached.update(p.guid for p in pictures)
    for item in parsed.values():
        for guid in getattr(item, "linked_guids", ()):
            if guid in parsed and parsed[guid].kind == "picture" and item.kind == "text":
                item.pictures.append(parsed[guid])
                attached.add(guid)
    for guid, item in parsed.items():
        # A picture that illustrates a text in this message arrives with it.
        if guid not in attached:
            yield guid, item


def _text(element, path):
    found = element.find(path) if element is not None else None
    return clean_text("".join(found.itertext())) if found is not None else ""


def _name(element, language=""):
    """A concept's name: in the item's language if given, else the first one."""
    names = element.findall("name")
    for name in names:
        if language and (name.get(XML_LANG) or "").lower().startswith(language[:2].lower()):
            return clean_text("".join(name.itertext()))
    return clean_text("".join(names[0].itertext())) if names else ""


def _qcode_value(qcode):
    return qcode.split(":", 1)[-1] if qcode else ""


def _party(element):
    """A provider or holder's readable name: <name>, else its qcode's code, else its host."""
    if element is None:
        return ""
    return (
        _name(element)
        or _qcode_value(element.get("qcode", ""))
        or (urlsplit(element.get("uri", "")).hostname or "")
        or element.get("literal", "")
    )


def _inner_html(element, rename=None):
    """Serialise an element's children as HTML; the allowlist is applied on save."""
    rename = rename or {}
    parts = [html.escape(element.text or "")]
    for child in element:
        child_copy = ET.fromstring(ET.tostring(child))  # noqa: S314 (our own serialisation)
        for node in child_copy.iter():
            if node.tag in rename:
                node.tag = rename[node.tag]
        parts.append(ET.tostring(child_copy, encoding="unicode", method="html"))
    return " ".join("".join(parts).split())


def _nitf(nitf, item):
    """Headline, byline, abstract and body from an NITF document."""
    body = nitf.find("body") if nitf.tag == "nitf" else nitf
    if body is None:
        return
    head = body.find("body.head")
    if head is not None:
        item.headline = item.headline or _text(head, "hedline/hl1")
        byline = head.find("byline")
        if byline is not None and not item.byline:
            item.byline = clean_text("".join(byline.itertext()))
        item.standfirst = item.standfirst or _text(head, "abstract")
    content = body.find("body.content")
    if content is not None:
        for media in content.findall(".//media/.."):
            for node in media.findall("media"):
                media.remove(node)
        item.body_html = _inner_html(content, NITF_TO_HTML)


def _content(content_set, item):
    if content_set is None:
        return
    for inline in content_set.findall("inlineXML"):
        nitf = inline.find("nitf")
        if nitf is not None:
            _nitf(nitf, item)
            return
        xhtml = inline.find("html")
        if xhtml is not None:
            body = xhtml.find("body")
            item.body_html = _inner_html(body if body is not None else xhtml)
            return
    for inline in content_set.findall("inlineData"):
        item.body_html = text_to_html(inline.text or "")
        return
    renditions = content_set.findall("remoteContent")
    if renditions:

        def rank(element):
            rendition = element.get("rendition", "")
            try:
                area = int(element.get("width", 0)) * int(element.get("height", 0))
            except ValueError:
                area = 0
            return (rendition.endswith("highRes"), area)

        item.rendition_href = (max(renditions, key=rank).get("href") or "").strip()


def parse_item(element, *, base_dir=None, digest=""):
    if element.tag in {"nitf", "contentSet"}:
        # A body without an envelope: its identity is its content.
        item = ParsedItem(guid=f"urn:sha256:{digest}", format="nitf", base_dir=base_dir)
        if element.tag == "nitf":
            _nitf(element, item)
        else:
            _content(element, item)
        item.payload_sha256 = digest
        return item

    guid = (element.get("guid") or "").strip()
    if not guid:
        raise ItemError("the newsItem has no guid")
    item_meta = element.find("itemMeta")
    content_meta = element.find("contentMeta")
    if item_meta is None or content_meta is None:
        raise ItemError("the newsItem lacks itemMeta or contentMeta (both are required)")
    item_class = item_meta.find("itemClass")
    kind = _qcode_value(item_class.get("qcode", "")) if item_class is not None else ""
    language_tag = content_meta.find("language")
    language = (
        language_tag.get("tag", "") if language_tag is not None else element.get(XML_LANG, "")
    )
    rights = element.find("rightsInfo")
    holder = _party(rights.find("copyrightHolder")) if rights is not None else ""
    item = ParsedItem(
        guid=guid,
        format=FORMAT,
        kind={"text": "text", "picture": "picture", "composite": "text"}.get(kind, kind),
        version=(element.get("version") or "").strip(),
        headline=_text(content_meta, "headline"),
        language=language,
        provider=_party(item_meta.find("provider")) or holder,
        first_created=parse_wire_datetime(_text(item_meta, "firstCreated"), what="firstCreated"),
        version_created=parse_wire_datetime(
            _text(item_meta, "versionCreated"), what="versionCreated"
        ),
        embargo_until=parse_wire_datetime(_text(item_meta, "embargoed"), what="embargoed"),
        copyright_holder=holder,
        copyright_notice=_text(rights, "copyrightNotice"),
        usage_terms=_text(rights, "usageTerms"),
        credit=_text(content_meta, "creditline"),
        base_dir=base_dir,
        payload_sha256=digest,
    )
    pub_status = item_meta.find("pubStatus")
    if pub_status is not None:
        item.pub_status = _qcode_value(pub_status.get("qcode", "")).lower() or "usable"
    if item.version and not item.version.isdigit():
        raise ItemError(f"version must be a whole number, not {item.version!r}")
    item.services = [
        Subject(code=s.get("qcode", ""), name=_name(s)) for s in item_meta.findall("service")
    ]
    item.subjects = [
        Subject(code=s.get("qcode", "") or s.get("literal", ""), name=_name(s, language))
        for s in content_meta.findall("subject")
    ]
    item.keywords = [clean_text(k.text) for k in content_meta.findall("keyword") if k.text]
    creators = [_name(c) for c in content_meta.findall("creator")]
    item.byline = ", ".join(c for c in creators if c)
    descriptions = content_meta.findall("description")
    for description in descriptions:
        text = clean_text("".join(description.itertext()))
        role = description.get("role", "")
        if role.endswith("caption"):
            item.caption = text
        elif not item.standfirst:
            item.standfirst = text
    if item.kind == "picture":
        item.caption = item.caption or item.standfirst
        item.credit = item.credit or "/".join(p for p in (item.byline, item.provider) if p)
        item.byline = ""
    item.linked_guids = [
        link.get("residref")
        for link in item_meta.findall("link")
        if link.get("residref") and "assoc" in link.get("rel", "")
    ]
    byline_from_meta = item.byline
    item.byline = ""
    _content(element.find("contentSet"), item)
    item.byline = item.byline or byline_from_meta
    return item
