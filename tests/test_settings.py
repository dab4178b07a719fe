"""Settings come from the environment and refuse unsafe production starts."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STRONG_KEY = "x7#Qp2!vLm9@Rt4$Wz8^Ky3&Nb6*Hd1(Fg5)Js0_Ua-Ce=Xo+Ti"


def run_django(*args, **env):
    clean_env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "SECURE_SSL_REDIRECT", "ALLOWED_HOSTS"}
    }
    clean_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_refuses_to_start_with_debug_off_and_no_secret_key():
    result = run_django("check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_starts_in_debug_without_a_secret_key():
    result = run_django("check", DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_production_settings_pass_the_deployment_checklist():
    result = run_django(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="news.example.com",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_database_url_selects_postgresql():
    result = run_django(
        "shell",
        "--verbosity=0",
        "-c",
        "from django.db import connection; "
        "print(connection.vendor, connection.settings_dict['NAME'])",
        DEBUG="1",
        DATABASE_URL="postgres://newsroom:secret@db.example:5432/newsroom",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["postgresql", "newsroom"]


@pytest.mark.parametrize(
    "weak_key",
    [
        "short-but-random-9f3Kq7Lm2X",
        "ab" * 40,
        "django-insecure-" + STRONG_KEY,
    ],
    ids=["short", "few distinct characters", "django-insecure prefix"],
)
def test_refuses_to_start_with_debug_off_and_a_weak_secret_key(weak_key):
    result = run_django("check", SECRET_KEY=weak_key)
    assert result.returncode != 0
    assert "SECRET_KEY is too weak for DEBUG off" in result.stderr


def test_starts_with_debug_off_and_a_strong_secret_key():
    result = run_django("check", SECRET_KEY=STRONG_KEY)
    assert result.returncode == 0, result.stderr


def test_a_weak_secret_key_is_allowed_for_local_development():
    result = run_django("check", DEBUG="1", SECRET_KEY="dev")
    assert result.returncode == 0, result.stderr
