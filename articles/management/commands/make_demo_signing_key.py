import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.photos.signing_keys import new_signing_identity

NOTICE = """THROWAWAY DEMO KEY - NOT FOR PUBLICATION

`make demo` made this key and certificate so that the demo newsroom signs its renditions.
Nobody trusts them, and anyone with this folder can sign as the demo. Never use them in
production: set NEWSROOM_C2PA_KEY_FILE and NEWSROOM_C2PA_CERT_FILE to the newsroom's own.
"""


class Command(BaseCommand):
    help = (
        "Write a throwaway, clearly labelled content credentials key and certificate for the "
        "demo newsroom under var/c2pa-demo/ (DEBUG only; an existing pair is kept)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Say what would be written.")

    def handle(self, *args, dry_run=False, verbosity=1, **options):
        if not settings.DEBUG:
            raise CommandError("The demo key is for local development: run it with DEBUG=1.")
        folder = settings.C2PA_DEMO_DIR
        key, chain = (
            folder / "demo-only-private-key.pem",
            folder / "demo-only-certificate-chain.pem",
        )
        if key.is_file() and chain.is_file():
            if verbosity:
                self.stdout.write(f"The demo signing key is already in {folder}.")
            return
        if dry_run:
            self.stdout.write(f"Would write a demo signing key to {folder}.")
            return
        identity = new_signing_identity(
            f"DEMO ONLY - {settings.NEWSROOM_NAME} (not a real newsroom key)",
            "Throwaway demo key - not for publication",
        )
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "README.txt").write_text(NOTICE)
        chain.write_bytes(identity.certificate_chain_pem)
        # Written last and private: a half-written pair is made again next time.
        descriptor = os.open(key, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(identity.private_key_pem)
        if verbosity:
            self.stdout.write(
                self.style.WARNING(f"Wrote a THROWAWAY demo signing key to {folder}.")
            )
