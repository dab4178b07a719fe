"""Request ids, JSON logs and the Prometheus endpoint, as operations people meet them."""

import io
import json
import logging
import re

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache

from newsroom.metrics import task_result_model
from newsroom.observability import JsonFormatter, RequestIdFilter
from tests.factories import ArticleFactory
from tests.redis_server import redis_cache, redis_server  # noqa: F401 (fixtures)


@pytest.fixture
def json_log():
    """The request logger's lines, through the formatter and filter settings.py names."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("newsroom.request")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    yield stream
    logger.removeHandler(handler)
    logger.setLevel(level)


def log_lines(stream):
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_logs_are_json_with_debug_off():
    assert django_settings.LOG_FORMAT == "json"
    console = django_settings.LOGGING["handlers"]["console"]
    assert console["formatter"] == "json"
    assert console["filters"] == ["request_id"]


@pytest.mark.django_db
def test_each_response_carries_a_new_request_id(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert first != second


@pytest.mark.django_db
def test_a_proxys_request_id_is_kept_and_logged(client, politics, json_log):
    response = client.get("/", HTTP_X_REQUEST_ID="lb-7f3a9c2e-0001")
    assert response["X-Request-ID"] == "lb-7f3a9c2e-0001"
    [line] = log_lines(json_log)
    assert line["request_id"] == "lb-7f3a9c2e-0001"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/", 200)
    assert line["level"] == "INFO"


@pytest.mark.parametrize(
    "hostile",
    [
        "x\r\nSet-Cookie: sessionid=stolen",
        '<script>alert(1)</script>"}',
        "a" * 500,
        "short",
    ],
)
@pytest.mark.django_db
def test_a_hostile_request_id_is_replaced_not_echoed(client, hostile, json_log):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=hostile)
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
    assert "Set-Cookie" not in response
    [line] = log_lines(json_log)
    assert line["request_id"] == response["X-Request-ID"]


@pytest.mark.django_db
def test_django_error_logs_carry_the_request_id(client):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        response = client.get("/no/such/page/at/all/", HTTP_X_REQUEST_ID="edge-42-abcdef")
    finally:
        logger.removeHandler(handler)
    [line] = log_lines(stream)
    assert line["request_id"] == response["X-Request-ID"] == "edge-42-abcdef"
    assert line["message"] == "Not Found: /no/such/page/at/all/"


@pytest.mark.django_db
def test_a_hostile_path_stays_one_log_line(client, json_log):
    client.get('/nope\n{"level": "CRITICAL", "message": "forged"}')
    lines = json_log.getvalue().splitlines()
    assert len(lines) == 1
    assert json.loads(lines[0])["status"] == 404
    assert json.loads(lines[0])["level"] == "INFO"


# /metrics: for Prometheus only.


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who, extra",
    [
        ("anonymous from the internet", {"REMOTE_ADDR": "203.0.113.5"}),
        ("anonymous through the local proxy", {"HTTP_X_FORWARDED_FOR": "203.0.113.5"}),
        ("anonymous through a Forwarded proxy", {"HTTP_FORWARDED": "for=203.0.113.5"}),
        ("a bogus address", {"REMOTE_ADDR": "not-an-address"}),
    ],
)
def test_metrics_are_refused_to_the_public(client, who, extra):
    response = client.get("/metrics", **extra)
    assert response.status_code == 403, who
    assert "newsroom_http_requests" not in response.text


@pytest.mark.parametrize("user_fixture", ["journalist", "editor", "admin_user"])
def test_metrics_are_refused_to_signed_in_staff_from_outside(client, request, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    response = client.get("/metrics", REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 403


@pytest.mark.django_db
def test_with_a_token_only_the_token_opens_metrics(client, settings):
    settings.METRICS_TOKEN = "scrape-token-for-tests-0123456789"
    assert client.get("/metrics").status_code == 403  # loopback is not enough any more
    wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-token-for-tests-01234567")
    assert wrong.status_code == 403
    right = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {settings.METRICS_TOKEN}")
    assert right.status_code == 200


def metric_value(text, name, **labels):
    wanted = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        metric, _, value = line.rpartition(" ")
        metric_name, _, metric_labels = metric.partition("{")
        found = ",".join(sorted(metric_labels.rstrip("}").split(","))) if metric_labels else ""
        if metric_name == name and found == wanted:
            return float(value)
    return 0.0


@pytest.mark.django_db
def test_metrics_count_pages_statuses_latency_and_queries(client, politics):
    ArticleFactory(section=politics, headline="Counted")
    before = client.get("/metrics").text
    for _ in range(3):
        assert client.get("/").status_code == 200
    assert client.get("/no/such/page/at/all/").status_code == 404
    after = client.get("/metrics")
    assert after.status_code == 200
    assert "no-cache" in after["Cache-Control"]
    text = after.text

    def grew(name, **labels):
        return metric_value(text, name, **labels) - metric_value(before, name, **labels)

    assert grew("newsroom_http_requests_total", view="articles:front-page", status="200") == 3
    assert grew("newsroom_http_requests_total", view="unmatched", status="404") == 1
    assert grew("newsroom_http_request_duration_seconds_count", view="articles:front-page") == 3
    assert grew("newsroom_db_queries_total", database="default") >= 3


@pytest.mark.django_db
def test_metrics_show_the_task_queue_only_when_django_tasks_is_installed(
    client, django_assert_num_queries
):
    with_queue = task_result_model() is not None
    # One grouped count of the task table, or nothing at all without it.
    with django_assert_num_queries(1 if with_queue else 0):
        text = client.get("/metrics").text
    assert ("newsroom_task_queue_depth" in text) == with_queue


@pytest.mark.django_db
def test_metrics_read_the_cache_hit_rate_from_redis(client, redis_cache):  # noqa: F811
    assert cache.get("front") is None
    cache.set("front", "page", 30)
    assert cache.get("front") == "page"
    text = client.get("/metrics").text
    assert metric_value(text, "newsroom_cache_up") == 1
    assert metric_value(text, "newsroom_cache_hits_total") >= 1
    assert metric_value(text, "newsroom_cache_misses_total") >= 1
    redis_cache.stop()
    down = client.get("/metrics")
    assert down.status_code == 200
    assert metric_value(down.text, "newsroom_cache_up") == 0
