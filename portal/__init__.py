"""The ODM after-sales portal: create_app builds the Flask application."""
from __future__ import annotations

from pathlib import Path

from flask import Flask

from .config import load_config

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def create_app(config_override: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    load_config(app, config_override)
    if app.config["PROXY_COUNT"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)

    from . import i18n, models, tenancy  # noqa: F401  (models: all tables; tenancy: its ORM hook)
    from .extensions import api, csrf, db, login_manager, migrate

    db.init_app(app)
    _tune_sqlite(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "strong"
    i18n.init_app(app)
    from .schemes.registry import init_app as init_schemes  # the installed warranty schemes

    init_schemes(app)

    from .auth import access
    from .blueprints import register_blueprints
    from .web import bound_ids, init_web

    bound_ids(app)
    app.before_request(access.identify_request)
    api.init_app(app)
    register_blueprints(app, api)
    init_web(app)

    from .cli import register_commands

    register_commands(app)
    return app


def _tune_sqlite(app: Flask) -> None:
    """SQLite: foreign keys on, and let SQLAlchemy issue BEGIN itself so SAVEPOINTs
    (nested transactions, used by imports and tests) work with the pysqlite driver."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    from sqlalchemy import event

    from .extensions import db

    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN")
