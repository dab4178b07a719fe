from django.core.management.base import BaseCommand

from articles.models import Source
from articles.tasks import poll_all_feeds
from articles.wire.feeds import FeedError, fetch_all, store_entries


class Command(BaseCommand):
    help = (
        "Poll every Source that has a feed URL (RSS or Atom) into the wire inbox. Entries "
        "already in the inbox are skipped; nothing becomes an article until a journalist "
        "creates a draft from it in the admin."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Fetch and parse, but save nothing."
        )
        parser.add_argument(
            "--queue",
            action="store_true",
            help="Hand the polling to the task queue's workers (one task per feed) and return.",
        )

    def handle(self, *args, dry_run=False, queue=False, verbosity=1, **options):
        if queue:
            result = poll_all_feeds.enqueue()
            self.stdout.write(f"Queued the feed polls (task {result.id}).")
            return
        failures = 0
        # Fetched in parallel; stored here, one feed at a time, as each arrives.
        for source, data in fetch_all(Source.objects.exclude(feed_url="")):
            try:
                if isinstance(data, FeedError):
                    raise data
                if dry_run:
                    self.stdout.write(f"{source}: fetched {len(data):,} bytes (dry run)")
                    continue
                new = store_entries(source, data)
            except FeedError as error:
                failures += 1
                self.stderr.write(self.style.ERROR(f"{source}: {error}"))
                continue
            if verbosity >= 1:
                self.stdout.write(self.style.SUCCESS(f"{source}: {new} new entries"))
        if failures and verbosity >= 1:
            self.stderr.write(self.style.WARNING(f"{failures} feed(s) could not be polled."))
