"""Real `manage.py` processes on a database of their own: SQLite in a file, or a fresh
database on the PostgreSQL server the suite runs on (.ci/with-postgres)."""

import os
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent


class ProcessDatabase:
    def __init__(self, tmp_path):
        self.server_url = os.environ.get("DATABASE_URL", "")
        if self.server_url.startswith("postgres"):
            self.name = f"newsroom_worker_{uuid.uuid4().hex[:12]}"
            with psycopg.connect(self.server_url, autocommit=True) as connection:
                connection.execute(f'CREATE DATABASE "{self.name}"')
            self.url = urlsplit(self.server_url)._replace(path=f"/{self.name}").geturl()
        else:
            self.name = None
            self.path = tmp_path / "worker.sqlite3"
            self.url = f"sqlite:///{self.path}"
        self.files = tmp_path / "renditions"
        self.env = {
            **os.environ,
            "DATABASE_URL": self.url,
            "NEWSROOM_TASKS_BACKEND": "database",
            "PHOTO_ORIGINALS_ROOT": str(tmp_path / "originals"),
            "PHOTO_RENDITIONS_ROOT": str(tmp_path / "renditions"),
        }
        self.manage("migrate", "--noinput", "--verbosity=0")

    def drop(self):
        if self.name:
            with psycopg.connect(self.server_url, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def manage(self, *args, timeout=180):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        ).stdout

    def worker(self):
        return subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--no-reload",
                "--no-startup-delay",
                "--interval=0.2",
                "--verbosity=0",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def query(self, sql):
        """Rows of a plain SQL query, read beside the processes."""
        if self.name:
            with psycopg.connect(self.url, autocommit=True) as connection:
                return connection.execute(sql).fetchall()
        connection = sqlite3.connect(self.path, timeout=30)
        try:
            return connection.execute(sql).fetchall()
        finally:
            connection.close()

    def execute(self, sql):
        if self.name:
            with psycopg.connect(self.url, autocommit=True) as connection:
                connection.execute(sql)
            return
        connection = sqlite3.connect(self.path, timeout=30)
        try:
            with connection:
                connection.execute(sql)
        finally:
            connection.close()

    def wait_for(self, sql, expected, timeout=90, every=0.05):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            rows = self.query(sql)
            if rows == expected:
                return rows
            time.sleep(every)
        raise AssertionError(f"{sql!r} gave {rows}, not {expected}, after {timeout} s")
