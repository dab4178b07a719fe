"""Read replicas: readers' page reads go to a healthy replica, everything else to the primary.

Switched on by DATABASE_REPLICA_URLS (settings.DATABASE_REPLICAS names the aliases). The
primary is the default: management commands, workers and tests read and write there. Only
a request that `ReplicaReadsMiddleware` judges a reader's (a safe method, no session
cookie, outside the admin) may read from a replica, so staff always read their own writes.

A replica is probed at most every DATABASE_REPLICA_CHECK_SECONDS: one that cannot be
reached, or whose replay lags more than DATABASE_REPLICA_MAX_LAG seconds behind, is
skipped until a later probe finds it well. With no healthy replica, reads go to the primary.
"""

import contextvars
import logging
import random
import threading
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

logger = logging.getLogger(__name__)

# False unless the current request is a reader's: then reads may go to a replica.
replica_reads_allowed = contextvars.ContextVar("replica_reads_allowed", default=False)

# Apps whose rows follow a person's actions, not a page: always the primary (sessions,
# sign-in throttling, second factors, the task queue). Users are read from a replica for a
# reader's byline; anyone signed in is on the primary anyway.
PRIMARY_ONLY_APPS = frozenset({"sessions", "axes", "otp_totp", "django_tasks_database"})

# Seconds of replay lag; 0 on a server that is not in recovery (a promoted replica).
# An idle primary sends no WAL, so a replica that has replayed everything it received
# is not lagging however old its last transaction is.
POSTGRES_LAG_SQL = """
    SELECT CASE
        WHEN NOT pg_is_in_recovery() THEN 0
        WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
        ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
    END
"""


def replica_lag_seconds(connection):
    """How far the replica behind `connection` lags; raises if it cannot be reached."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRES_LAG_SQL)
            return float(cursor.fetchone()[0])
        cursor.execute("SELECT 1")
        return 0.0


class ReplicaHealth:
    """Each replica's last probe, shared by the threads of one process."""

    def __init__(self):
        self._lock = threading.Lock()
        self._states = {}  # alias -> {"checked_at", "healthy", "lag", "error"}

    def reset(self):
        with self._lock:
            self._states.clear()

    def state(self, alias):
        """The replica's state, probing it again if the last probe is old enough."""
        interval = settings.DATABASE_REPLICA_CHECK_SECONDS
        with self._lock:
            state = self._states.get(alias)
            if state is not None and time.monotonic() - state["checked_at"] < interval:
                return state
        state = self.probe(alias)
        with self._lock:
            self._states[alias] = state
        return state

    def probe(self, alias):
        connection = connections[alias]
        state = {"checked_at": time.monotonic(), "healthy": False, "lag": None, "error": ""}
        try:
            lag = replica_lag_seconds(connection)
        except Exception as error:  # any failure means: skip this replica
            # The error's class only: a message could carry a host name or a password.
            state["error"] = type(error).__name__
            connection.close()
            logger.warning("Database replica %s is unreachable: %s", alias, state["error"])
            return state
        state["lag"] = lag
        if lag > settings.DATABASE_REPLICA_MAX_LAG:
            state["error"] = "lagging"
            logger.warning("Database replica %s lags %.1f s behind; skipped", alias, lag)
        else:
            state["healthy"] = True
        return state

    def healthy_replicas(self):
        return [alias for alias in settings.DATABASE_REPLICAS if self.state(alias)["healthy"]]


health = ReplicaHealth()


class ReplicaRouter:
    """Listed in DATABASE_ROUTERS only when replicas are configured."""

    def db_for_read(self, model, **hints):
        if not replica_reads_allowed.get() or model._meta.app_label in PRIMARY_ONLY_APPS:
            return DEFAULT_DB_ALIAS
        healthy = health.healthy_replicas()
        if not healthy:
            return DEFAULT_DB_ALIAS
        return random.choice(healthy)  # noqa: S311 (spreading load, not a secret)

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Replicas hold the primary's rows: an object read from either may point to the other.
        same_data = {DEFAULT_DB_ALIAS, *settings.DATABASE_REPLICAS}
        return obj1._state.db in same_data and obj2._state.db in same_data

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ReplicaReadsMiddleware:
    """Marks a reader's request: replica reads allowed. Anyone signed in stays on the primary.

    A session cookie is the mark of someone signed in (readers have none), so the decision
    costs no query; it holds for every request while the session lasts. Writes, the admin
    and the sign-in pages never read from a replica.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = "/admin/"

    def reader_request(self, request):
        return (
            request.method in SAFE_METHODS
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.path.startswith(self.admin_prefix)
        )

    def __call__(self, request):
        token = replica_reads_allowed.set(self.reader_request(request))
        try:
            return self.get_response(request)
        finally:
            replica_reads_allowed.reset(token)
