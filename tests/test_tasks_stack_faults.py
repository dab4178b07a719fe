"""deploy/stack/faults_tasks.py run against a small stack of real processes: a database of
its own, moto's S3 server, a `db_worker` and a web process, all on 127.0.0.1."""

import importlib.util
import signal
import socket
import subprocess
import sys
import time

import boto3
import pytest

from tests.test_object_storage import free_port
from tests.worker_processes import ROOT, ProcessDatabase

spec = importlib.util.spec_from_file_location(
    "faults_tasks", ROOT / "deploy" / "stack" / "faults_tasks.py"
)
faults_tasks = importlib.util.module_from_spec(spec)
spec.loader.exec_module(faults_tasks)


class SmallStack:
    """The part of deploy/stack/stack.py's `Stack` these faults use."""

    def __init__(self, database, s3_port, web_port):
        self.database = database
        self.s3_port, self.web_port = s3_port, web_port
        endpoint = f"http://127.0.0.1:{s3_port}"
        self.env = {
            **database.env,
            "DEBUG": "1",  # static files from the finders: there is no collectstatic here
            "MEDIA_STORAGE_URL": f"s3://stack-media/site?endpoint_url={endpoint}"
            "&originals_bucket=stack-originals",
            "AWS_ACCESS_KEY_ID": "stack-test",
            "AWS_SECRET_ACCESS_KEY": "stack-test-secret",
            "AWS_DEFAULT_REGION": "us-east-1",
        }
        database.env = self.env
        self.urls = [f"http://127.0.0.1:{web_port}"]
        self.cache_url = None
        self.processes = {}

    def command(self, name):
        python = sys.executable
        return {
            "s3": [python, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.s3_port)],
            "worker": [
                python,
                "manage.py",
                "db_worker",
                "--no-reload",
                "--no-startup-delay",
                "--interval=0.2",
                "--verbosity=0",
            ],
            "web1": [
                python,
                "-m",
                "gunicorn",
                "--bind",
                f"127.0.0.1:{self.web_port}",
                "--workers=1",
                "newsroom.wsgi",
            ],
        }[name]

    def start(self, name):
        self.processes[name] = subprocess.Popen(
            self.command(name),
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port = {"s3": self.s3_port, "web1": self.web_port}.get(name)
        if port:
            wait_for_port(port)

    def stop(self, name):
        process = self.processes.pop(name)
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)

    def kill(self, name):
        process = self.processes.pop(name)
        process.kill()
        process.wait(timeout=30)

    def manage(self, *args):
        return self.database.manage(*args)

    def close(self):
        for name in list(self.processes):
            self.kill(name)


def wait_for_port(port, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing listens on 127.0.0.1:{port}")


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    database = ProcessDatabase(tmp_path_factory.mktemp("stack"))
    stack = SmallStack(database, free_port(), free_port())
    try:
        stack.start("s3")
        s3 = boto3.client(
            "s3",
            endpoint_url=f"http://127.0.0.1:{stack.s3_port}",
            region_name="us-east-1",
            aws_access_key_id="stack-test",
            aws_secret_access_key="stack-test-secret",
        )
        for bucket in ("stack-media", "stack-originals"):
            s3.create_bucket(Bucket=bucket)
        stack.start("worker")
        stack.start("web1")
        yield stack
    finally:
        stack.close()
        database.drop()


def test_a_worker_killed_mid_rendition_leaves_the_photo_with_all_its_renditions(stack):
    row = faults_tasks.fault_worker_killed(stack)
    assert row["ok"], row
    assert row["errors_by_status"] == {}
    assert row["requests"] > 0 and row["rows_checked"] >= 20
    assert "Put back 1 stalled task(s)." in row["notes"]


def test_a_store_refusing_writes_refuses_uploads_clearly_and_loses_no_file(stack):
    row = faults_tasks.fault_storage_refusing(stack)
    assert row["ok"], row
    assert "3 of 3 uploads refused with the store message" in row["notes"]
    assert row["errors_by_status"] == {}
    assert row["recovery_s"] is not None
