"""Content credentials (C2PA): what a photo's manifest says, and the newsroom's signature.

Agencies attach signed C2PA manifests to their pictures; we read and validate them with the
Content Authenticity Initiative's own library (`c2pa-python`) and keep a summary with the
photo. Every rendition we make is signed in turn with the newsroom's key, naming the
publisher, the credit, what was done to the picture and the original as its ingredient.

A leaf module: it knows files and settings, never models, so the photo model can call it
to keep its credentials in step with its file.
"""

import json
import logging
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

import c2pa
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

logger = logging.getLogger(__name__)

# IPTC's digital source types (http://cv.iptc.org/newscodes/digitalsourcetype/).
DIGITAL_SOURCE_TYPES = "http://cv.iptc.org/newscodes/digitalsourcetype/"
# Pictures a machine made, in whole or in part, rather than a camera or a person.
GENERATED_SOURCE_TYPES = {
    "trainedAlgorithmicMedia",
    "compositeWithTrainedAlgorithmicMedia",
    "algorithmicMedia",
    "compositeSynthetic",
}
MIME_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
# Never fetch while reading: a manifest could name any server. Thumbnails would copy the
# original's pixels (uncropped, unstripped) into every rendition.
OFFLINE = {"verify": {"remote_manifest_fetch": False, "ocsp_fetch": False}}
NO_THUMBNAILS = {"builder": {"thumbnail": {"enabled": False}}}
# The library's verdicts, as the desk reads them.
LIBRARY_STATES = {"Trusted": "valid", "Valid": "untrusted", "Invalid": "invalid"}
# A hostile manifest could list thousands of entries; the desk needs the first few.
MAX_ENTRIES = 20


class CredentialsState(models.TextChoices):
    VALID = "valid", "valid"
    UNTRUSTED = "untrusted", "signer not on the trust list"
    INVALID = "invalid", "signature invalid"


@dataclass
class Credentials:
    """What a file's active C2PA manifest says, summarised for the desk."""

    state: str
    signer: str = ""
    claim_generator: str = ""
    signed_at: str = ""
    author: str = ""
    publisher: str = ""
    digital_source_type: str = ""
    actions: list = field(default_factory=list)
    ingredients: list = field(default_factory=list)
    failures: list = field(default_factory=list)

    def summary(self):
        """What is kept with the photo, beside its validation state."""
        return {
            "signer": self.signer,
            "claim_generator": self.claim_generator,
            "signed_at": self.signed_at,
            "author": self.author,
            "publisher": self.publisher,
            "digital_source_type": self.digital_source_type,
            "actions": self.actions,
            "ingredients": self.ingredients,
            "failures": self.failures,
        }


def source_type_name(uri):
    """`trainedAlgorithmicMedia` from IPTC's URI; anything else as given."""
    return uri.removeprefix(DIGITAL_SOURCE_TYPES).strip("/")


def is_generated(digital_source_type):
    return source_type_name(digital_source_type or "") in GENERATED_SOURCE_TYPES


def badge(state, signer="", digital_source_type=""):
    """One line for the desk: “Signed by Reuters, valid”, “Signature invalid”, “AI generated”."""
    parts = []
    if is_generated(digital_source_type):
        parts.append("AI generated")
    if state == CredentialsState.INVALID:
        parts.append("Signature invalid")
    elif state:
        parts.append(f"Signed by {signer or 'an unnamed signer'}, {CredentialsState(state).label}")
    return " · ".join(parts)


# Reading.


def _trust_anchors():
    path = settings.NEWSROOM_C2PA_TRUST_ANCHORS
    return Path(path).read_text() if path else ""


def reading_context():
    config = {**OFFLINE}
    anchors = _trust_anchors()
    if anchors:
        config["trust"] = {"trust_anchors": anchors}
    return c2pa.Context.from_dict(config)


def read_credentials(file):
    """The file's C2PA credentials, validated; None when it carries no manifest."""
    file.seek(0)
    try:
        reader = c2pa.Reader.try_create(None, file, None, reading_context())
        if reader is None:
            return None
        with reader:
            store = json.loads(reader.json())
    except c2pa.C2paError as error:
        # A manifest is there but cannot be parsed: as good as a broken signature.
        logger.info("Unreadable C2PA manifest: %s", error)
        return Credentials(
            state=CredentialsState.INVALID,
            failures=[{"code": "manifest.unreadable", "explanation": str(error)[:300]}],
        )
    finally:
        file.seek(0)
    return credentials_from_store(store)


def credentials_from_store(store):
    manifest = store.get("manifests", {}).get(store.get("active_manifest"), {})
    signature = manifest.get("signature_info") or {}
    actions = []
    work = {}
    for assertion in manifest.get("assertions", []):
        label = assertion.get("label", "")
        data = assertion.get("data") or {}
        if label.startswith("c2pa.actions"):
            actions += [_action(a) for a in data.get("actions", []) if isinstance(a, dict)]
        elif label == "stds.schema-org.CreativeWork":
            work = data
    results = store.get("validation_results") or {}
    failures = (results.get("activeManifest") or {}).get("failure", [])
    return Credentials(
        state=LIBRARY_STATES.get(store.get("validation_state"), CredentialsState.INVALID),
        signer=_text(signature.get("issuer") or signature.get("common_name")),
        claim_generator=_claim_generator(manifest),
        signed_at=_text(signature.get("time")),
        author=_names(work.get("author")),
        publisher=_names(work.get("publisher")),
        digital_source_type=next(
            (a["digital_source_type"] for a in actions if a["digital_source_type"]), ""
        ),
        actions=actions[:MAX_ENTRIES],
        ingredients=[
            {
                "title": _text(i.get("title")),
                "relationship": _text(i.get("relationship")),
                "signed": bool(i.get("active_manifest")),
            }
            for i in manifest.get("ingredients", [])[:MAX_ENTRIES]
            if isinstance(i, dict)
        ],
        failures=[
            {"code": _text(f.get("code")), "explanation": _text(f.get("explanation"))}
            for f in failures[:MAX_ENTRIES]
            if isinstance(f, dict)
        ],
    )


def _text(value, limit=300):
    return str(value or "").strip()[:limit]


def _names(value):
    """Names from schema.org's Person/Organization values, a list of them, or plain text."""
    items = value if isinstance(value, list) else [value]
    names = [item.get("name") if isinstance(item, dict) else item for item in items]
    return ", ".join(_text(name) for name in names if name and isinstance(name, str))


def _claim_generator(manifest):
    info = manifest.get("claim_generator_info") or []
    if info and isinstance(info[0], dict):
        return _text(f"{info[0].get('name', '')} {info[0].get('version', '')}")
    return _text(manifest.get("claim_generator"))


def _action(action):
    agent = action.get("softwareAgent")
    return {
        "action": _text(action.get("action")),
        "digital_source_type": _text(action.get("digitalSourceType")),
        "software_agent": _text(agent.get("name") if isinstance(agent, dict) else agent),
        "description": _text(action.get("description")),
    }


# Signing.

# What a failed signature raises: renditions are then not made, rather than made unsigned.
SigningError = c2pa.C2paError


def signing_key_and_chain():
    """The newsroom's private key and certificate chain (PEM): from the environment, else files.

    Returns (None, None) when signing is off or no key is configured; settings refuse to
    start without one unless DEBUG is on.
    """
    if not settings.NEWSROOM_C2PA_SIGNING:
        return None, None
    key = settings.NEWSROOM_C2PA_KEY or _read(settings.NEWSROOM_C2PA_KEY_FILE)
    chain = settings.NEWSROOM_C2PA_CERT or _read(settings.NEWSROOM_C2PA_CERT_FILE)
    if not key or not chain:
        logger.warning("Renditions are not signed: no content credentials key is configured.")
        return None, None
    return key, chain


def _read(path):
    return Path(path).read_text() if path and Path(path).is_file() else ""


def signing_algorithm(key_pem):
    """The C2PA algorithm that fits the key: ES256/384/512, PS256 or Ed25519."""
    key = serialization.load_pem_private_key(key_pem.encode(), password=None)
    if isinstance(key, ec.EllipticCurvePrivateKey):
        by_curve = {
            "secp256r1": c2pa.C2paSigningAlg.ES256,
            "secp384r1": c2pa.C2paSigningAlg.ES384,
            "secp521r1": c2pa.C2paSigningAlg.ES512,
        }
        if key.curve.name in by_curve:
            return by_curve[key.curve.name]
    if isinstance(key, rsa.RSAPrivateKey):
        return c2pa.C2paSigningAlg.PS256
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return c2pa.C2paSigningAlg.ED25519
    raise ImproperlyConfigured(
        "The content credentials key must be an EC (P-256, P-384, P-521), RSA or Ed25519 key."
    )


def newsroom_signer():
    """A signer with the newsroom's key, or None when renditions go unsigned."""
    key, chain = signing_key_and_chain()
    if key is None:
        return None
    info = c2pa.C2paSignerInfo(
        signing_algorithm(key),
        chain.encode(),
        key.encode(),
        settings.NEWSROOM_C2PA_TSA_URL or None,
    )
    return c2pa.Signer.from_info(info)


def rendition_manifest(photo, *, title, crop, width, fmt):
    """What the newsroom states about one rendition: publisher, rights, and what was done."""
    actions = [
        {"action": "c2pa.opened", "parameters": {"ingredientIds": ["original"]}},
        {"action": "c2pa.resized", "description": f"Resized to {width} pixels wide."},
        {"action": "c2pa.converted", "description": f"Encoded afresh as {fmt.upper()}."},
        {
            "action": "c2pa.edited.metadata",
            "description": "EXIF, GPS and camera data removed; creator, credit line and "
            "copyright notice kept.",
        },
    ]
    if crop:
        actions.insert(
            1, {"action": "c2pa.cropped", "description": f"Cropped to {crop} at the focal point."}
        )
    work = {
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "publisher": {"@type": "Organization", "name": settings.NEWSROOM_NAME},
        "creditText": photo.credit,
    }
    if photo.creator:
        work["author"] = [{"@type": "Person", "name": photo.creator}]
    if photo.copyright_notice:
        work["copyrightNotice"] = photo.copyright_notice
    return {
        "claim_generator_info": [{"name": settings.NEWSROOM_NAME, "version": "newsroom"}],
        "title": title,
        "assertions": [
            {"label": "c2pa.actions", "data": {"actions": actions}},
            {"label": "stds.schema-org.CreativeWork", "data": work},
        ],
    }


def sign_rendition(content, *, signer, photo, title, crop, width, fmt, original, original_format):
    """The rendition's bytes with the newsroom's manifest embedded.

    The original, with any agency manifest in it, becomes the parent ingredient.
    """
    manifest = rendition_manifest(photo, title=title, crop=crop, width=width, fmt=fmt)
    builder = c2pa.Builder(manifest, context=c2pa.Context.from_dict({**OFFLINE, **NO_THUMBNAILS}))
    with builder:
        original.seek(0)
        builder.add_ingredient(
            {"title": "original", "relationship": "parentOf", "label": "original"},
            MIME_TYPES[original_format],
            original,
        )
        signed = BytesIO()
        builder.sign(signer, MIME_TYPES[fmt.upper()], BytesIO(content), signed)
    return signed.getvalue()
