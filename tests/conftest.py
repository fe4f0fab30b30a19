"""Fixtures: a migrated database per run, a SAVEPOINT-isolated session per test, and a
test client whose requests each get their own app context (as in production)."""
from __future__ import annotations

import contextvars
import os
import re

import flask_migrate
import pytest
from flask.testing import FlaskClient
from flask_sqlalchemy.session import _app_ctx_id
from sqlalchemy import text
from sqlalchemy.orm import scoped_session, sessionmaker

from portal import create_app
from portal.extensions import db as _db

from . import factories

PASSWORD = factories.PASSWORD


class IsolatedClient(FlaskClient):
    """Runs each request in an empty context, so it pushes its own app context (fresh `g`,
    fresh session) even when the test itself holds one for setting up data."""

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)

    def login(self, email: str, password: str = PASSWORD):
        response = self.post("/login", data={"email": email, "password": password})
        assert response.status_code == 302, f"sign-in failed for {email}"
        return response

    def csrf_token(self, path: str = "/") -> str:
        page = self.get(path).get_data(as_text=True)
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
        assert match, f"no CSRF token on {path}"
        return match.group(1)


def database_url(tmp_path_factory) -> str:
    return os.environ.get("DATABASE_URL") or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


def reset_database() -> None:
    """Start every run from an empty database, then build it by the migrations only."""
    engine = _db.engine
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    flask_migrate.upgrade(revision="heads")


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url(tmp_path_factory),
            "SECRET_KEY": "test-secret",
            "WTF_CSRF_ENABLED": False,
            "SERVER_NAME": "localhost",
            "JOBS_BACKEND": "eager",
            "STORAGE_DIR": str(tmp_path_factory.mktemp("storage")),
        }
    )
    app.test_client_class = IsolatedClient
    with app.app_context():
        reset_database()
    return app


@pytest.fixture
def db(app):
    """The session of this test: everything it writes is rolled back at the end,
    including what the requests it makes commit (they commit SAVEPOINTs)."""
    with app.app_context():
        connection = _db.engine.connect()
        transaction = connection.begin()
        original = _db.session
        # A plain SQLAlchemy session: Flask-SQLAlchemy's own picks the engine, not `bind`.
        factory = sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
        _db.session = scoped_session(factory, scopefunc=_app_ctx_id)
        try:
            yield _db
        finally:
            _db.session.remove()
            _db.session = original
            transaction.rollback()
            connection.close()


@pytest.fixture
def client(app, db) -> IsolatedClient:
    return app.test_client()


@pytest.fixture
def make(db):
    """Factories bound to this test's session: make.client(), make.user(...), ..."""
    return factories.Factories(db.session)
