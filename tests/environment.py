"""Loaded with `-p tests.environment` before Django reads its settings.

Tests run with DEBUG off, as production does; settings.py then needs a SECRET_KEY and a
content credentials key, which is made here for this run only.
"""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

from articles.photos.signing_keys import new_signing_identity

# Long and varied enough for the weak-key refusal; used by the test suite only.
os.environ.setdefault("SECRET_KEY", "test-suite-only-9f3Kq7Lm2Xv8Rt4Wz6Ny1Hd5Jb0Pc3Gs7Ue2Ao9Ti4")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

if not os.environ.get("NEWSROOM_C2PA_KEY_FILE"):
    keys = Path(tempfile.mkdtemp(prefix="newsroom-test-keys-"))
    atexit.register(shutil.rmtree, keys, ignore_errors=True)
    identity = new_signing_identity("Test Newsroom", "Test Newsroom signer (tests only)")
    (keys / "key.pem").write_bytes(identity.private_key_pem)
    (keys / "chain.pem").write_bytes(identity.certificate_chain_pem)
    os.environ["NEWSROOM_C2PA_KEY_FILE"] = str(keys / "key.pem")
    os.environ["NEWSROOM_C2PA_CERT_FILE"] = str(keys / "chain.pem")
