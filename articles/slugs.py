"""ASCII slugs that keep Polish and other non-Latin letters readable: `Łódź` -> `lodz`."""

from anyascii import anyascii
from django.utils.text import slugify

FALLBACK_SLUG = "article"


def ascii_slugify(text, max_length=80, fallback=FALLBACK_SLUG):
    """Transliterate to ASCII before slugifying: Django's slugify alone drops `ł`."""
    slug = slugify(anyascii(text or ""))[:max_length].strip("-")
    return slug or fallback[:max_length]


def unique_slug(model, text, *, max_length=80, exclude_pk=None, fallback=FALLBACK_SLUG):
    """A slug for `text` not yet used by `model`, with `-2`, `-3`... on a collision.

    The likely candidates are looked up by exact value, which the slug's unique index
    serves; a prefix scan would not be on SQLite, and imports would slow as articles pile up.
    """
    base = ascii_slugify(text, max_length=max_length, fallback=fallback)
    counter = 1
    while True:
        candidates = [_numbered(base, n, max_length) for n in range(counter, counter + 20)]
        taken = model._default_manager.filter(slug__in=candidates)
        if exclude_pk is not None:
            taken = taken.exclude(pk=exclude_pk)
        taken = set(taken.values_list("slug", flat=True))
        for candidate in candidates:
            if candidate not in taken:
                return candidate
        counter += 20


def unique_slugs(model, texts, *, max_length=80, fallback=FALLBACK_SLUG):
    """unique_slug for many new rows in one query: each slug free and unlike the others.

    A text whose first few candidates are all taken gets its slug from unique_slug.
    """
    bases = [ascii_slugify(text, max_length=max_length, fallback=fallback) for text in texts]
    candidates = {
        base: [_numbered(base, n, max_length) for n in range(1, 4)] for base in set(bases)
    }
    wanted = [slug for slugs in candidates.values() for slug in slugs]
    taken = set(model._default_manager.filter(slug__in=wanted).values_list("slug", flat=True))
    slugs = []
    for text, base in zip(texts, bases, strict=True):
        slug = next((c for c in candidates[base] if c not in taken), None)
        if slug is None:
            slug = unique_slug(model, text, max_length=max_length, fallback=fallback)
        taken.add(slug)
        slugs.append(slug)
    return slugs


def _numbered(base, n, max_length):
    if n == 1:
        return base
    suffix = f"-{n}"
    return base[: max_length - len(suffix)].rstrip("-") + suffix
