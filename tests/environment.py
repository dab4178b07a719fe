"""Loaded with `-p tests.environment` before Django reads its settings.

Tests run with DEBUG off, as production does; settings.py then needs a SECRET_KEY.
"""

import os

# Long and varied enough for the weak-key refusal; used by the test suite only.
os.environ.setdefault("SECRET_KEY", "test-suite-only-9f3Kq7Lm2Xv8Rt4Wz6Ny1Hd5Jb0Pc3Gs7Ue2Ao9Ti4")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
