"""How a parsed wire item becomes newsroom copy.

`store_item` turns one `ParsedItem` into a draft Article (text) or a Photo (picture), with
its provider as a Source, exactly once per (guid, version). A newer version updates a draft
nobody has touched since the import wrote it; otherwise it is kept beside the draft as a
flagged update.
"""

import hashlib
import logging
import re
from collections import Counter
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.text import Truncator
from taggit.models import Tag

from ..desk.revisions import new_revision, record_revision, snapshot_of
from ..models import (
    Article,
    ArticleSource,
    Photo,
    Revision,
    Section,
    SectionRule,
    Source,
    WireItem,
)
from ..photos.uploads import check_upload, make_renditions_after_commit
from ..public.search import index_articles
from ..sanitize import sanitize_html
from ..slugs import unique_slugs
from . import pictures
from .parsed import ItemError, NothingToImport, clean_text

logger = logging.getLogger(__name__)

WIRE_SECTION_SLUG = "wire"
WITHDRAWN = {"withheld", "canceled", "cancelled"}
HEADLINE_MAX = Article._meta.get_field("headline").max_length
URL_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


@dataclass
class Outcome:
    IMPORTED = "imported"
    UPDATED = "updated"
    FLAGGED = "flagged update"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"
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
    would vanish if that item fails and rolls back. `user` and `via` say who imports:
    a person uploading in the admin, or the command (no user).
    """

    def __init__(self, *, dry_run=False, user=None, via=WireItem.ImportedVia.COMMAND):
        # A dry run rolls the database back; files cannot be, so none are written.
        self.dry_run = dry_run
        self.user = user
        self.via = via
        self.rules = list(SectionRule.objects.select_related("section"))
        self._sources = {}
        self._tags = {}
        self._inbox = None
        # Files the current item wrote: a rollback cannot take them back, so we do.
        self.written = []

    def discard_written(self):
        for storage, name in self.written:
            storage.delete(name)
        self.written = []

    def source(self, name):
        key = clean_text(name).lower()
        if key in self._sources:
            return self._sources[key]
        source, created = get_source(name)
        if not created:
            self._sources[key] = source
        return source

    def tags(self, names):
        """{name: Tag} for `names`, found as taggit finds them (case-insensitively, the oldest
        first) or created, each looked up once per run. Returns (tags, created names)."""
        found, created = {}, []
        for name in names:
            if name in self._tags:
                found[name] = self._tags[name]
                continue
            tag = Tag.objects.filter(name__iexact=name).order_by("pk").first()
            if tag is None:
                tag = Tag.objects.create(name=name)
                created.append(name)
            else:
                self._tags[name] = tag
            found[name] = tag
        return found, created

    def lookups(self):
        """What the run has looked up so far, to return to if a batch rolls back."""
        return dict(self._sources), dict(self._tags)

    def forget_since(self, lookups):
        self._sources, self._tags = lookups

    def keep_tags(self, tags):
        """Remember tags created in a batch once it has committed."""
        self._tags.update(tags)

    def describe(self, verb, item, provider):
        """A revision's summary: what the import did, from whom it claims to be, and who ran it."""
        claimed = f" from {provider}" if provider else ""
        if self.user is None:
            who = f" by {WireItem.ImportedVia(self.via).label}"
        elif self.via == WireItem.ImportedVia.UPLOAD:
            who = f", uploaded by {self.user.get_username()}"
        else:
            who = f" by {self.user.get_username()}"
        return Truncator(f"{verb}{claimed} (version {item.version_key}){who}").chars(200)

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
        "digital_source_type": picture.digital_source_type,
        "trust_indicators": picture.trust_indicators,
        "original_url": picture.rendition_href
        if re.match(r"https?://", picture.rendition_href)
        else "",
        "provider": provider,
    }


def photo_fingerprint(photo):
    """What an import writes to a photo, hashed: it changes when someone edits the photo."""
    fields = (photo.credit, photo.caption, photo.alt_text, photo.copyright_notice)
    return hashlib.sha256("\x1f".join((*fields, photo.usage_terms)).encode()).hexdigest()


def local_href(picture):
    """The path of a rendition shipped beside the item file, or "" when there is none."""
    if not picture.base_dir or not picture.rendition_href:
        return ""
    href = picture.rendition_href.removeprefix("file://").strip()
    return "" if URL_SCHEME.match(href) else href


def _attach_image(photo, picture, *, run):
    """Take a rendition shipped beside the item file (never from the network).

    It passes the photo desk's upload checks first: a file they refuse fails the item.
    """
    if not picture.base_dir or not picture.rendition_href or photo.image:
        return
    href = local_href(picture)
    if not href:
        return
    base = picture.base_dir.resolve()
    path = (base / href.lstrip("/")).resolve()
    if not path.is_relative_to(base) or not path.is_file():
        return
    with path.open("rb") as handle:
        file = File(handle, name=path.name)
        try:
            check_upload(file)
        except ValidationError as error:
            reason = " ".join(error.messages)
            raise ItemError(f"the picture {path.name} is refused: {reason}") from error
        if run.dry_run:  # the database is rolled back, files would not be: none is written
            return
        photo.image.save(path.name, file, save=False)
        run.written.append((photo.image.storage, photo.image.name))


def known_picture(guid):
    """The Photo an agency picture became, whether it came alone or inside a text item."""
    return Photo.objects.filter(wire_guid=guid).order_by("pk").first()


def _fill_photo(photo, picture, provider):
    for name, value in _photo_fields(picture, provider).items():
        setattr(photo, name, value)
    photo.wire_guid = picture.guid
    return photo


def _save_photo(picture, provider, photo=None, *, run):
    photo = _fill_photo(photo or Photo(uploaded_by=run.user), picture, provider)
    _attach_image(photo, picture, run=run)
    photo.save()
    if photo.image and not run.dry_run:
        make_renditions_after_commit(photo)  # made and signed now, not in a reader's request
    return photo


def article_fields(item):
    """What an import writes to its article's own row."""
    return {
        "headline": Truncator(item.headline).chars(HEADLINE_MAX),
        "body": item.body_html,
        "standfirst": item.standfirst,
        "byline": Truncator(item.byline).chars(Article._meta.get_field("byline").max_length),
        "language": item.language[:35],
        "embargo_until": item.embargo_until,
    }


def tag_names(item):
    """The article's tags: the item's subjects, then its keywords, each once."""
    names = dict.fromkeys([*(s.name for s in item.subjects if s.name), *item.keywords])
    return list(dict.fromkeys(Truncator(name).chars(100) for name in names))


def _write_article(article, item, provider, section, *, run):
    for name, value in article_fields(item).items():
        setattr(article, name, value)
    new = not article.pk
    if new:
        article.section = section
        article.status = Article.Status.DRAFT
    article.save()
    tags = tag_names(item)
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
        # The same picture may have arrived on its own, or in another text item.
        photo = article.photo or known_picture(picture.guid)
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


def wire_record(item, provider, *, run):
    """The WireItem recording this version of the item, unsaved."""
    return WireItem(
        guid=item.guid,
        version=item.version_key,
        format=item.format,
        source=provider,
        headline=Truncator(item.headline).chars(HEADLINE_MAX),
        body=item.body_html,
        link=item.link,
        version_created=item.version_created,
        first_created=item.first_created,
        payload_sha256=item.payload_sha256,
        imported_by=run.user,
        imported_via=run.via,
    )


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
    record = wire_record(item, provider, run=run)
    if item.pub_status in WITHDRAWN:
        return _withdrawn(item, record)
    latest = next((stored for stored in known if not stored.flagged_update), None)
    if latest and not is_newer(item, latest):
        return Outcome.UNCHANGED, latest.article, latest.photo
    status = Outcome.UPDATED if latest else Outcome.IMPORTED
    # A file claiming to be the agency's next version replaces copy only when it comes the
    # way the earlier one did (the same person, or the command): otherwise anyone who can
    # upload could rewrite agency copy by forging its guid.
    same_importer = latest is None or latest.same_importer(run.user, run.via)

    if item.kind == "picture":
        # Alone for the first time, it may have come inside a text item before.
        photo = latest.photo if latest else known_picture(item.guid)
        edited = (
            latest is not None
            and photo is not None
            and photo_fingerprint(photo) != latest.photo_fingerprint
        )
        if photo is not None and (edited or not same_importer):
            record.photo, record.flagged_update = photo, True
            record.save()
            return Outcome.FLAGGED, None, photo
        record.photo = _save_photo(item, provider, photo, run=run)
        record.photo_fingerprint = photo_fingerprint(record.photo)
        record.save()
        pictures.fetch_after_commit(record.photo)
        return status, None, record.photo

    article = latest.article if latest else None
    untouched = (
        article is not None
        and article.status == Article.Status.DRAFT
        and article.updated_at == latest.article_updated_at
        and same_importer
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
    verb = "Updated" if status == Outcome.UPDATED else "Imported"
    record_revision(article=article, user=run.user, summary=run.describe(verb, item, provider))
    record.article = article
    record.article_updated_at = article.updated_at
    record.photo = article.photo
    record.photo_fingerprint = photo_fingerprint(article.photo) if article.photo else ""
    record.save()
    pictures.fetch_after_commit(article.photo)
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


def store_batch(entries, *, run):
    """Import (file label, item label, ParsedItem or error) entries: one Outcome each, in order.

    Agency copy seen for the first time (the bulk of any feed) is written together: a few
    statements for the whole batch rather than a few dozen per item. Everything else (new
    versions, kills, pictures on their own or shipped as files) goes item by item, each in
    its own transaction. If the batch write fails, its items are retried one by one, so a
    bad item fails alone, with its reason, and the rest are imported.
    """
    outcomes = [None] * len(entries)
    items = {}
    for n, (file_label, label, item) in enumerate(entries):
        if isinstance(item, NothingToImport):
            outcomes[n] = Outcome(Outcome.SKIPPED, file_label, label, str(item))
        elif isinstance(item, Exception):
            outcomes[n] = Outcome(Outcome.FAILED, file_label, label, str(item))
        else:
            try:
                validate(item)
            except ItemError as error:
                outcomes[n] = Outcome(Outcome.FAILED, file_label, label, str(error))
                continue
            items[n] = item
    together = {} if run.dry_run else _first_sightings(items)
    if together:
        # A provider made by one item of the batch is found (and kept) by the next: if the
        # batch rolls back, so must the run's memory of it.
        lookups = run.lookups()
        try:
            with transaction.atomic():
                stored, created_tags = _store_together(together, run=run)
        except Exception:
            run.forget_since(lookups)
            logger.exception(
                "Writing %s wire items together failed; trying one by one", len(together)
            )
        else:
            run.keep_tags(created_tags)
            for n, article in stored.items():
                file_label, label, _ = entries[n]
                outcomes[n] = Outcome(
                    Outcome.IMPORTED, file_label, label, article=article, photo=article.photo
                )
    for n, item in items.items():
        if outcomes[n] is None:
            file_label, label, _ = entries[n]
            outcomes[n] = _store_alone(item, file_label, label, run=run)
    return outcomes


def _first_sightings(items):
    """{n: item} of the text items that can be written together: never seen before (nor
    their picture), once in the batch, their picture (if any) not a file to read."""
    texts = {n: item for n, item in items.items() if item.kind == "text"}
    texts = {n: item for n, item in texts.items() if item.pub_status not in WITHDRAWN}
    texts = {n: item for n, item in texts.items() if len(item.pictures) <= 1}
    texts = {n: item for n, item in texts.items() if not any(local_href(p) for p in item.pictures)}
    guids = Counter(item.guid for item in items.values())
    picture_guids = Counter(p.guid for item in texts.values() for p in item.pictures)
    seen = set(
        WireItem.objects.filter(guid__in=[item.guid for item in texts.values()]).values_list(
            "guid", flat=True
        )
    )
    if picture_guids:
        seen |= set(
            Photo.objects.filter(wire_guid__in=list(picture_guids)).values_list(
                "wire_guid", flat=True
            )
        )
    return {
        n: item
        for n, item in texts.items()
        if guids[item.guid] == 1
        and item.guid not in seen
        and all(picture_guids[p.guid] == 1 and p.guid not in seen for p in item.pictures)
    }


def _store_together(items, *, run):
    """Write new articles for `items` ({n: item}) in bulk; returns ({n: Article}, new tags)."""
    providers = {
        n: run.source(item.provider) if item.provider else None for n, item in items.items()
    }
    # Their pictures have no file yet (it is fetched after commit), so Photo.save() would
    # add nothing to the row: they are inserted together too.
    photos = {
        n: _fill_photo(Photo(uploaded_by=run.user), item.pictures[0], providers[n])
        for n, item in items.items()
        if item.pictures
    }
    Photo.objects.bulk_create(photos.values())
    articles = {
        n: Article(
            **article_fields(item),
            section=route_section(item, run.rules, run.inbox),
            status=Article.Status.DRAFT,
            photo=photos.get(n),
        )
        for n, item in items.items()
    }
    slugs = unique_slugs(Article, [a.headline for a in articles.values()])
    for article, slug in zip(articles.values(), slugs, strict=True):
        article.slug = slug
    Article.objects.bulk_create(articles.values())

    names = {n: tag_names(item) for n, item in items.items()}
    tags, created = run.tags(dict.fromkeys(name for each in names.values() for name in each))
    through = Article.tags.through
    article_type = ContentType.objects.get_for_model(Article)
    tagged = {n: list({tags[name].pk: tags[name] for name in names[n]}.values()) for n in items}
    through.objects.bulk_create(
        through(tag=tag, content_type=article_type, object_id=articles[n].pk)
        for n in items
        for tag in tagged[n]
    )
    ArticleSource.objects.bulk_create(
        ArticleSource(article=articles[n], source=providers[n], position=1)
        for n in items
        if providers[n]
    )
    index_articles(
        articles.values(),
        tag_names={articles[n].pk: [tag.name for tag in tagged[n]] for n in items},
    )

    records, revisions = [], []
    for n, item in items.items():
        article, provider = articles[n], providers[n]
        data = snapshot_of(
            article,
            authors=[],
            sources=[provider.pk] if provider else [],
            tags=[tag.name for tag in tagged[n]],
        )
        summary = run.describe("Imported", item, provider)
        revisions.append(new_revision(article=article, user=run.user, data=data, summary=summary))
        record = wire_record(item, provider, run=run)
        record.article = article
        record.article_updated_at = article.updated_at
        record.photo = article.photo
        record.photo_fingerprint = photo_fingerprint(article.photo) if article.photo else ""
        records.append(record)
    Revision.objects.bulk_create(revisions)
    WireItem.objects.bulk_create(records)
    for article in articles.values():
        pictures.fetch_after_commit(article.photo)
    return articles, {name: tags[name] for name in created}


def _store_alone(item, file_label, label, *, run):
    """Import one item in its own transaction: a failure rolls back and is reported."""
    run.written = []
    try:
        with transaction.atomic():
            status, article, photo = store_item(item, run=run)
            if run.dry_run:
                transaction.set_rollback(True)
    except ItemError as error:
        run.discard_written()
        return Outcome(Outcome.FAILED, file_label, label, str(error))
    except Exception as error:
        # Whatever the checks above missed fails this item alone, not the batch.
        run.discard_written()
        logger.exception("Wire item %s in %s failed", label, file_label)
        reason = f"could not be stored ({type(error).__name__}: {error})"
        return Outcome(Outcome.FAILED, file_label, label, reason)
    if run.dry_run:
        return Outcome(status, file_label, label)
    return Outcome(status, file_label, label, article=article, photo=photo)
