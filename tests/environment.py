"""Loaded with `-p tests.environment` before Django reads its settings.

Tests run with DEBUG off, as production does; settings.py then needs a SECRET_KEY.
"""

import os

os.environ.setdefault("SECRET_KEY", "insecure-key-for-the-test-suite-only")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
