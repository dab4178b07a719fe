"""Full copies of an article: taking them, putting them back, previewing and comparing them."""

import difflib
import re

from django.contrib.auth import get_user_model
from django.utils.dateparse import parse_datetime
from django.utils.html import escape, format_html, strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from taggit.models import Tag

from ..formats import display_name, iso
from ..models import Article, ArticleSource, Photo, Revision, Section, Source
from ..sanitize import sanitize_html

SCALAR_FIELDS = ["headline", "slug", "standfirst", "body", "byline", "language"]
FIELD_LABELS = {
    "headline": "Headline",
    "slug": "Slug",
    "section": "Section",
    "standfirst": "Standfirst",
    "body": "Body",
    "byline": "Byline",
    "language": "Language",
    "embargo_until": "Embargo until",
    "photo": "Lead photo",
    "publish_at": "Publish at",
    "authors": "Authors",
    "sources": "Sources",
    "tags": "Tags",
}


def snapshot_article(article):
    """Everything a reader or editor sees of the article, as stored now."""
    return snapshot_of(
        article,
        authors=article.authors.values_list("pk", flat=True),
        sources=article.source_links.order_by("position", "id").values_list(
            "source_id", flat=True
        ),
        tags=article.tags.values_list("name", flat=True),
    )


def snapshot_of(article, *, authors, sources, tags):
    """The snapshot of `article` with its related rows given (author ids, source ids in
    order, tag names): an import that has just written them need not read them back."""
    return {
        **{field: getattr(article, field) for field in SCALAR_FIELDS},
        "section": article.section_id,
        "photo": article.photo_id,
        "publish_at": iso(article.publish_at),
        "embargo_until": iso(article.embargo_until),
        "authors": sorted(authors),
        "sources": list(sources),
        "tags": sorted(tags, key=str.casefold),
    }


def snapshot_form(form, source_forms):
    """The same shape as snapshot_article, from a valid admin form that was not saved."""
    data = form.cleaned_data
    instance = form.instance
    return {
        **{field: data.get(field, getattr(instance, field)) for field in SCALAR_FIELDS},
        "slug": data.get("slug") or instance.slug,
        "section": (data.get("section") or instance.section).pk,
        "photo": data["photo"].pk if data.get("photo") else None,
        "publish_at": iso(data.get("publish_at") or instance.publish_at),
        "embargo_until": iso(
            data["embargo_until"] if "embargo_until" in data else instance.embargo_until
        ),
        "authors": sorted(user.pk for user in data.get("authors", [])),
        "sources": [row.cleaned_data["source"].pk for row in source_forms],
        "tags": sorted(data.get("tags", []), key=str.casefold),
    }


def record_revision(*, article, user, data=None, summary=""):
    revision = new_revision(article=article, user=user, data=data, summary=summary)
    revision.save()
    return revision


def new_revision(*, article, user, data=None, summary=""):
    """The revision record_revision saves, unsaved (an import saves many at once)."""
    data = data if data is not None else snapshot_article(article)
    # A pending edit is read by editors in previews: it keeps only what readers could get.
    data = {**data, "body": sanitize_html(data.get("body"))}
    return Revision(
        article=article,
        created_by=user,
        state=article.workflow_state,
        summary=summary,
        data=data,
    )


def revision_fields(data):
    """What a revision says the article's fields hold: the one way back from a snapshot.

    Scalar fields by name, `section` and `photo` as ids, times parsed, and the related
    `authors` (ids), `sources` (ids, in order) and `tags` (names).
    """
    fields = {field: data[field] for field in SCALAR_FIELDS if field in data}
    if "embargo_until" in data:
        fields["embargo_until"] = parse_datetime(data["embargo_until"] or "")
    return {
        **fields,
        "section": data["section"],
        "photo": data["photo"],
        "publish_at": parse_datetime(data.get("publish_at") or ""),
        "authors": data["authors"],
        "sources": data["sources"],
        "tags": data["tags"],
    }


# The fields a revision stores as they are on the article row.
PLAIN_FIELDS = [*SCALAR_FIELDS, "embargo_until"]


def apply_revision(article, data):
    """Make the article's row say what the revision says."""
    fields = revision_fields(data)
    for field in PLAIN_FIELDS:
        if field in fields:
            setattr(article, field, fields[field])
    article.section_id = fields["section"]
    article.photo_id = (
        fields["photo"] if Photo.objects.filter(pk=fields["photo"]).exists() else None
    )
    if fields["publish_at"] and not article.is_live:
        article.publish_at = fields["publish_at"]
    article.save()
    article.authors.set(get_user_model().objects.filter(pk__in=fields["authors"]))
    article.tags.set(fields["tags"])
    article.source_links.all().delete()
    existing = Source.objects.in_bulk(fields["sources"])
    ArticleSource.objects.bulk_create(
        ArticleSource(article=article, source=existing[source_id], position=position)
        for position, source_id in enumerate(
            (s for s in fields["sources"] if s in existing), start=1
        )
    )


def preview_article(revision):
    """An unsaved Article showing the revision, for the public templates."""
    fields = revision_fields(revision.data)
    article = Article.objects.select_related("section").get(pk=revision.article_id)
    for field in PLAIN_FIELDS:
        if field in fields:
            setattr(article, field, fields[field])
    # Rows from before revisions were sanitised are cleaned when shown, too.
    article.body = sanitize_html(article.body)
    article.section = Section.objects.filter(pk=fields["section"]).first() or article.section
    article.photo = (
        Photo.objects.select_related("provider").filter(pk=fields["photo"]).first()
        if fields["photo"]
        else None
    )
    if fields["publish_at"] and not article.publish_at:
        article.publish_at = fields["publish_at"]
    sources = Source.objects.in_bulk(fields["sources"])
    article._preview_sources = [sources[pk] for pk in fields["sources"] if pk in sources]
    article._preview_tags = list(Tag.objects.filter(name__in=fields["tags"]))
    article._preview_authors = list(get_user_model().objects.filter(pk__in=fields["authors"]))
    return article


def _readable(data, field, lookups):
    value = data.get(field)
    if field == "body":
        return "\n".join(
            paragraph.strip()
            for paragraph in re.split(r"</(?:p|h\d|li|blockquote)>", sanitize_html(value))
            if strip_tags(paragraph).strip()
            for paragraph in [strip_tags(paragraph)]
        )
    if field in {"section", "photo"}:
        return str(lookups[field].get(value, "—")) if value else "—"
    if field in {"authors", "sources"}:
        return ", ".join(str(lookups[field][pk]) for pk in value or [] if pk in lookups[field])
    if field == "tags":
        return ", ".join(value or [])
    return "" if value is None else str(value)


def _lookups(*datas):
    def ids(field):
        found = set()
        for data in datas:
            value = data.get(field)
            found.update(value if isinstance(value, list) else [value] if value else [])
        return found

    return {
        "section": Section.objects.in_bulk(ids("section")),
        "photo": Photo.objects.in_bulk(ids("photo")),
        "authors": {
            user.pk: display_name(user)
            for user in get_user_model().objects.filter(pk__in=ids("authors"))
        },
        "sources": Source.objects.in_bulk(ids("sources")),
    }


def _word_diff(old, new):
    old_words, new_words = re.split(r"(\s+)", old), re.split(r"(\s+)", new)
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(old_words[a1:a2])))
            continue
        if a2 > a1:
            parts.append(format_html("<del>{}</del>", "".join(old_words[a1:a2])))
        if b2 > b1:
            parts.append(format_html("<ins>{}</ins>", "".join(new_words[b1:b2])))
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308 (every part escaped)


def compare_revisions(old, new):
    """Field by field, what changed from `old` to `new`: (label, marked-up difference)."""
    lookups = _lookups(old.data, new.data)
    changes = []
    for field, label in FIELD_LABELS.items():
        before = _readable(old.data, field, lookups)
        after = _readable(new.data, field, lookups)
        if before != after:
            changes.append((label, _word_diff(before, after)))
    return changes


def what_changed(older, newer):
    """In words, what `newer` changed from the revision before it: fields, then the state.

    Read from the stored copies alone, so a history of any length costs no query.
    """
    if older is None:
        return "First version"
    labels = [
        label.lower()
        for field, label in FIELD_LABELS.items()
        if older.data.get(field) != newer.data.get(field)
    ]
    words = [capfirst(f"{', '.join(labels)} changed")] if labels else []
    if older.state != newer.state:
        words.append(f"{older.get_state_display()} → {newer.get_state_display()}")
    return "; ".join(words) or "No change"
