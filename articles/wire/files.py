"""The wire desk's importers: one module per format, one entry point for files and uploads.

`ingest_paths` serves `manage.py ingest`; `ingest_upload` serves the admin's upload page.
Both report one Outcome per item: imported, updated, flagged update, unchanged, skipped
(nothing inline to import) or failed (with file, item and reason), and a broken item never
stops the rest of the batch.
"""

import logging
from pathlib import Path

from django.conf import settings

from ..models import WireItem
from . import newsmlg2, ninjs
from .parsed import ItemError, NothingToImport
from .store import ImportRun, Outcome, store_batch

PARSERS = {".json": ninjs.parse, ".xml": newsmlg2.parse}
CHUNK = 64 * 1024
# Items written together: enough to amortise each statement, few enough to report promptly.
BATCH = 500

logger = logging.getLogger(__name__)


class FileTooLarge(ValueError):
    pass


def _parser_for(name, head):
    parser = PARSERS.get(Path(name).suffix.lower())
    if parser:
        return parser
    start = head.lstrip()[:1]
    if start in (b"{", b"["):
        return ninjs.parse
    if start == b"<":
        return newsmlg2.parse
    return None


def read_limited(handle, limit=None):
    """Read at most `limit` bytes in chunks; a larger file is refused, never loaded whole."""
    limit = settings.WIRE_MAX_FILE_BYTES if limit is None else limit
    chunks, size = [], 0
    while chunk := handle.read(CHUNK):
        size += len(chunk)
        if size > limit:
            raise FileTooLarge(f"larger than the {limit:,}-byte limit (WIRE_MAX_FILE_BYTES)")
        chunks.append(chunk)
    return b"".join(chunks)


def parse_bytes(data, *, name, base_dir=None):
    """The file's (file label, item label, ParsedItem or error) entries for store_batch."""
    parser = _parser_for(name, data[:64])
    if parser is None:
        return [(name, "", ItemError("neither NINJS (JSON) nor NewsML-G2 (XML)"))]
    try:
        items = list(parser(data, base_dir=base_dir))
    except Exception as error:
        # A parser bug hostile input found fails this file alone; the batch goes on.
        logger.exception("Wire file %s could not be parsed", name)
        return [(name, "", ItemError(f"could not be read ({type(error).__name__})"))]
    # A file that parsed but held nothing is reported too: it was found, and read.
    return [(name, label, item) for label, item in items] or [
        (name, "", NothingToImport("the file holds no items"))
    ]


def ingest_bytes(data, *, name, base_dir=None, dry_run=False, run=None):
    run = run or ImportRun(dry_run=dry_run)
    return store_batch(parse_bytes(data, name=name, base_dir=base_dir), run=run)


def read_file(path):
    """The file's entries, or one failure entry when it cannot be read or is too large."""
    path = Path(path)
    try:
        if path.stat().st_size > settings.WIRE_MAX_FILE_BYTES:
            raise FileTooLarge(
                f"larger than the {settings.WIRE_MAX_FILE_BYTES:,}-byte limit "
                "(WIRE_MAX_FILE_BYTES)"
            )
        with path.open("rb") as handle:
            data = read_limited(handle)
    except (OSError, FileTooLarge) as error:
        return [(str(path), "", ItemError(str(error)))]
    return parse_bytes(data, name=str(path), base_dir=path.parent)


def ingest_file(path, *, dry_run=False, run=None):
    run = run or ImportRun(dry_run=dry_run)
    return store_batch(read_file(path), run=run)


def wire_files(path):
    """The file itself, or every NINJS/NewsML-G2 file under a folder, in name order."""
    path = Path(path)
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in PARSERS)
    return [path]


def ingest_paths(paths, *, dry_run=False):
    """Every file's outcomes, in order; files are stored BATCH items at a time."""
    run = ImportRun(dry_run=dry_run)
    pending = []
    for path in paths:
        for file in wire_files(path):
            pending.extend(read_file(file))
            if len(pending) >= BATCH:
                yield from store_batch(pending, run=run)
                pending = []
    if pending:
        yield from store_batch(pending, run=run)


def ingest_upload(upload, *, user, dry_run=False):
    """A file `user` uploaded (Django UploadedFile), refused unread when over the size limit."""
    if upload.size > settings.WIRE_MAX_FILE_BYTES:
        return [
            Outcome(
                Outcome.FAILED,
                upload.name,
                "",
                f"larger than the {settings.WIRE_MAX_FILE_BYTES:,}-byte limit "
                "(WIRE_MAX_FILE_BYTES)",
            )
        ]
    try:
        data = read_limited(upload)
    except FileTooLarge as error:
        return [Outcome(Outcome.FAILED, upload.name, "", str(error))]
    run = ImportRun(dry_run=dry_run, user=user, via=WireItem.ImportedVia.UPLOAD)
    return ingest_bytes(data, name=upload.name, dry_run=dry_run, run=run)
