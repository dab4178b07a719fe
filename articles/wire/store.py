"""How a parsed wire item becomes newsroom copy.

`store_item` turns one `ParsedItem` into a draft Article (text) or a Photo (picture), with
its provider as a Source, exactly once per (guid, version). A newer version updates a draft
nobody has touched since the import wrote it; otherwise it is kept beside the draft as a
flagged update.
"""

import hashlib
import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.files import File
from django.db import DatabaseError, transaction
from django.utils.text import Truncator

from ..models import Article, Photo, Section, SectionRule, Source, WireItem
from ..sanitize import sanitize_html
from .parsed import ItemError, clean_text

logger = logging.getLogger(__name__)

WIRE_SECTION_SLUG = "wire"
WITHDRAWN = {"withheld", "canceled", "cancelled"}
HEADLINE_MAX = Article._meta.get_field("headline").max_length


@dataclass
class Outcome:
    IMPORTED = "imported"
    UPDATED = "updated"
    FLAGGED = "flagged update"
    UNCHANGED = "unchanged"
    FAILED = "failed"

    status: str
    file: str
    item: str
    reason: str = ""
    article: Article | None = None
    photo: Photo | None = None

    def __str__(self):
        where = f"{self.file} [{self.item}]" if self.item else self.file
        return f"{self.status}: {where}" + (f": {self.reason}" if self.reason else "")


def get_source(name):
    """(the Source named `name`, created now?); (None, False) for no name."""
    if not name:
        return None, False
    name = Truncator(clean_text(name)).chars(Source._meta.get_field("name").max_length)
    source = Source.objects.named(name)
    return (source, False) if source else (Source.objects.create(name=name), True)


def wire_inbox():
    section, _ = Section.objects.get_or_create(
        slug=WIRE_SECTION_SLUG, defaults={"name": "Wire", "is_inbox": True, "position": 1000}
    )
    return section


class ImportRun:
    """What a batch looks up once rather than per item: routing rules, the inbox, providers.

    Only rows that existed before an item's transaction are kept: one created inside it
    would vanish if that item fails and rolls back.
    """

    def __init__(self, *, dry_run=False):
        # A dry run rolls the database back; files cannot be, so none are written.
        self.dry_run = dry_run
        self.rules = list(SectionRule.objects.select_related("section"))
        self._sources = {}
        self._inbox = None

    def source(self, name):
        key = clean_text(name).lower()
        if key in self._sources:
            return self._sources[key]
        source, created = get_source(name)
        if not created:
            self._sources[key] = source
        return source

    def inbox(self):
        if self._inbox is None:
            self._inbox = Section.objects.filter(slug=WIRE_SECTION_SLUG).first()
        return self._inbox or wire_inbox()


def route_section(item, rules=None, inbox=wire_inbox):
    """The first rule (lowest priority number) matching the item's service, subject or
    provider; the Wire inbox otherwise."""
    candidates = {
        SectionRule.MatchOn.SERVICE: {
            v.lower() for s in item.services for v in (s.code, s.name) if v
        },
        SectionRule.MatchOn.SUBJECT: {
            v.lower() for s in item.subjects for v in (s.code, s.name) if v
        },
        SectionRule.MatchOn.PROVIDER: {item.provider.lower()} if item.provider else set(),
    }
    rules = SectionRule.objects.select_related("section") if rules is None else rules
    for rule in rules:
        if rule.value.strip().lower() in candidates.get(rule.match_on, ()):
            return rule.section
    return inbox()


def is_newer(item, stored):
    """Whether `item` is a later version than the stored WireItem."""
    if item.version.isdigit() and stored.version.isdigit():
        return int(item.version) > int(stored.version)
    if item.version_created and stored.version_created:
        return item.version_created > stored.version_created
    return True


def _photo_fields(picture, provider):
    agency = provider.name if provider else ""
    # "Karl Melander/TT" already names its agency; "Paulo Santalucia" needs it added.
    if picture.byline and agency and agency.lower() not in picture.byline.lower():
        byline_credit = f"{picture.byline}/{agency}"
    else:
        byline_credit = picture.byline or agency
    credit = picture.credit or byline_credit or picture.copyright_holder or "Wire"
    return {
        "credit": Truncator(credit).chars(Photo._meta.get_field("credit").max_length),
        "caption": picture.caption or picture.headline,
        "copyright_notice": picture.copyright_notice,
        "usage_terms": picture.usage_terms,
        "original_url": picture.rendition_href
        if re.match(r"https?://", picture.rendition_href)
        else "",
        "provider": provider,
    }


def photo_fingerprint(photo):
    """What an import writes to a photo, hashed: it changes when someone edits the photo."""
    fields = (photo.credit, photo.caption, photo.alt_text, photo.copyright_notice)
    return hashlib.sha256("\x1f".join((*fields, photo.usage_terms)).encode()).hexdigest()


def _attach_image(photo, picture):
    """Take a rendition shipped beside the item file (never from the network)."""
    if not picture.base_dir or not picture.rendition_href or photo.image:
        return
    href = picture.rendition_href.removeprefix("file://").strip()
    if re.match(r"^[a-z][a-z0-9+.-]*:", href, re.IGNORECASE):
        return
    base = picture.base_dir.resolve()
    path = (base / href.lstrip("/")).resolve()
    if not path.is_relative_to(base) or not path.is_file():
        return
    if path.stat().st_size > settings.WIRE_MAX_FILE_BYTES:
        return
    with path.open("rb") as handle:
        photo.image.save(path.name, File(handle), save=False)


def _save_photo(picture, provider, photo=None, *, run):
    photo = photo or Photo()
    for name, value in _photo_fields(picture, provider).items():
        setattr(photo, name, value)
    if not run.dry_run:
        _attach_image(photo, picture)
    photo.save()
    return photo


def _write_article(article, item, provider, section, *, run):
    article.headline = Truncator(item.headline).chars(HEADLINE_MAX)
    article.body = item.body_html
    article.standfirst = item.standfirst
    article.byline = Truncator(item.byline).chars(Article._meta.get_field("byline").max_length)
    article.language = item.language[:35]
    article.embargo_until = item.embargo_until
    new = not article.pk
    if new:
        article.section = section
        article.status = Article.Status.DRAFT
    article.save()
    tags = list(dict.fromkeys([*(s.name for s in item.subjects if s.name), *item.keywords]))
    tags = [Truncator(t).chars(100) for t in tags]
    if new:
        article.tags.add(*tags)
    else:
        article.tags.set(tags, clear=True)
    if provider and new:
        article.source_links.create(source=provider, position=1)
    elif provider:
        article.source_links.get_or_create(source=provider, defaults={"position": 1})
    if item.pictures:
        picture = item.pictures[0]
        # The same picture may have arrived on its own: reuse its Photo.
        known = (
            WireItem.objects.filter(guid=picture.guid, photo__isnull=False)
            .values_list("photo", flat=True)
            .first()
        )
        photo = article.photo or (Photo.objects.get(pk=known) if known else None)
        article.photo = _save_photo(picture, provider, photo, run=run)
        article.save(update_fields=["photo", "updated_at"])
    return article


def validate(item):
    if not item.guid:
        raise ItemError("the item has no identifier (NINJS uri / NewsML-G2 guid)")
    if item.kind not in {"text", "picture"}:
        raise ItemError(f"items of type “{item.kind}” are not imported (only text and pictures)")
    if item.kind == "text":
        if not item.headline:
            raise ItemError("the text item has no headline")
        item.body_html = sanitize_html(item.body_html)
    if len(item.guid) > WireItem._meta.get_field("guid").max_length:
        raise ItemError("the item's identifier is too long")
    if len(item.version_key) > WireItem._meta.get_field("version").max_length:
        raise ItemError("the item's version is too long")
    for picture in [item, *item.pictures]:
        if len(picture.rendition_href) > Photo._meta.get_field("original_url").max_length:
            picture.rendition_href = ""


def store_item(item, *, run=None):
    """Import one parsed item; returns (status, article, photo). Call inside a transaction."""
    run = run or ImportRun()
    validate(item)
    version = item.version_key
    known = list(
        WireItem.objects.filter(guid=item.guid)
        .select_related("article", "photo")
        .order_by("-received_at", "-id")
    )
    if any(stored.version == version for stored in known):
        return Outcome.UNCHANGED, None, None
    provider = run.source(item.provider) if item.provider else None
    record = WireItem(
        guid=item.guid,
        version=version,
        format=item.format,
        source=provider,
        headline=Truncator(item.headline).chars(HEADLINE_MAX),
        body=item.body_html,
        link=item.link,
        version_created=item.version_created,
        first_created=item.first_created,
        payload_sha256=item.payload_sha256,
    )
    if item.pub_status in WITHDRAWN:
        return _withdrawn(item, record)
    latest = next((stored for stored in known if not stored.flagged_update), None)
    if latest and not is_newer(item, latest):
        return Outcome.UNCHANGED, latest.article, latest.photo
    status = Outcome.UPDATED if latest else Outcome.IMPORTED

    if item.kind == "picture":
        photo = latest.photo if latest else None
        if photo is not None and photo_fingerprint(photo) != latest.photo_fingerprint:
            record.photo, record.flagged_update = photo, True
            record.save()
            return Outcome.FLAGGED, None, photo
        record.photo = _save_photo(item, provider, photo, run=run)
        record.photo_fingerprint = photo_fingerprint(record.photo)
        record.save()
        return status, None, record.photo

    article = latest.article if latest else None
    untouched = (
        article is not None
        and article.status == Article.Status.DRAFT
        and article.updated_at == latest.article_updated_at
    )
    if article is not None and not untouched:
        record.article = article
        record.flagged_update = True
        record.save()
        return Outcome.FLAGGED, article, None
    if article is None:
        status = Outcome.IMPORTED
        article = Article()
    section = route_section(item, run.rules, run.inbox)
    article = _write_article(article, item, provider, section, run=run)
    record.article = article
    record.article_updated_at = article.updated_at
    record.photo = article.photo
    record.photo_fingerprint = photo_fingerprint(article.photo) if article.photo else ""
    record.save()
    return status, article, article.photo


def _withdrawn(item, record):
    """A kill or hold is never applied by itself: the desk must see it beside the copy."""
    earlier = (
        WireItem.objects.filter(guid=item.guid)
        .exclude(article=None, photo=None)
        .order_by("-received_at", "-id")
        .first()
    )
    if earlier is None:
        raise ItemError(f"the agency marked the item “{item.pub_status}”: nothing to import")
    record.headline = Truncator(
        f"{item.pub_status.upper()} by the agency: {item.headline or earlier.headline}"
    ).chars(HEADLINE_MAX)
    record.article, record.photo = earlier.article, earlier.photo
    record.flagged_update = True
    record.save()
    return Outcome.FLAGGED, earlier.article, earlier.photo


def store_items(parsed, *, file_label, dry_run=False, run=None):
    """Import each (item label, ParsedItem or ItemError) in its own transaction."""
    run = run or ImportRun(dry_run=dry_run)
    outcomes = []
    for label, item in parsed:
        if isinstance(item, Exception):
            outcomes.append(Outcome(Outcome.FAILED, file_label, label, str(item)))
            continue
        try:
            with transaction.atomic():
                status, article, photo = store_item(item, run=run)
                if dry_run:
                    transaction.set_rollback(True)
        except ItemError as error:
            outcomes.append(Outcome(Outcome.FAILED, file_label, label, str(error)))
            continue
        except (ValueError, DatabaseError) as error:
            # Whatever the checks above missed fails this item alone, not the batch.
            logger.exception("Wire item %s in %s failed", label, file_label)
            reason = f"could not be stored ({type(error).__name__}: {error})"
            outcomes.append(Outcome(Outcome.FAILED, file_label, label, reason))
            continue
        outcomes.append(
            Outcome(
                status,
                file_label,
                label,
                article=None if dry_run else article,
                photo=None if dry_run else photo,
            )
        )
    return outcomes
