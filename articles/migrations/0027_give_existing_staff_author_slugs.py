"""Author pages move from /authors/<username>/ to /authors/<slug of the full name>/.

Every existing user gets a profile with a slug made as articles/slugs.py makes them
(transliterated, numbered on a collision); the code is repeated here because migrations
do not import the app.
"""

from anyascii import anyascii
from django.db import migrations
from django.utils.text import slugify

MAX_LENGTH = 80


def slug_for(name, taken):
    base = slugify(anyascii(name))[:MAX_LENGTH].strip("-") or "author"
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        suffix = f"-{n}"
        candidate = base[: MAX_LENGTH - len(suffix)].rstrip("-") + suffix
    taken.add(candidate)
    return candidate


def create_profiles(apps, schema_editor):
    User = apps.get_model("auth", "User")
    AuthorProfile = apps.get_model("articles", "AuthorProfile")
    taken = set(AuthorProfile.objects.values_list("slug", flat=True))
    for user in User.objects.filter(author_profile__isnull=True).order_by("pk"):
        name = f"{user.first_name} {user.last_name}".strip()
        AuthorProfile.objects.create(user=user, slug=slug_for(name, taken))


def delete_profiles(apps, schema_editor):
    apps.get_model("articles", "AuthorProfile").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("articles", "0026_author_profile")]

    operations = [migrations.RunPython(create_profiles, delete_profiles)]
