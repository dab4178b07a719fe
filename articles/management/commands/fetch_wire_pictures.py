from django.core.management.base import BaseCommand

from articles.wire.pictures import fetch_picture, waiting


class Command(BaseCommand):
    help = (
        "Fetch the agency renditions of wire photos that arrived as a URL only (from the "
        "hosts in WIRE_PICTURE_HOSTS, through the photo upload checks). Safe to rerun: "
        "photos that have their image are skipped, failed ones are tried again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List the photos waiting; fetch nothing."
        )

    def handle(self, *args, dry_run=False, verbosity=1, **options):
        photos = list(waiting())
        if not photos:
            if verbosity >= 1:
                self.stdout.write("No wire pictures are waiting to be fetched.")
            return
        failed = 0
        for photo in photos:
            if dry_run:
                self.stdout.write(f"waiting: photo {photo.pk} from {photo.original_url}")
                continue
            problem = fetch_picture(photo)
            if problem:
                failed += 1
                self.stderr.write(self.style.ERROR(f"failed: photo {photo.pk}: {problem}"))
            elif verbosity >= 1:
                self.stdout.write(self.style.SUCCESS(f"fetched: photo {photo.pk}"))
        if verbosity >= 1 and not dry_run:
            self.stdout.write(f"{len(photos) - failed} fetched, {failed} failed")
