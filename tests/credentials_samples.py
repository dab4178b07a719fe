"""Agency pictures with C2PA manifests, signed here with a test agency's key.

The samples are signed with the c2pa library directly, as an agency's own tools would,
never with the newsroom's signing code.
"""

import json
from io import BytesIO

import c2pa

from articles.photos.signing_keys import new_signing_identity
from tests.photo_files import image_bytes

AGENCY = new_signing_identity("Reuters", "Reuters picture desk (test only)")
CAPTURE = "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture"
GENERATED = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
# A comment the agency's file carries; changing it after signing breaks the data hash.
COMMENT = b"Reuters picture 0001"
OFFLINE = {"verify": {"remote_manifest_fetch": False, "ocsp_fetch": False}}


def agency_signed(
    *,
    source_type=CAPTURE,
    author="Anna Nowak",
    publisher="Reuters",
    identity=AGENCY,
    size=(800, 450),
    **save,
):
    """A JPEG as an agency sends it: its manifest names the photographer and the agency."""
    content = image_bytes("JPEG", size=size, comment=COMMENT, **save)
    work = {"@context": "https://schema.org", "@type": "CreativeWork"}
    if author:
        work["author"] = [{"@type": "Person", "name": author}]
    if publisher:
        work["publisher"] = {"@type": "Organization", "name": publisher}
    manifest = {
        "claim_generator_info": [{"name": "Agency Picture Desk", "version": "7.1"}],
        "title": "agency.jpg",
        "assertions": [
            {
                "label": "c2pa.actions",
                "data": {
                    "actions": [{"action": "c2pa.created", "digitalSourceType": source_type}]
                },
            },
            {"label": "stds.schema-org.CreativeWork", "data": work},
        ],
    }
    info = c2pa.C2paSignerInfo(
        c2pa.C2paSigningAlg.ES256, identity.certificate_chain_pem, identity.private_key_pem, None
    )
    signed = BytesIO()
    with (
        c2pa.Signer.from_info(info) as signer,
        c2pa.Builder(manifest, context=c2pa.Context.from_dict(OFFLINE)) as builder,
    ):
        builder.sign(signer, "image/jpeg", BytesIO(content), signed)
    return signed.getvalue()


def tampered(signed):
    """The signed file with its comment changed afterwards: the signature no longer fits."""
    assert COMMENT in signed
    return signed.replace(COMMENT, b"Altered picture 0001")


def manifest_store(content):
    """Everything the c2pa library reads from a file, or None when it has no manifest."""
    reader = c2pa.Reader.try_create(None, BytesIO(content), None, c2pa.Context.from_dict(OFFLINE))
    if reader is None:
        return None
    with reader:
        return json.loads(reader.json())
