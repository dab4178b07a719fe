"""Prometheus metrics at /metrics, with prometheus_client.

prometheus_client rather than django-prometheus: django-prometheus counts queries and cache
calls by replacing the database ENGINE and cache BACKEND with its own subclasses, which
would fight dj-database-url's engines and the fail-open Redis cache. Here one middleware
counts requests, latency and queries (a query wrapper on each connection), and collectors
read the cache hit rate from Redis' own counters and the task queue from django-tasks'
table, at scrape time. Under gunicorn, set PROMETHEUS_MULTIPROC_DIR (deploy/gunicorn.conf.py
does) so every worker process's counts are added up.

Never public: with METRICS_TOKEN set, only `Authorization: Bearer <token>` is answered;
without it, only a request made straight to a loopback address with no proxy header.
"""

import contextlib
import hmac
import ipaddress
import logging
import os
import time

import redis
from django.apps import apps
from django.conf import settings
from django.db import connections
from django.db.models import Count
from django.http import HttpResponse, HttpResponseForbidden
from django.views.decorators.cache import never_cache
from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST

logger = logging.getLogger(__name__)

REQUESTS = Counter(
    "newsroom_http_requests", "Requests answered, by view and status.", ["view", "status"]
)
LATENCY = Histogram(
    "newsroom_http_request_duration_seconds",
    "Time to answer a request, by view.",
    ["view"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
QUERIES = Counter("newsroom_db_queries", "Database queries run, by database alias.", ["database"])

PROXY_HEADERS = ("X-Forwarded-For", "Forwarded", "X-Real-IP")


def view_label(request):
    # The URL pattern's name, not the path: a bounded set of labels.
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None and match.view_name else "unmatched"


class MetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def count_query(self, alias):
        def wrapper(execute, sql, params, many, context):
            QUERIES.labels(alias).inc()
            return execute(sql, params, many, context)

        return wrapper

    def __call__(self, request):
        started = time.perf_counter()
        with contextlib.ExitStack() as stack:
            for connection in connections.all(initialized_only=False):
                stack.enter_context(connection.execute_wrapper(self.count_query(connection.alias)))
            response = self.get_response(request)
        view = view_label(request)
        LATENCY.labels(view).observe(time.perf_counter() - started)
        REQUESTS.labels(view, str(response.status_code)).inc()
        return response


class CacheCollector:
    """Redis' own keyspace hits and misses: the cache hit rate across every web process."""

    def collect(self):
        if not settings.REDIS_URL:
            return
        up = GaugeMetricFamily("newsroom_cache_up", "1 if Redis answered this scrape.")
        try:
            client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=1)
            stats = client.info("stats")
        except redis.RedisError as error:
            logger.warning("Metrics: Redis unreachable (%s)", type(error).__name__)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield CounterMetricFamily(
            "newsroom_cache_hits", "Cache reads that found a value.", stats["keyspace_hits"]
        )
        yield CounterMetricFamily(
            "newsroom_cache_misses", "Cache reads that found nothing.", stats["keyspace_misses"]
        )


def task_result_model():
    """django-tasks' database backend table, if that backend is installed."""
    try:
        return apps.get_model("django_tasks_database", "DBTaskResult")
    except LookupError:
        return None


class TaskQueueCollector:
    """Tasks waiting (the queue depth) and tasks that failed, per queue."""

    def collect(self):
        model = task_result_model()
        if model is None:
            return
        depth = GaugeMetricFamily(
            "newsroom_task_queue_depth", "Tasks waiting for a worker.", labels=["queue"]
        )
        failed = GaugeMetricFamily(
            "newsroom_tasks_failed", "Failed tasks kept for the desk to see.", labels=["queue"]
        )
        rows = model.objects.values_list("queue_name", "status").annotate(count=Count("pk"))
        for queue, status, count in rows.order_by():
            if status == "READY":
                depth.add_metric([queue], count)
            elif status == "FAILED":
                failed.add_metric([queue], count)
        yield depth
        yield failed


class ProcessCollector:
    """This process's own counters, when there is no multiprocess directory to add up."""

    def collect(self):
        yield from REGISTRY.collect()


def scrape_registry():
    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(ProcessCollector())
    registry.register(CacheCollector())
    registry.register(TaskQueueCollector())
    return registry


def may_scrape(request):
    if settings.METRICS_TOKEN:
        offered = request.headers.get("Authorization", "").removeprefix("Bearer ")
        return hmac.compare_digest(offered.encode(), settings.METRICS_TOKEN.encode())
    if any(header in request.headers for header in PROXY_HEADERS):
        return False
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


@never_cache
def metrics(request):
    if not may_scrape(request):
        return HttpResponseForbidden("Metrics are not public.", content_type="text/plain")
    return HttpResponse(generate_latest(scrape_registry()), content_type=CONTENT_TYPE_LATEST)
