"""gunicorn settings for the newsroom: `gunicorn -c deploy/gunicorn.conf.py newsroom.wsgi`.

Every value can be changed from the environment, so the same file serves the systemd unit,
the container and `make stack`.
"""

import multiprocessing
import os
import shutil
import tempfile

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: a page is a few short queries; threads add nothing but contention.
workers = int(os.environ.get("GUNICORN_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
# A request that takes this long is stuck (a dead database socket): the worker is replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Workers are recycled now and then, so a slow leak never takes a web process down.
max_requests = 2000
max_requests_jitter = 200
# Load the app once in the master: workers fork ready, and a broken release fails at start.
preload_app = True
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
# The request id the app echoes, so access lines join the app's JSON logs.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms rid=%({x-request-id}o)s'
errorlog = "-"

# Prometheus: each worker writes its counters to this folder and /metrics adds them up.
# It must be empty at start, and a dead worker's live gauges are dropped.
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="newsroom-metrics-")


def on_starting(server):
    folder = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder, exist_ok=True)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
