"""Real Redis and Varnish servers for the tests, each on a free loopback port.

Both come from Debian (`redis-server`, `varnish` and `varnish-modules`; .ci/run installs
them). Without them a test skips locally and fails in CI.
"""

import os
import shutil
import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

VCL = Path(__file__).resolve().parent.parent / "deploy" / "varnish" / "newsroom.vcl"


def require(program):
    path = shutil.which(program) or shutil.which(program, path="/usr/sbin:/usr/bin")
    if path is None:
        message = f"{program} is not installed (Debian package; see .ci/run)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port, process, timeout=15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port} after {timeout} s")


@contextmanager
def running(command, port, log):
    with open(log, "wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)  # noqa: S603
    try:
        wait_for_port(port, process)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class RedisServer:
    """A throwaway Redis keeping nothing on disk, which a test may stop and start again."""

    def __init__(self, folder):
        self.folder = folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        command = [require("redis-server"), "--bind", "127.0.0.1", "--port", str(self.port)]
        command += ["--save", "", "--appendonly", "no", "--dir", str(self.folder)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)  # noqa: S603
        wait_for_port(self.port, self.process)

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@contextmanager
def redis_server(folder):
    """A throwaway Redis for the length of a `with`; yields its URL."""
    server = RedisServer(folder)
    server.start()
    try:
        yield server.url
    finally:
        server.stop()


@contextmanager
def varnish(folder, backend_port):
    """Varnish with deploy/varnish/newsroom.vcl in front of 127.0.0.1:`backend_port`."""
    program = require("varnishd")
    vcl = folder / "newsroom.vcl"
    vcl.write_text(VCL.read_text().replace('.port = "8000";', f'.port = "{backend_port}";'))
    port = free_port()
    command = [program, "-F", "-j", "none", "-n", str(folder / "varnish")]
    command += ["-a", f"127.0.0.1:{port}", "-f", str(vcl), "-s", "malloc,32m"]
    command += ["-T", "none"]
    with running(command, port, folder / "varnish.log"):
        yield f"http://127.0.0.1:{port}"
