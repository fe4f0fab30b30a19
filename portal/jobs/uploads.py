"""Uploaded spreadsheets handed to a background import: checked cheaply in the request, kept
in portal.storage while the job waits and runs, deleted when it ends.

Storage is addressed by content, and the same bytes may also be a technical document or an
attachment that must outlive the import. So each upload is stored behind a random prefix of
its own (a key no other row shares) and the job reads it past that prefix: deleting it after
the import can never remove someone else's file.
"""
from __future__ import annotations

import secrets
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _

from ..extensions import db
from ..storage import storage
from ..tabular import TabularError, read_rows
from .models import Job
from .runner import enqueue

PREFIX = b"portal-import:"
PREFIX_BYTES = len(PREFIX) + 32 + 1  # the marker, 32 random hex digits, a line break


def max_bytes() -> int:
    return current_app.config["IMPORT_MAX_BYTES"]


def size_of(stream: BinaryIO) -> int:
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    return size


def check_file(stream: BinaryIO, filename: str, required: Sequence[str], columns: Sequence[str]) -> list[str]:
    """Errors found without reading the whole file: too large, unreadable, no header with the
    required columns, no data row. Leaves the stream at its start."""
    limit = max_bytes()
    if size_of(stream) > limit:
        return [_("%(name)s is larger than %(mb)s MB.", name=filename[:80], mb=limit // (1024 * 1024))]
    rows = read_rows(stream, filename)
    try:
        first = next(rows, None)
    except TabularError as exc:
        return [str(exc)]
    finally:
        rows.close()
        stream.seek(0)
    if first is None:
        return [_("The file has no data rows.")]
    missing = [c for c in required if c not in first.values]
    if missing:
        return [_("Missing columns: %(missing)s. The first row must name the columns %(columns)s.",
                  missing=", ".join(missing), columns=", ".join(columns))]
    return []


def _prefixed(stream: BinaryIO) -> Iterator[bytes]:
    yield PREFIX + secrets.token_hex(16).encode() + b"\n"
    while chunk := stream.read(1024 * 1024):
        yield chunk


class _Chained:
    """A read-only file object over an iterator of byte chunks (what storage().put reads)."""

    def __init__(self, chunks: Iterator[bytes]):
        self._chunks = chunks

    def read(self, _size: int = -1) -> bytes:
        return next(self._chunks, b"")


def keep(stream: BinaryIO) -> str:
    """Store the upload for a job; returns its storage key (unique to this upload)."""
    stream.seek(0)
    return storage().put(_Chained(_prefixed(stream)))


def start_checked(name: str, stream: BinaryIO, filename: str, required: Sequence[str], columns: Sequence[str],
                  **kwargs) -> tuple[int | None, list[str]]:
    """What an import page or API call does with an upload: `check_file`, then, when it passes,
    `enqueue_import` (the job gets `filename` too). (job id, []) or (None, the errors); the
    caller commits."""
    errors = check_file(stream, filename, required, columns)
    if errors:
        return None, errors
    return enqueue_import(name, stream, filename=filename[:255], **kwargs).id, []


def enqueue_import(name: str, stream: BinaryIO, **kwargs) -> Job:
    """Keep the (checked) upload and enqueue job `name` with `key=` its storage key and
    `kwargs`; the job must `discard(key)` when it ends. The caller commits."""
    key = keep(stream)
    try:
        row = enqueue(name, key=key, **kwargs)
        db.session.refresh(row)
    except Exception:  # the job will never run: do not leave its upload behind
        discard(key)
        raise
    if row.status == "failed":  # e.g. the queue could not be reached
        discard(key)
    return row


@contextmanager
def opened(key: str) -> Iterator[BinaryIO]:
    """The kept upload as a seekable binary file (a temporary copy without the prefix)."""
    with storage().open(key) as stored, tempfile.TemporaryFile() as copy:
        stored.seek(PREFIX_BYTES)
        while chunk := stored.read(1024 * 1024):
            copy.write(chunk)
        copy.seek(0)
        yield copy


def discard(key: str) -> None:
    """Delete a kept upload; a key whose content `keep` did not make is left alone."""
    try:
        with storage().open(key) as stored:
            ours = stored.read(len(PREFIX)) == PREFIX
    except KeyError:
        return
    if ours:
        storage().delete(key)


def estimate_rows(stream, filename: str) -> int:
    """About how many data rows the file has, cheaply, for the progress bar: lines of a CSV
    (a quoted line break counts twice), the sheet's declared size of an XLSX."""
    head = stream.read(4)
    stream.seek(0)
    try:
        if head.startswith(b"PK\x03\x04"):
            from openpyxl import load_workbook

            workbook = load_workbook(stream, read_only=True)
            try:
                return max((workbook.worksheets[0].max_row or 1) - 1, 0)
            finally:
                workbook.close()
        lines = 0
        while chunk := stream.read(1024 * 1024):
            lines += chunk.count(b"\n")
        return max(lines - 1, 0)
    except Exception:  # an estimate only: the import itself reports an unreadable file
        return 0
    finally:
        stream.seek(0)


def import_kept(ctx, key: str, filename: str, run, refused: type[Exception]):
    """The body of an import job: open the kept upload, tell how far `run(stream, progress)`
    has got, and delete the upload at the end whatever happens. Returns (the importer's
    outcome, None), or (None, the failure result) when the importer raised `refused`."""
    try:
        with opened(key) as stream:
            total = estimate_rows(stream, filename)
            ctx.progress(0, total, _("Reading the file…"))

            def progress(rows: int) -> None:
                ctx.progress(min(rows, total), max(rows, total), _("Checking and recording the rows…"))

            try:
                return run(stream, progress), None
            except refused as exc:
                ctx.progress(total, total, exc.message)
                return None, failure_result(exc)
    finally:
        discard(key)


def failure_result(exc) -> dict:
    """The outcome of a refused import (the importers' ImportFailed), small enough for a job's
    JSON result: whole-file errors, or the reported rows (row, column, message; the importers
    cap them) and how many more rows had errors."""
    rows = []
    for r in exc.rows:
        columns = list(r.columns) or [""] * len(r.errors)
        rows.append({"row": r.row, "errors": [{"column": c, "message": m.removeprefix(f"{c}: ") if c else m}
                                              for c, m in zip(columns, r.errors)]})
    return {"ok": False, "file_errors": list(exc.file_errors), "rows": rows, "more_rows": exc.more,
            "bad_rows": len(exc.rows) + exc.more}
