"""What every wire format parses into, and the helpers the format modules share.

Format modules (`ninjs`, `newsmlg2`, `feeds`) turn bytes into `ParsedItem`s; `store` turns
them into newsroom copy.
"""

import hashlib
import html
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.utils.dateparse import parse_datetime
from django.utils.text import Truncator


class ItemError(ValueError):
    """An item that cannot be imported; the message says why, for the desk to read."""


@dataclass
class Subject:
    code: str = ""
    name: str = ""


@dataclass
class ParsedItem:
    guid: str
    format: str
    kind: str = "text"  # "text" or "picture"; the rest are refused
    version: str = ""
    headline: str = ""
    body_html: str = ""
    standfirst: str = ""
    byline: str = ""
    language: str = ""
    subjects: list[Subject] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    services: list[Subject] = field(default_factory=list)
    provider: str = ""
    first_created: datetime | None = None
    version_created: datetime | None = None
    embargo_until: datetime | None = None
    copyright_holder: str = ""
    copyright_notice: str = ""
    usage_terms: str = ""
    credit: str = ""
    caption: str = ""
    rendition_href: str = ""
    link: str = ""
    # "usable", or "withheld" / "canceled": the agency's kill or hold.
    pub_status: str = "usable"
    pictures: list["ParsedItem"] = field(default_factory=list)
    payload_sha256: str = ""
    # Where relative rendition paths are resolved; None for uploads.
    base_dir: Path | None = None

    @property
    def version_key(self):
        """The stored version: the agency's, else the version's creation time, else the hash."""
        if self.version:
            return self.version
        if self.version_created:
            return self.version_created.isoformat()
        return self.payload_sha256[:16]


# Helpers the format modules share.


def clean_text(value):
    """Collapse the whitespace agencies leave in XML and JSON strings."""
    return " ".join(str(value or "").split())


def parse_wire_datetime(value, *, what):
    """An ISO 8601 date-time as an aware datetime (UTC when the wire gives no offset)."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ItemError(f"{what} must be an ISO 8601 date-time string, not {type(value).__name__}")
    text = value.strip()
    try:
        parsed = parse_datetime(text.replace("Z", "+00:00"))
    except ValueError:
        parsed = None
    if parsed is None:
        raise ItemError(f"{what} is not an ISO 8601 date-time: {Truncator(text).chars(40)!r}")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def text_to_html(text):
    """Plain wire text as paragraphs: blank lines or line breaks separate them."""
    blocks = re.split(r"\n\s*\n|\n", str(text or "").strip())
    return "".join(f"<p>{html.escape(' '.join(b.split()))}</p>" for b in blocks if b.strip())


_BODY = re.compile(r"<body\b[^>]*>(.*)</body\s*>", re.IGNORECASE | re.DOTALL)
# Wire HTML repeats the headline and the picture, which have fields of their own.
_REPEATED = re.compile(r"<(h1|figure|title)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)


def body_fragment(markup):
    """The article part of an agency HTML document; the allowlist is applied on save."""
    match = _BODY.search(markup or "")
    fragment = match.group(1) if match else markup or ""
    return _REPEATED.sub("", fragment)


def require_text(value, *, what):
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ItemError(f"{what} must be a string, not {type(value).__name__}")
    return value


def payload_hash(data):
    return hashlib.sha256(data).hexdigest()
