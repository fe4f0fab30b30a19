"""File storage behind one small interface, addressed by content.

    from portal.storage import storage
    key = storage().put(b"...")          # or put(a binary file object): returns the sha256 hex
    with storage().open(key) as f: ...   # a binary file object; KeyError when absent
    storage().exists(key); storage().size(key); storage().delete(key)

A key is the sha256 of the bytes (64 lowercase hex digits), so the same bytes are stored
once and a name from a user never reaches the disk: callers keep the original file name as
metadata in their own table. Any capability that keeps files (document versions, claim
attachments, RMA reports, statement PDFs) uses this interface, never paths.

The default backend is the local disk under STORAGE_DIR (default instance/storage), one file
per key in two levels of folders (ab/cd/abcd...). Writes go to a temporary file in the same
folder and are renamed into place, so a reader never sees half a file and two writers of the
same bytes do not conflict. Deleting is the caller's decision: content is shared, so delete a
key only when no row refers to it any more.
"""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import current_app

KEY_PATTERN = re.compile(r"^[0-9a-f]{64}$")
CHUNK = 1024 * 1024


class TooLarge(ValueError):
    """The content is longer than the `max_bytes` given to put()."""


class Storage(Protocol):
    def put(self, data: bytes | BinaryIO, max_bytes: int | None = None) -> str: ...
    def open(self, key: str) -> BinaryIO: ...
    def exists(self, key: str) -> bool: ...
    def size(self, key: str) -> int: ...
    def delete(self, key: str) -> bool: ...


def check_key(key: str) -> str:
    """A key is exactly 64 lowercase hex digits; anything else (a path, `..`) is refused."""
    if not isinstance(key, str) or not KEY_PATTERN.match(key):
        raise KeyError(f"not a storage key: {key!r}")
    return key


class LocalStorage:
    """Content-addressed files on the local disk under `root`."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        check_key(key)
        return self.root / key[:2] / key[2:4] / key

    def put(self, data: bytes | BinaryIO, max_bytes: int | None = None) -> str:
        """Store `data` (bytes, or a binary file object read from its current position to the
        end) and return its key. Raises TooLarge, writing nothing, past `max_bytes`."""
        self.root.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        fd, tmp_name = tempfile.mkstemp(prefix=".upload-", dir=self.root)
        try:
            with os.fdopen(fd, "wb") as tmp:
                written = 0
                for chunk in _chunks(data):
                    written += len(chunk)
                    if max_bytes is not None and written > max_bytes:
                        raise TooLarge(max_bytes)
                    digest.update(chunk)
                    tmp.write(chunk)
                tmp.flush()
                os.fsync(tmp.fileno())
            key = digest.hexdigest()
            target = self._path(key)
            if target.exists():
                os.unlink(tmp_name)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.chmod(tmp_name, 0o640)
                os.replace(tmp_name, target)
            return key
        except BaseException:
            if os.path.exists(tmp_name):
                os.unlink(tmp_name)
            raise

    def open(self, key: str) -> BinaryIO:
        path = self._path(key)
        try:
            return path.open("rb")
        except FileNotFoundError:
            raise KeyError(key) from None

    def read(self, key: str) -> bytes:
        with self.open(key) as f:
            return f.read()

    def exists(self, key: str) -> bool:
        try:
            return self._path(key).is_file()
        except KeyError:
            return False

    def size(self, key: str) -> int:
        try:
            return self._path(key).stat().st_size
        except FileNotFoundError:
            raise KeyError(key) from None

    def delete(self, key: str) -> bool:
        """Remove the content; True when there was something to remove."""
        try:
            self._path(key).unlink()
            return True
        except FileNotFoundError:
            return False


def _chunks(data: bytes | BinaryIO):
    if isinstance(data, (bytes, bytearray, memoryview)):
        view = memoryview(data)
        for start in range(0, len(view), CHUNK):
            yield bytes(view[start:start + CHUNK])
        return
    while True:
        chunk = data.read(CHUNK)
        if not chunk:
            return
        yield chunk


def storage() -> LocalStorage:
    """The application's storage (one per app, built on first use from STORAGE_DIR)."""
    app = current_app._get_current_object()
    found = app.extensions.get("storage")
    if found is None:
        root = app.config.get("STORAGE_DIR") or Path(app.instance_path) / "storage"
        found = app.extensions["storage"] = LocalStorage(root)
    return found
