from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.tasks import import_wire_files
from articles.wire.files import ingest_paths
from articles.wire.store import Outcome


class Command(BaseCommand):
    help = (
        "Import agency copy (IPTC NINJS .json, NewsML-G2 .xml) from files or folders: text "
        "items become draft articles in their routed section (else the Wire inbox), pictures "
        "become photos. Importing the same item version again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Files or folders (searched recursively).")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Parse and report each item, then roll every change back.",
        )
        parser.add_argument(
            "--queue",
            action="store_true",
            help="Hand the whole batch to the task queue (a db_worker imports it) and return "
            "at once; failed items are then in the worker's result, not printed here.",
        )

    def handle(self, *args, paths, dry_run=False, queue=False, verbosity=1, **options):
        if queue:
            if dry_run:
                raise CommandError("--dry-run reports here: it cannot be queued.")
            result = import_wire_files.enqueue([str(Path(path).resolve()) for path in paths])
            if verbosity >= 1:
                self.stdout.write(f"Queued the import of {len(paths)} path(s): task {result.id}")
            return
        styles = {
            Outcome.IMPORTED: self.style.SUCCESS,
            Outcome.UPDATED: self.style.SUCCESS,
            Outcome.FLAGGED: self.style.WARNING,
            Outcome.UNCHANGED: str,
            Outcome.SKIPPED: self.style.WARNING,
            Outcome.FAILED: self.style.ERROR,
        }
        counts = Counter()
        for outcome in ingest_paths(paths, dry_run=dry_run):
            counts[outcome.status] += 1
            if outcome.status == Outcome.FAILED:
                self.stderr.write(styles[outcome.status](str(outcome)))
            elif verbosity >= 2 or (verbosity >= 1 and outcome.status != Outcome.UNCHANGED):
                self.stdout.write(styles[outcome.status](str(outcome)))
        if not counts:
            raise CommandError("No NINJS (.json) or NewsML-G2 (.xml) files found.")
        summary = ", ".join(f"{counts[status]} {status}" for status in styles if counts[status])
        if verbosity >= 1:
            prefix = "Dry run, nothing saved: " if dry_run else ""
            self.stdout.write(prefix + summary)
