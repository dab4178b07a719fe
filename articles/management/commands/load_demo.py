import zlib
from collections import Counter
from datetime import timedelta
from io import BytesIO

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from PIL import Image, ImageDraw, ImageFont, ImageOps

from articles.management.demo_content import ARTICLES, SECTIONS, SOURCES
from articles.models import Article, ArticleSource, Photo, Section, Source
from articles.photos.uploads import make_renditions_after_commit
from articles.slugs import ascii_slugify

ADMIN_URL = "http://127.0.0.1:8000/admin/"
# Demo logins for each role (DEBUG only); the password is the user name.
DEMO_STAFF = [("journalist", "Journalists", "Jola"), ("editor", "Editors", "Edward")]
DEMO_PASSWORD = "admin"  # noqa: S105 (demo login, created only with DEBUG on)
PHOTO_SIZE = (1600, 900)


class Command(BaseCommand):
    help = (
        "Load a demo newsroom: sections, sources and about 40 published articles with "
        "generated photos. Safe to run again: nothing is duplicated. With DEBUG on, also "
        "creates the superuser admin/admin if missing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Report what would be created, then roll everything back (no photos made).",
        )

    def handle(self, *args, dry_run=False, verbosity=1, **options):
        self.dry_run, self.verbosity = dry_run, verbosity
        self.created = Counter()
        self.written_files = []
        try:
            with transaction.atomic():
                admin, admin_created = self.load_admin()
                self.load_content(admin)
                if dry_run:
                    transaction.set_rollback(True)
        except BaseException:
            # The database rolls back by itself; image files written so far would stay.
            for name in self.written_files:
                Photo._meta.get_field("image").storage.delete(name)
            raise
        self.report(admin, admin_created)

    def log(self, message):
        if self.verbosity >= 2:
            self.stdout.write(f"  {'Would create' if self.dry_run else 'Created'} {message}")

    def load_admin(self):
        User = get_user_model()
        admin = User.objects.filter(username="admin").first()
        if not settings.DEBUG:
            return admin, False
        for username, group, first_name in DEMO_STAFF:
            if not User.objects.filter(username=username).exists():
                user = User.objects.create_user(
                    username=username,
                    email=f"{username}@example.com",
                    password=username,
                    first_name=first_name,
                    last_name="Demo",
                    is_staff=True,
                )
                user.groups.add(Group.objects.get(name=group))
                self.log(f"{group[:-1].lower()} {username}")
        if admin:
            return admin, False
        admin = User.objects.create_superuser(
            username="admin",
            email="admin@example.com",
            password=DEMO_PASSWORD,
            first_name="Demo",
            last_name="Editor",
        )
        self.log("superuser admin")
        return admin, True

    def load_content(self, admin):
        sections, self.colours = {}, {}
        for position, (name, description, colour) in enumerate(SECTIONS, start=1):
            section, created = Section.objects.get_or_create(
                slug=ascii_slugify(name),
                defaults={"name": name, "description": description, "position": position},
            )
            sections[section.slug], self.colours[section.slug] = section, colour
            self.count("sections", created, f"section {name}")
        sources = {}
        for name, url in SOURCES:
            sources[name], created = Source.objects.get_or_create(name=name, defaults={"url": url})
            self.count("sources", created, f"source {name}")
        now = timezone.now()
        for index, data in enumerate(ARTICLES):
            # Stride 7 (coprime with 40) interleaves sections over ~30 days, same each run.
            hours_ago = data.get("hours_ago", 5 + (index * 7 % len(ARTICLES)) * 17)
            self.load_article(data, now - timedelta(hours=hours_ago), sections, sources, admin)

    def load_article(self, data, publish_at, sections, sources, admin):
        headline = data["headline"]
        # The headline is the demo article's natural key; an existing one is left as edited.
        existing = Article.objects.filter(headline=headline).first()
        self.count("articles", existing is None, f"article {headline}")
        if existing:
            if existing.photo_id:
                self.count("photos", False, "")
                if not self.dry_run:
                    # Photos from before renditions existed get theirs; made ones are reused.
                    photo = existing.photo
                    make_renditions_after_commit(photo)
            return
        section = sections[data["section"]]
        article = Article.objects.create(
            headline=headline,
            section=section,
            standfirst=data["standfirst"],
            body=body_html(data["body"]),
            byline=data["byline"],
            photo=self.load_photo(data, section, sources, admin),
            status=Article.Status.PUBLISHED,
            publish_at=publish_at,
            created_by=admin,
        )
        article.tags.set(data["tags"])
        ArticleSource.objects.bulk_create(
            ArticleSource(article=article, source=sources[name], position=position)
            for position, name in enumerate(data["sources"], start=1)
        )
        if admin:
            article.authors.set([admin])
        # Backdate past auto_now/auto_now_add so the page claims no "Updated" it didn't have.
        updated_at = publish_at + timedelta(hours=data.get("updated_after_hours", 0))
        Article.objects.filter(pk=article.pk).update(
            created_at=publish_at - timedelta(hours=1),
            updated_at=updated_at,
            first_published_at=publish_at,
        )

    def load_photo(self, data, section, sources, admin):
        spec = data.get("photo")
        # A dry run makes no photos: files written inside a rolled-back transaction would stay.
        if not spec or self.dry_run:
            return None
        photo = Photo.objects.filter(credit=spec["credit"], caption=spec["caption"]).first()
        self.count("photos", photo is None, f"photo {spec['credit']}")
        if photo:
            # Photos from before renditions existed get theirs now; made ones are reused.
            make_renditions_after_commit(photo)
            return photo
        photo = Photo(
            caption=spec["caption"],
            credit=spec["credit"],
            alt_text=spec["alt_text"],
            provider=sources.get(spec.get("provider")),
            uploaded_by=admin,
        )
        filename = f"demo-{ascii_slugify(data['headline'])}.jpg"
        path = photo.image.field.generate_filename(photo, filename)
        if photo.image.storage.exists(path):
            photo.image = path  # left by an interrupted run: reuse it rather than add a copy
        else:
            image = render_photo(section.name, self.colours[section.slug], filename)
            # Named: Django reads width/height from this content, and skips a nameless file.
            photo.image.save(filename, ContentFile(image, name=filename), save=False)
            self.written_files.append(photo.image.name)
        photo.save()
        make_renditions_after_commit(photo)
        return photo

    def count(self, kind, created, message):
        self.created[kind] += created
        self.created[f"{kind} total"] += 1
        if created:
            self.log(message)

    def report(self, admin, admin_created):
        if self.verbosity < 1:
            return
        c = self.created
        new = "would be new" if self.dry_run else "new"
        self.stdout.write(
            self.style.SUCCESS(
                f"{'Dry run, rolled back. ' if self.dry_run else ''}Demo newsroom: "
                f"{c['sections total']} sections ({c['sections']} {new}), "
                f"{c['sources total']} sources ({c['sources']} {new}), "
                f"{c['articles total']} articles ({c['articles']} {new}), "
                f"{c['photos total']} photos ({c['photos']} {new})"
            )
        )
        if self.dry_run:
            self.stdout.write("Photos are skipped in a dry run, so no image files are written.")
        if not settings.DEBUG:
            self.stdout.write(
                self.style.WARNING("No demo login was created because DEBUG is off.")
            )
        elif self.dry_run:
            if admin_created:
                self.stdout.write("Would create the demo superuser admin / admin.")
        elif admin_created or admin.check_password(DEMO_PASSWORD):
            self.stdout.write(f"Demo admin login: {ADMIN_URL} user admin, password admin")
            for username, group, _ in DEMO_STAFF:
                self.stdout.write(
                    f"Demo {group[:-1].lower()} login: user {username}, password {username}"
                )
        else:
            self.stdout.write(
                f"Demo admin login: {ADMIN_URL} user admin (existing account; its password "
                "was left unchanged)"
            )


def body_html(entries):
    """Paragraphs as <p>; entries starting with "> " as quotations."""
    return "".join(
        f"<blockquote><p>{escape(text[2:])}</p></blockquote>"
        if text.startswith("> ")
        else f"<p>{escape(text)}</p>"
        for text in entries
    )


def render_photo(label, colour, seed):
    """A JPEG placeholder: a gradient in the section's colour, a few circles, a big label."""
    width, height = PHOTO_SIZE
    dark = tuple(channel // 4 for channel in colour)
    gradient = Image.linear_gradient("L").resize(PHOTO_SIZE)
    image = ImageOps.colorize(gradient, black=colour, white=dark)
    draw = ImageDraw.Draw(image)
    # Circles placed from a hash of the file name: different per photo, identical per run.
    bits = zlib.crc32(seed.encode())
    light = tuple(min(255, channel + 70) for channel in colour)
    for i in range(4):
        x, y = (bits >> (i * 8)) % width, (bits >> (i * 5)) % height
        radius = 80 + (bits >> (i * 3)) % 220
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), outline=light, width=12)
    font, small = ImageFont.load_default(size=150), ImageFont.load_default(size=48)
    draw.text((90, height - 300), label.upper(), font=font, fill="white")
    draw.text((96, height - 120), "DEMO PHOTO", font=small, fill="white")
    buffer = BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()
