"""The task queue's machinery: retries with back-off, and queueing once a transaction commits.

The engine is Django's Tasks framework through the django-tasks backport: the same API as
Django 6's `django.tasks`, so moving to it is an import change. With
NEWSROOM_TASKS_BACKEND=database tasks wait in the database we already run (no broker) for
any number of `manage.py db_worker` processes; by default they run inline.

A leaf module: the tasks themselves live in `articles.tasks`, which imports the services.
"""

import functools
import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

logger = logging.getLogger(__name__)


class RetryScheduled(Exception):
    """This attempt failed and a later one is queued; the worker records this attempt."""


def retry_delay(attempt):
    """Seconds before the next attempt: 30, 60, 120... with the default setting."""
    return settings.NEWSROOM_TASK_RETRY_SECONDS * 2 ** (attempt - 1)


def retried_task(func):
    """A task that, when an attempt fails, queues the next one after an exponential back-off.

    The attempt number travels as the `attempt` keyword; after NEWSROOM_TASK_MAX_ATTEMPTS the
    error is left as the task's outcome, for staff to see. django-tasks has no retries of
    its own. Inline (no queue) there is nobody to wait for a later attempt: one failure is
    final and logged. Every task must be idempotent: a retry may follow a half-done attempt.
    """

    @functools.wraps(func)
    def run(*args, attempt=1, **kwargs):
        try:
            return func(*args, **kwargs)
        except Exception as error:
            limit = settings.NEWSROOM_TASK_MAX_ATTEMPTS
            if attempt >= limit or not queued.get_backend().supports_defer:
                raise
            when = timezone.now() + timedelta(seconds=retry_delay(attempt))
            queued.using(run_after=when).enqueue(*args, attempt=attempt + 1, **kwargs)
            logger.warning(
                "Task %s attempt %d of %d failed; retrying at %s",
                queued.name,
                attempt,
                limit,
                when.isoformat(),
                exc_info=True,
            )
            raise RetryScheduled(
                f"Attempt {attempt} of {limit} failed ({type(error).__name__}: {error}); "
                f"attempt {attempt + 1} is queued for {when:%Y-%m-%d %H:%M:%S %Z}."
            ) from error

    queued = task(run)
    return queued


def enqueue_on_commit(task_path, *args):
    """Queue the task named by its dotted path once the current transaction commits.

    Named by path, as the queue itself stores tasks, because the services that ask for work
    sit below `articles.tasks`, which imports them.
    """
    transaction.on_commit(lambda: import_string(task_path).enqueue(*args))


def queue_is_on():
    """Whether tasks wait for a worker (NEWSROOM_TASKS_BACKEND=database) rather than run inline."""
    return settings.NEWSROOM_TASKS_BACKEND == "database"
