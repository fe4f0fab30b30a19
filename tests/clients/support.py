"""Fixtures shared by the clients, users and catalogue tests (imported by their conftest.py)."""
from __future__ import annotations

import contextlib

import pytest
from markupsafe import escape
from sqlalchemy import event
from werkzeug.security import generate_password_hash

from portal.auth.services import issue_token
from portal.extensions import db as _db


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch):
    """Hash with few iterations in these tests (scrypt costs ~0.1 s a user); still a real hash."""
    monkeypatch.setattr(
        "portal.auth.models.generate_password_hash",
        lambda password: generate_password_hash(password, method="pbkdf2:sha256:1000"),
    )


class ApiCaller:
    """Calls the API as a user, with a bearer token issued directly (no password round trip)."""

    def __init__(self, client):
        self.client = client
        self._tokens: dict[int, str] = {}

    def _headers(self, user):
        if user is None:
            return {}
        if user.id not in self._tokens:
            self._tokens[user.id] = issue_token(user)
        return {"Authorization": f"Bearer {self._tokens[user.id]}"}

    def get(self, path, user, **kw):
        return self.client.get(path, headers=self._headers(user), **kw)

    def post(self, path, user, json=None):
        return self.client.post(path, headers=self._headers(user), json=json)

    def patch(self, path, user, json=None):
        return self.client.patch(path, headers=self._headers(user), json=json)


@pytest.fixture
def api(client):
    return ApiCaller(client)


@pytest.fixture
def count_queries(db):
    """`with count_queries() as n: ...` then `n[0]` is the number of SQL statements run."""

    @contextlib.contextmanager
    def counting():
        counter = [0]

        def before(*_args, **_kwargs):
            counter[0] += 1

        engine = _db.engine
        event.listen(engine, "before_cursor_execute", before)
        try:
            yield counter
        finally:
            event.remove(engine, "before_cursor_execute", before)

    return counting


@pytest.fixture
def small_pages(app, monkeypatch):
    """Two rows a page, so pagination shows with little data."""
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)


def field_error(page: str, message: str) -> bool:
    """True when `message` is shown as a field's error (Bootstrap's invalid-feedback)."""
    # Lazy (translated) messages reach the page as they are; plain ones are HTML-escaped.
    return any(f'<div class="invalid-feedback">{text}</div>' in page for text in (message, escape(message)))
