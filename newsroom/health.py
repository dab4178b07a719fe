"""Health probes for load balancers and orchestrators, answered before any other middleware.

/healthz: the process is alive and answering (touches nothing else).
/readyz: every dependency this process needs, each with its state; 503 when a required one
(the database, photo storage, the task queue when configured) is down. Replicas and the
cache are reported but not required: without them pages are served from the primary.
JSON, never cached, and no host name, address or error message in it: only states.
"""

import os
import sys
import time

from django.conf import settings
from django.core.cache import caches
from django.core.files.storage import FileSystemStorage
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.views import defaults

from articles import queue
from articles.photos.storage import originals_storage, rendition_storage
from newsroom import routers
from newsroom.metrics import task_result_model

RETRY_AFTER_SECONDS = 30


def timed(check):
    """Runs a check: its state ("up", or "down" with the error's class), and how long it took."""
    started = time.perf_counter()
    try:
        state = check() or {"state": "up"}
    except Exception as error:  # a probe reports any failure instead of raising it
        state = {"state": "down", "error": type(error).__name__}
    state["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return state


def check_database():
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")


def check_replica(alias):
    state = routers.health.state(alias)
    if state["healthy"]:
        return {"state": "up", "lag_s": state["lag"]}
    result = {"state": "down", "error": state["error"]}
    if state["lag"] is not None:
        result["lag_s"] = state["lag"]
    return result


def check_cache():
    cache = caches["default"]
    cache.set("newsroom:readyz", "1", 10)
    if cache.get("newsroom:readyz") != "1":
        return {"state": "down", "error": "value not kept"}
    return None


def check_storage():
    for storage in (originals_storage(), rendition_storage()):
        if isinstance(storage, FileSystemStorage):
            folder = storage.location
            # A folder not made yet is made at the first upload, if its parent is writable.
            while not os.path.exists(folder):
                folder = os.path.dirname(folder)
            if not os.path.isdir(folder) or not os.access(folder, os.W_OK):
                return {"state": "down", "error": "not a writable folder"}
        else:
            storage.exists("readyz-probe")
    return None


def check_queue():
    task_result_model().objects.filter(status="READY").exists()


def readiness():
    checks = {"database": (check_database, True)}
    for alias in settings.DATABASE_REPLICAS:
        checks[alias] = (lambda alias=alias: check_replica(alias), False)
    checks["cache"] = (check_cache, False)
    checks["storage"] = (check_storage, True)
    # Inline tasks (the default) have no queue to reach.
    if queue.queue_is_on():
        checks["queue"] = (check_queue, True)
    results = {}
    for name, (check, required) in checks.items():
        results[name] = {**timed(check), "required": required}
    ready = all(r["state"] == "up" for r in results.values() if r["required"])
    return ready, results


def json_response(data, status=200):
    response = JsonResponse(data, status=status)
    add_never_cache_headers(response)
    return response


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz":
            return json_response({"status": "alive"})
        if request.path == "/readyz":
            ready, checks = readiness()
            return json_response(
                {"status": "ready" if ready else "not ready", "checks": checks},
                status=200 if ready else 503,
            )
        return self.get_response(request)


def server_error(request):
    """handler500: a database that stops answering (a restart, a failover) is a clear 503.

    Any layer may meet it (a middleware loading the signed-in user, a view, a template), so
    it is caught here, where Django sends every uncaught exception. The request's
    transaction was rolled back, so nothing is half-saved; the page says so and asks to try
    again. Replicas are probed afresh, so the next reader skips one that died between
    probes. The page is rendered without the request: no query, no session.
    """
    error = sys.exc_info()[1]
    if not isinstance(error, OperationalError | InterfaceError):
        return defaults.server_error(request)
    routers.health.reset()
    response = HttpResponse(render_to_string("503_database.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response
