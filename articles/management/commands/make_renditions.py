from django.core.management.base import BaseCommand

from articles.models import Photo
from articles.photos import renditions


class Command(BaseCommand):
    help = (
        "Make the public renditions every photo with a file lacks, signing them with the "
        "newsroom's content credentials key. Run it after upgrading, so readers' requests "
        "never have to."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count the photos, make nothing."
        )

    def handle(self, *args, dry_run=False, verbosity=1, **options):
        photos = Photo.objects.exclude(image="").prefetch_related("renditions").order_by("pk")
        missing = [photo for photo in photos if not renditions.current_renditions(photo)]
        made = 0
        for photo in missing:
            # One photo at a time: ensure_renditions keeps each photo's files and rows together.
            if not dry_run and renditions.ensure_renditions(photo):
                made += 1
            if verbosity > 1:
                self.stdout.write(f"Photo {photo.pk}: {photo}")
        if verbosity:
            if dry_run:
                self.stdout.write(
                    self.style.SUCCESS(f"Would make renditions of {len(missing)} photo(s).")
                )
            else:
                self.stdout.write(self.style.SUCCESS(f"Made renditions of {made} photo(s)."))
            if not dry_run and made < len(missing):
                self.stdout.write(
                    self.style.ERROR(
                        f"{len(missing) - made} photo(s) failed: see the log for why."
                    )
                )
