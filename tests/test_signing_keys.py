"""The newsroom's signing key: required in production, throwaway for the demo, from env or file."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography import x509
from django.core.management import CommandError, call_command

from articles.photos.signing_keys import new_signing_identity
from tests.credentials_samples import manifest_store
from tests.factories import PhotoFactory

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "SECRET_KEY": "x7#Qp2!vLm9@Rt4$Wz8^Ky3&Nb6*Hd1(Fg5)Js0_Ua-Ce=Xo+Ti",
    "ALLOWED_HOSTS": "news.example.com",
}


def run_django(*args, **env):
    """manage.py with DEBUG off and no content credentials settings but those given."""
    clean_env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"}
        and not key.startswith("NEWSROOM_C2PA_")
    }
    clean_env.update(PRODUCTION, **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_to_start_without_a_signing_key():
    result = run_django("check")
    assert result.returncode != 0
    assert "Content credentials: no signing key or certificate chain found" in result.stderr
    assert "NEWSROOM_C2PA_SIGNING=0" in result.stderr


def test_production_refuses_a_key_file_that_is_not_there(tmp_path):
    result = run_django(
        "check",
        NEWSROOM_C2PA_KEY_FILE=str(tmp_path / "missing.pem"),
        NEWSROOM_C2PA_CERT_FILE=str(tmp_path / "missing-chain.pem"),
    )
    assert result.returncode != 0
    assert "no signing key or certificate chain found" in result.stderr


def test_production_starts_without_a_key_when_signing_is_explicitly_off():
    result = run_django("check", NEWSROOM_C2PA_SIGNING="0")
    assert result.returncode == 0, result.stderr


def test_production_reads_the_key_and_chain_from_the_environment():
    identity = new_signing_identity("Gazeta", "Gazeta signer")
    result = run_django(
        "shell",
        "--verbosity=0",
        "-c",
        "from articles.photos.credentials import newsroom_signer; "
        "print('signer ready' if newsroom_signer() else 'no signer')",
        NEWSROOM_C2PA_KEY=identity.private_key_pem.decode(),
        NEWSROOM_C2PA_CERT=identity.certificate_chain_pem.decode(),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "signer ready"


def test_production_reads_the_key_and_chain_from_files(tmp_path):
    identity = new_signing_identity("Gazeta", "Gazeta signer")
    (tmp_path / "key.pem").write_bytes(identity.private_key_pem)
    (tmp_path / "chain.pem").write_bytes(identity.certificate_chain_pem)
    result = run_django(
        "check",
        NEWSROOM_C2PA_KEY_FILE=str(tmp_path / "key.pem"),
        NEWSROOM_C2PA_CERT_FILE=str(tmp_path / "chain.pem"),
    )
    assert result.returncode == 0, result.stderr


def test_production_refuses_a_trust_list_that_is_not_there(tmp_path):
    result = run_django(
        "check",
        NEWSROOM_C2PA_SIGNING="0",
        NEWSROOM_C2PA_TRUST_ANCHORS=str(tmp_path / "missing.pem"),
    )
    assert result.returncode != 0
    assert "NEWSROOM_C2PA_TRUST_ANCHORS names" in result.stderr


@pytest.fixture
def demo_settings(settings, tmp_path):
    settings.DEBUG = True
    settings.C2PA_DEMO_DIR = tmp_path / "c2pa-demo"
    return settings.C2PA_DEMO_DIR


def test_the_demo_key_is_written_once_and_labelled_as_throwaway(demo_settings):
    call_command("make_demo_signing_key", verbosity=0)
    key = demo_settings / "demo-only-private-key.pem"
    chain = demo_settings / "demo-only-certificate-chain.pem"
    first = key.read_bytes()
    call_command("make_demo_signing_key", verbosity=0)
    assert key.read_bytes() == first
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    certificate = x509.load_pem_x509_certificates(chain.read_bytes())[0]
    subject = certificate.subject.rfc4514_string()
    assert "DEMO ONLY" in subject and "not for publication" in subject
    assert "THROWAWAY DEMO KEY" in (demo_settings / "README.txt").read_text()


def test_the_demo_key_is_never_made_with_debug_off(settings, tmp_path):
    settings.DEBUG = False
    settings.C2PA_DEMO_DIR = tmp_path / "c2pa-demo"
    with pytest.raises(CommandError, match="DEBUG=1"):
        call_command("make_demo_signing_key", verbosity=0)
    assert not settings.C2PA_DEMO_DIR.exists()


@pytest.mark.django_db
def test_make_renditions_signs_what_photos_lack_and_a_dry_run_makes_nothing():
    photo = PhotoFactory(renditions=False)
    call_command("make_renditions", dry_run=True, verbosity=0)
    assert not photo.renditions.exists()
    call_command("make_renditions", verbosity=0)
    rendition = photo.renditions.get(crop="", format="jpeg", width=640)
    with rendition.file.open("rb") as file:
        store = manifest_store(file.read())
    assert store["manifests"][store["active_manifest"]]["signature_info"]["issuer"] == (
        "Test Newsroom"
    )
