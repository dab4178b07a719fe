"""What a photo file says about itself: credit, caption, creator, rights and source.

XMP first, IPTC IIM as the fallback, read to prefill the photo form; nothing is kept from
the file itself.
"""

import logging
from dataclasses import dataclass

from defusedxml import ElementTree
from PIL import Image, IptcImagePlugin

from .storage import ACCEPTED_FORMATS

logger = logging.getLogger(__name__)


@dataclass
class PhotoMetadata:
    credit: str = ""
    caption: str = ""
    creator: str = ""
    copyright_notice: str = ""
    source: str = ""


NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "xml": "http://www.w3.org/XML/1998/namespace",
}

# IPTC IIM record 2 datasets, and record 1's coded character set.
IIM_FIELDS = {
    "credit": (2, 110),
    "caption": (2, 120),
    "creator": (2, 80),
    "copyright_notice": (2, 116),
    "source": (2, 115),
}
IIM_CHARSET = (1, 90)
IIM_UTF8 = b"\x1b%G"

# XMP first: IIM's Credit Line holds about 32 characters, XMP's holds the agency's full text.
XMP_FIELDS = {
    "credit": ("photoshop", "Credit"),
    "caption": ("dc", "description"),
    "creator": ("dc", "creator"),
    "copyright_notice": ("dc", "rights"),
    "source": ("photoshop", "Source"),
}


def read_metadata(file):
    """Credit, caption, creator, copyright notice and source from XMP, then IPTC IIM."""
    file.seek(0)
    try:
        with Image.open(file, formats=ACCEPTED_FORMATS) as image:
            xmp = xmp_values(image)
            iim = iim_values(image)
    except (OSError, SyntaxError, ValueError) as error:
        logger.info("No metadata read from an upload: %s", error)
        return PhotoMetadata()
    finally:
        file.seek(0)
    return PhotoMetadata(
        **{field: (xmp.get(field) or iim.get(field) or "").strip() for field in XMP_FIELDS}
    )


def xmp_values(image):
    packet = image.info.get("xmp") or image.info.get("XML:com.adobe.xmp")
    if not packet:
        return {}
    try:
        root = ElementTree.fromstring(packet)
    except Exception as error:  # malformed or hostile XML: the metadata is just not read
        logger.info("Unreadable XMP packet ignored: %s", error)
        return {}
    values = {}
    for description in root.iter(f"{{{NS['rdf']}}}Description"):
        for field, (prefix, name) in XMP_FIELDS.items():
            if values.get(field):
                continue
            tag = f"{{{NS[prefix]}}}{name}"
            value = description.get(tag)
            element = description.find(tag)
            if not value and element is not None:
                value = xmp_text(element)
            if value:
                values[field] = value
    return values


def xmp_text(element):
    """A simple value, or the items of an rdf:Alt (x-default first), Seq or Bag."""
    items = element.findall("rdf:Alt/rdf:li", NS)
    if items:
        default = [li for li in items if li.get(f"{{{NS['xml']}}}lang") == "x-default"]
        return (default or items)[0].text or ""
    items = element.findall("rdf:Seq/rdf:li", NS) + element.findall("rdf:Bag/rdf:li", NS)
    if items:
        return ", ".join(li.text for li in items if li.text)
    return element.text or ""


def iim_values(image):
    try:
        info = IptcImagePlugin.getiptcinfo(image) or {}
    except (OSError, SyntaxError, ValueError, IndexError, KeyError) as error:
        logger.info("Unreadable IPTC block ignored: %s", error)
        return {}
    utf8 = first(info.get(IIM_CHARSET)) == IIM_UTF8
    values = {}
    for field, key in IIM_FIELDS.items():
        raw = info.get(key)
        if raw:
            items = raw if isinstance(raw, list) else [raw]
            values[field] = ", ".join(decode_iim(item, utf8) for item in items)
    return values


def first(value):
    return value[0] if isinstance(value, list) else value


def decode_iim(raw, utf8):
    if utf8:
        return raw.decode("utf-8", errors="replace")
    # No declared character set: UTF-8 if it decodes, else a legacy 8-bit code page.
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")
