"""The content-addressed storage shared by every capability that keeps files."""
from __future__ import annotations

import hashlib
import io

import pytest

from portal.storage import LocalStorage, TooLarge, storage


def test_put_returns_the_sha256_and_stores_the_same_bytes_once(tmp_path):
    s = LocalStorage(tmp_path)
    key = s.put(b"hello")
    assert key == hashlib.sha256(b"hello").hexdigest()
    assert s.put(io.BytesIO(b"hello")) == key
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert files == [tmp_path / key[:2] / key[2:4] / key]
    with s.open(key) as f:
        assert f.read() == b"hello"
    assert s.exists(key) and s.size(key) == 5 and s.read(key) == b"hello"


def test_a_stream_is_read_in_chunks(tmp_path):
    data = b"x" * (3 * 1024 * 1024 + 17)
    s = LocalStorage(tmp_path)
    key = s.put(io.BytesIO(data))
    assert s.size(key) == len(data) and key == hashlib.sha256(data).hexdigest()


def test_too_large_writes_nothing(tmp_path):
    s = LocalStorage(tmp_path)
    with pytest.raises(TooLarge):
        s.put(b"123456", max_bytes=5)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


@pytest.mark.parametrize("key", ["../../etc/passwd", "/etc/passwd", "ab", "A" * 64, "g" * 64, "a" * 63 + "/", ""])
def test_anything_but_a_sha256_is_not_a_key(tmp_path, key):
    s = LocalStorage(tmp_path)
    assert s.exists(key) is False
    with pytest.raises(KeyError):
        s.open(key)
    with pytest.raises(KeyError):
        s.delete(key)


def test_missing_and_delete(tmp_path):
    s = LocalStorage(tmp_path)
    key = s.put(b"gone soon")
    assert s.delete(key) is True
    assert s.delete(key) is False and not s.exists(key)
    with pytest.raises(KeyError):
        s.open(key)
    with pytest.raises(KeyError):
        s.size(key)


def test_the_app_storage_defaults_to_instance_storage(app, monkeypatch):
    from pathlib import Path

    monkeypatch.setitem(app.config, "STORAGE_DIR", None)
    monkeypatch.delitem(app.extensions, "storage")
    with app.app_context():
        assert storage().root == Path(app.instance_path) / "storage"
        assert storage() is storage()
    monkeypatch.setitem(app.config, "STORAGE_DIR", "/tmp/elsewhere-docs")
    monkeypatch.delitem(app.extensions, "storage")
    with app.app_context():
        assert str(storage().root) == "/tmp/elsewhere-docs"
