"""Full copies of an article: taking them, putting them back, previewing and comparing them."""

import difflib
import re

from django.contrib.auth import get_user_model
from django.utils.dateparse import parse_datetime
from django.utils.html import escape, format_html, strip_tags
from django.utils.safestring import mark_safe
from taggit.models import Tag

from .models import Article, ArticleSource, Photo, Revision, Section, Source
from .sanitize import sanitize_html

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


def _iso(moment):
    return moment.isoformat() if moment else None


def snapshot_article(article):
    """Everything a reader or editor sees of the article, as stored now."""
    return {
        **{field: getattr(article, field) for field in SCALAR_FIELDS},
        "section": article.section_id,
        "photo": article.photo_id,
        "publish_at": _iso(article.publish_at),
        "embargo_until": _iso(article.embargo_until),
        "authors": sorted(article.authors.values_list("pk", flat=True)),
        "sources": list(
            article.source_links.order_by("position", "id").values_list("source_id", flat=True)
        ),
        "tags": sorted(article.tags.values_list("name", flat=True), key=str.casefold),
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
        "publish_at": _iso(data.get("publish_at") or instance.publish_at),
        "embargo_until": _iso(
            data["embargo_until"] if "embargo_until" in data else instance.embargo_until
        ),
        "authors": sorted(user.pk for user in data.get("authors", [])),
        "sources": [row.cleaned_data["source"].pk for row in source_forms],
        "tags": sorted(data.get("tags", []), key=str.casefold),
    }


def record_revision(*, article, user, data=None, summary=""):
    data = data if data is not None else snapshot_article(article)
    # A pending edit is read by editors in previews: it keeps only what readers could get.
    data = {**data, "body": sanitize_html(data.get("body"))}
    return Revision.objects.create(
        article=article,
        created_by=user,
        state=article.workflow_state,
        summary=summary,
        data=data,
    )


def apply_revision(article, data):
    """Make the article's row say what the revision says."""
    for field in SCALAR_FIELDS:
        setattr(article, field, data.get(field, getattr(article, field)))
    if "embargo_until" in data:
        article.embargo_until = parse_datetime(data["embargo_until"] or "")
    article.section_id = data["section"]
    article.photo_id = data["photo"] if Photo.objects.filter(pk=data["photo"]).exists() else None
    if data.get("publish_at") and not article.is_live:
        article.publish_at = parse_datetime(data["publish_at"])
    article.save()
    article.authors.set(get_user_model().objects.filter(pk__in=data["authors"]))
    article.tags.set(data["tags"])
    article.source_links.all().delete()
    existing = Source.objects.in_bulk(data["sources"])
    ArticleSource.objects.bulk_create(
        ArticleSource(article=article, source=existing[source_id], position=position)
        for position, source_id in enumerate(
            (s for s in data["sources"] if s in existing), start=1
        )
    )


def preview_article(revision):
    """An unsaved Article showing the revision, for the public templates."""
    data = revision.data
    article = Article.objects.select_related("section").get(pk=revision.article_id)
    for field in SCALAR_FIELDS:
        setattr(article, field, data.get(field, getattr(article, field)))
    # Rows from before revisions were sanitised are cleaned when shown, too.
    article.body = sanitize_html(article.body)
    article.section = Section.objects.filter(pk=data["section"]).first() or article.section
    article.photo = (
        Photo.objects.select_related("provider").filter(pk=data["photo"]).first()
        if data["photo"]
        else None
    )
    if data.get("publish_at") and not article.publish_at:
        article.publish_at = parse_datetime(data["publish_at"])
    sources = Source.objects.in_bulk(data["sources"])
    article._preview_sources = [sources[pk] for pk in data["sources"] if pk in sources]
    article._preview_tags = list(Tag.objects.filter(name__in=data["tags"]))
    article._preview_authors = list(get_user_model().objects.filter(pk__in=data["authors"]))
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
            user.pk: user.get_full_name() or user.get_username()
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
