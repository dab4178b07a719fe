"""Photo files as agencies and cameras send them, written byte by byte for the tests."""

from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

AGENCY_CREDIT = (
    "EPA/PHOTOGRAPHER NAME / SPUTNIK / KREMLIN POOL MANDATORY CREDIT Dostawca: PAP/EPA."
)
CAMERA_SERIAL = "SN-4242-PHOTOGRAPHER"

GPS_IFD = 0x8825
EXIF_IFD = 0x8769
MAKE, MODEL, ORIENTATION = 0x010F, 0x0110, 0x0112
BODY_SERIAL = 0xA431


def image_bytes(fmt="JPEG", size=(640, 360), color="steelblue", **save):
    buffer = BytesIO()
    Image.new("RGB", size, color).save(buffer, fmt, **save)
    return buffer.getvalue()


def camera_exif(orientation=1):
    """What a phone or camera writes: position, make, model, serial, orientation."""
    exif = Image.Exif()
    exif[MAKE] = "Canon"
    exif[MODEL] = "EOS R5"
    exif[ORIENTATION] = orientation
    exif[GPS_IFD] = {1: "N", 2: (52.0, 13.0, 30.0), 3: "E", 4: (21.0, 0.0, 5.0)}
    exif[EXIF_IFD] = {BODY_SERIAL: CAMERA_SERIAL}
    return exif


def xmp_packet(credit="", caption="", creator="", rights="", source=""):
    """An XMP packet with the IPTC Core fields the desk reads, as Photo Mechanic writes."""
    parts = []
    if credit:
        parts.append(f"<photoshop:Credit>{escape(credit)}</photoshop:Credit>")
    if source:
        parts.append(f"<photoshop:Source>{escape(source)}</photoshop:Source>")
    if caption:
        parts.append(
            "<dc:description><rdf:Alt>"
            f'<rdf:li xml:lang="x-default">{escape(caption)}</rdf:li>'
            "</rdf:Alt></dc:description>"
        )
    if creator:
        parts.append(
            f"<dc:creator><rdf:Seq><rdf:li>{escape(creator)}</rdf:li></rdf:Seq></dc:creator>"
        )
    if rights:
        parts.append(
            f'<dc:rights><rdf:Alt><rdf:li xml:lang="x-default">{escape(rights)}</rdf:li>'
            "</rdf:Alt></dc:rights>"
        )
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/">'
        f"{''.join(parts)}</rdf:Description></rdf:RDF></x:xmpmeta>"
        '<?xpacket end="w"?>'
    ).encode()


def iim_dataset(record, dataset, value):
    return bytes([0x1C, record, dataset]) + len(value).to_bytes(2, "big") + value


def with_iim(jpeg, datasets, utf8=True):
    """The JPEG with an APP13 Photoshop block holding IPTC IIM datasets {(2, 110): b"..."}.

    utf8 declares the coded character set (1:90 ESC % G); without it, legacy 8-bit text.
    """
    data = iim_dataset(1, 90, b"\x1b%G") if utf8 else b""
    data += b"".join(iim_dataset(r, d, value) for (r, d), value in datasets.items())
    resource = b"8BIM" + (0x0404).to_bytes(2, "big") + b"\0\0" + len(data).to_bytes(4, "big")
    resource += data + (b"\0" if len(data) % 2 else b"")
    payload = b"Photoshop 3.0\0" + resource
    segment = b"\xff\xed" + (len(payload) + 2).to_bytes(2, "big") + payload
    return jpeg[:2] + segment + jpeg[2:]


def upload(content, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def files_under(root):
    root = Path(root)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []
