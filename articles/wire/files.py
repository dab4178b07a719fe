"""The wire desk's importers: one module per format, one entry point for files and uploads.

`ingest_paths` serves `manage.py ingest`; `ingest_upload` serves the admin's upload page.
Both report one Outcome per item: imported, updated, flagged update, unchanged or failed
(with file, item and reason), and a broken item never stops the rest of the batch.
"""

from pathlib import Path

from django.conf import settings

from . import newsmlg2, ninjs
from .store import ImportRun, Outcome, store_items

PARSERS = {".json": ninjs.parse, ".xml": newsmlg2.parse}
CHUNK = 64 * 1024


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


def ingest_bytes(data, *, name, base_dir=None, dry_run=False, run=None):
    parser = _parser_for(name, data[:64])
    if parser is None:
        return [Outcome(Outcome.FAILED, name, "", "neither NINJS (JSON) nor NewsML-G2 (XML)")]
    items = parser(data, base_dir=base_dir)
    return store_items(items, file_label=name, dry_run=dry_run, run=run)


def ingest_file(path, *, dry_run=False, run=None):
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
        return [Outcome(Outcome.FAILED, str(path), "", str(error))]
    return ingest_bytes(data, name=str(path), base_dir=path.parent, dry_run=dry_run, run=run)


def wire_files(path):
    """The file itself, or every NINJS/NewsML-G2 file under a folder, in name order."""
    path = Path(path)
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in PARSERS)
    return [path]


def ingest_paths(paths, *, dry_run=False):
    run = ImportRun(dry_run=dry_run)
    for path in paths:
        for file in wire_files(path):
            yield from ingest_file(file, dry_run=dry_run, run=run)


def ingest_upload(upload, *, dry_run=False):
    """An uploaded file (Django UploadedFile), refused unread when over the size limit."""
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
    return ingest_bytes(data, name=upload.name, dry_run=dry_run)
