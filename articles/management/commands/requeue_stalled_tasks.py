from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult


class Command(BaseCommand):
    help = (
        "Put back in the queue the tasks still marked running long after they started: their "
        "worker died mid-run (killed, out of memory, machine lost). Tasks are idempotent, so "
        "running one again is safe. Run it from a timer next to the workers."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=None,
            metavar="SECONDS",
            help="Running for longer than this is stalled "
            "(default: NEWSROOM_TASK_STALLED_SECONDS, %(default)s means that setting).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count the stalled tasks, change nothing."
        )

    def handle(self, *args, older_than=None, dry_run=False, verbosity=1, **options):
        if older_than is None:
            older_than = settings.NEWSROOM_TASK_STALLED_SECONDS
        cutoff = timezone.now() - timedelta(seconds=older_than)
        with transaction.atomic():
            stalled = DBTaskResult.objects.running().filter(started_at__lte=cutoff)
            if dry_run:
                count = stalled.count()
            else:
                # Ready again at once; the worker ids stay, as a record of who tried.
                count = stalled.update(
                    status=TaskResultStatus.READY, started_at=None, run_after=timezone.now()
                )
        if verbosity:
            verb = "Would put back" if dry_run else "Put back"
            self.stdout.write(self.style.SUCCESS(f"{verb} {count} stalled task(s)."))
