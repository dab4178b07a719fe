"""Tags made before tag slugs were ASCII kept their Polish letters, which no URL accepts."""

from anyascii import anyascii
from django.core.validators import slug_re
from django.db import migrations
from django.utils.text import slugify

SLUG_MAX_LENGTH = 100


def transliterate_tag_slugs(apps, schema_editor):
    Tag = apps.get_model("taggit", "Tag")
    taken = set(Tag.objects.values_list("slug", flat=True))
    for tag in Tag.objects.order_by("pk"):
        if slug_re.match(tag.slug):
            continue
        base = slugify(anyascii(tag.name))[:SLUG_MAX_LENGTH].strip("-") or "tag"
        slug, n = base, 1
        while slug in taken:
            n += 1
            suffix = f"-{n}"
            slug = base[: SLUG_MAX_LENGTH - len(suffix)].rstrip("-") + suffix
        taken.discard(tag.slug)
        taken.add(slug)
        tag.slug = slug
        tag.save(update_fields=["slug"])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0019_grant_live_entry_permissions"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    # Backwards there is nothing to undo: ASCII slugs are valid tag addresses before too.
    operations = [migrations.RunPython(transliterate_tag_slugs, migrations.RunPython.noop)]
