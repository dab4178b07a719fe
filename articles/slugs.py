"""ASCII slugs that keep Polish and other non-Latin letters readable: `Łódź` -> `lodz`."""

from anyascii import anyascii
from django.utils.text import slugify

FALLBACK_SLUG = "article"


def ascii_slugify(text, max_length=80):
    """Transliterate to ASCII before slugifying: Django's slugify alone drops `ł`."""
    slug = slugify(anyascii(text or ""))[:max_length].strip("-")
    return slug or FALLBACK_SLUG


def unique_slug(model, text, *, max_length=80, exclude_pk=None):
    """A slug for `text` not yet used by `model`, with `-2`, `-3`... on a collision."""
    base = ascii_slugify(text, max_length=max_length)
    taken = model._default_manager.filter(slug__startswith=base)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    taken = set(taken.values_list("slug", flat=True))
    candidate, counter = base, 1
    while candidate in taken:
        counter += 1
        suffix = f"-{counter}"
        candidate = base[: max_length - len(suffix)].rstrip("-") + suffix
    return candidate
