"""The newsroom as a real multi-process stack on one machine, on loopback ports.

    .venv/bin/python -m deploy.stack.stack          # start, print the addresses, wait for ^C

PostgreSQL 15 primary and a streaming replica (pg_basebackup), redis-server, moto's S3
server, two gunicorn processes, a django-tasks `db_worker` when django-tasks is installed
and Varnish when deploy/varnish/newsroom.vcl exists. Everything comes from Debian's and
PyPI's packages, listens on 127.0.0.1 only and lives in one temporary folder removed at
the end. `Stack` is what deploy/stack/faults.py drives.
"""

import importlib.util
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
VCL = ROOT / "deploy" / "varnish" / "newsroom.vcl"
PYTHON = sys.executable


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.3).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing answered on 127.0.0.1:{port} within {timeout} s")


def wait_for_http(url, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


class Stack:
    NAMES = ("pg-primary", "pg-replica", "redis", "s3", "web1", "web2", "worker", "cache")

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="newsroom-stack-"))
        self.as_root = os.getuid() == 0
        if self.as_root:
            shutil.chown(self.folder, "postgres")
            self.folder.chmod(0o755)
        self.ports = {name: free_port() for name in self.NAMES}
        self.processes = {}
        self.has_worker = importlib.util.find_spec("django_tasks") is not None
        self.has_cache = VCL.is_file() and shutil.which("varnishd") is not None
        self.urls = [f"http://127.0.0.1:{self.ports[name]}" for name in ("web1", "web2")]
        self.cache_url = f"http://127.0.0.1:{self.ports['cache']}" if self.has_cache else None
        self.env = self.environment()

    # Configuration -------------------------------------------------------------------

    def pg_url(self, name):
        return f"postgres://newsroom@127.0.0.1:{self.ports[name]}/newsroom"

    def environment(self):
        env = {
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "NEWSROOM_C2PA_SIGNING": "0",
            "DATABASE_URL": self.pg_url("pg-primary"),
            "DATABASE_REPLICA_URLS": self.pg_url("pg-replica"),
            "DATABASE_REPLICA_CHECK_SECONDS": "1",
            "CONN_MAX_AGE": "60",
            "REDIS_URL": f"redis://127.0.0.1:{self.ports['redis']}/0",
            "MEDIA_STORAGE_URL": f"s3://newsroom-media?endpoint_url=http://127.0.0.1:{self.ports['s3']}",
            "AWS_ACCESS_KEY_ID": "stack-test",
            "AWS_SECRET_ACCESS_KEY": "stack-test",  # moto accepts any key
            "AWS_DEFAULT_REGION": "us-east-1",
            "PHOTO_ORIGINALS_ROOT": str(self.folder / "originals"),
            "PHOTO_RENDITIONS_ROOT": str(self.folder / "renditions"),
            "LOG_FORMAT": "json",
            "LOG_LEVEL": "WARNING",
        }
        if self.has_worker:
            env["NEWSROOM_TASKS_BACKEND"] = "database"
        if self.has_cache:
            env["FRONT_CACHE_URLS"] = self.cache_url
        return env

    def process_env(self, **extra):
        return {**os.environ, **self.env, **extra}

    def log(self, name):
        return open(self.folder / f"{name}.log", "ab")  # noqa: SIM115 (kept by the process)

    def as_postgres(self, *command, check=True):
        # initdb refuses to run as root: as root, PostgreSQL runs as Debian's `postgres` user.
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_root else []
        return subprocess.run(  # noqa: S603 (fixed commands)
            [*prefix, *map(str, command)], check=check, capture_output=True
        )

    # PostgreSQL ----------------------------------------------------------------------

    def pg_data(self, name):
        return self.folder / name

    def init_primary(self):
        data = self.pg_data("pg-primary")
        self.as_postgres(
            PG_BIN / "initdb",
            "-D",
            data,
            "-U",
            "newsroom",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        with open(data / "postgresql.conf", "a") as conf:
            conf.write("wal_level = replica\nmax_wal_senders = 5\nhot_standby = on\n")
        with open(data / "pg_hba.conf", "a") as hba:
            hba.write("host replication newsroom 127.0.0.1/32 trust\n")

    def on_primary(self, program, *args):
        """A PostgreSQL client program run against the primary, as the `newsroom` role."""
        return self.as_postgres(
            PG_BIN / program, "-h", "127.0.0.1", "-p", self.ports["pg-primary"], "-U", "newsroom",
            *args,
        )  # fmt: skip

    def init_replica(self):
        self.on_primary(
            "pg_basebackup",
            "-D",
            self.pg_data("pg-replica"),
            "-R",
            # A fast checkpoint: otherwise the copy waits for the next scheduled one.
            "--checkpoint=fast",
            "-X",
            "stream",
        )

    def pg_start(self, name):
        self.as_postgres(
            PG_BIN / "pg_ctl",
            "-D",
            self.pg_data(name),
            "-l",
            self.folder / f"{name}.log",
            "-w",
            "start",
            "-o",
            f"-p {self.ports[name]} -k {self.folder} -c listen_addresses=127.0.0.1",
        )

    def pg_stop(self, name, mode="fast"):
        self.as_postgres(
            PG_BIN / "pg_ctl", "-D", self.pg_data(name), "-m", mode, "-w", "stop", check=False
        )

    def pg_pid(self, name):
        return int((self.pg_data(name) / "postmaster.pid").read_text().split()[0])

    # Other processes -----------------------------------------------------------------

    def command(self, name):
        port = str(self.ports[name])
        if name == "redis":
            return [
                shutil.which("redis-server"),
                "--bind",
                "127.0.0.1",
                "--port",
                port,
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ]
        if name == "s3":
            return [str(Path(PYTHON).parent / "moto_server"), "-H", "127.0.0.1", "-p", port]
        if name in ("web1", "web2"):
            return [
                str(Path(PYTHON).parent / "gunicorn"),
                "-c",
                "deploy/gunicorn.conf.py",
                "newsroom.wsgi",
            ]
        if name == "worker":
            return [PYTHON, "manage.py", "db_worker"]
        if name == "cache":
            vcl = self.folder / "newsroom.vcl"
            backend = self.ports["web1"]
            text = re.sub(r'\.port\s*=\s*"\d+"', f'.port = "{backend}"', VCL.read_text())
            vcl.write_text(re.sub(r'\.host\s*=\s*"[^"]+"', '.host = "127.0.0.1"', text))
            return [
                shutil.which("varnishd"),
                "-F",
                "-a",
                f"127.0.0.1:{port}",
                "-f",
                str(vcl),
                "-n",
                str(self.folder / "varnish"),
                "-s",
                "malloc,64m",
            ]
        raise KeyError(name)

    def extra_env(self, name):
        if name in ("web1", "web2"):
            metrics = self.folder / f"metrics-{name}"
            return {
                "GUNICORN_BIND": f"127.0.0.1:{self.ports[name]}",
                "GUNICORN_WORKERS": "2",
                "PROMETHEUS_MULTIPROC_DIR": str(metrics),
            }
        return {}

    def start(self, name):
        if name in ("pg-primary", "pg-replica"):
            self.pg_start(name)
            return
        if name == "worker" and not self.has_worker or name == "cache" and not self.has_cache:
            return
        self.processes[name] = subprocess.Popen(  # noqa: S603 (fixed commands)
            self.command(name),
            cwd=ROOT,
            env=self.process_env(**self.extra_env(name)),
            stdout=self.log(name),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        if name in ("web1", "web2"):
            wait_for_http(f"http://127.0.0.1:{self.ports[name]}/healthz")
        elif name != "worker":
            wait_for_port(self.ports[name])

    def restart_exited(self):
        """What the systemd units' Restart=always does for web and worker processes: start
        again any that exited. Returns which, with their exit codes."""
        restarted = []
        for name in ("web1", "web2", "worker"):
            process = self.processes.get(name)
            if process is not None and process.poll() is not None:
                restarted.append(f"{name} (exit code {process.returncode})")
                self.processes.pop(name)
                self.start(name)
        return restarted

    def stop(self, name):
        if name in ("pg-primary", "pg-replica"):
            self.pg_stop(name)
            return
        process = self.processes.pop(name, None)
        if process is None:
            return
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def restart(self, name):
        self.stop(name)
        self.start(name)

    def kill(self, name, sig=signal.SIGKILL):
        if name in ("pg-primary", "pg-replica"):
            os.kill(self.pg_pid(name), sig)
            return
        process = self.processes[name]
        os.killpg(process.pid, sig)
        if sig in (signal.SIGKILL, signal.SIGTERM):
            process.wait(timeout=20)
            self.processes.pop(name)

    def manage(self, *args, check=True):
        """Runs manage.py with the stack's settings; returns its standard output."""
        result = subprocess.run(  # noqa: S603 (fixed command)
            [PYTHON, "manage.py", *map(str, args)],
            cwd=ROOT,
            env=self.process_env(),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if check and result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    # The whole stack -----------------------------------------------------------------

    def up(self):
        started = time.monotonic()

        def step(what):
            print(f"  {time.monotonic() - started:5.1f} s  {what}", file=sys.stderr, flush=True)

        self.init_primary()
        self.pg_start("pg-primary")
        self.on_primary("createdb", "newsroom")
        step("primary up")
        self.init_replica()
        self.pg_start("pg-replica")
        step("replica up")
        self.start("redis")
        self.start("s3")
        self.create_bucket()
        step("redis and s3 up")
        self.manage("migrate", "--noinput", "--verbosity", "0")
        step("migrated")
        # DEBUG is off, as in production: pages need the hashed static files' manifest.
        self.manage("collectstatic", "--noinput", "--verbosity", "0")
        step("static files collected")
        for name in ("web1", "web2", "worker", "cache"):
            self.start(name)
        step("web, worker and cache up")
        return self

    def create_bucket(self):
        import boto3  # installed with moto[server], the stack's own extra

        boto3.client(
            "s3",
            endpoint_url=f"http://127.0.0.1:{self.ports['s3']}",
            aws_access_key_id="stack-test",
            aws_secret_access_key="stack-test",  # noqa: S106 (moto accepts any key)
            region_name="us-east-1",
        ).create_bucket(Bucket="newsroom-media")

    def down(self):
        for name in reversed(self.NAMES):
            try:
                self.stop(name)
            except OSError:
                pass
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self):
        try:
            return self.up()
        except BaseException:
            self.down()
            raise

    def __exit__(self, *exc):
        self.down()


def main():
    with Stack() as stack:
        print("Stack up (Ctrl-C stops it and removes everything):")  # noqa: T201
        for url in stack.urls:
            print(f"  web      {url}/")  # noqa: T201
        if stack.cache_url:
            print(f"  cache    {stack.cache_url}/")  # noqa: T201
        for key in ("DATABASE_URL", "DATABASE_REPLICA_URLS", "REDIS_URL", "MEDIA_STORAGE_URL"):
            print(f"  {key}={stack.env[key]}")  # noqa: T201
        print(f"  logs in {stack.folder}")  # noqa: T201
        try:
            signal.pause()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
