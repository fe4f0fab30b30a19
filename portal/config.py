"""One defaults object; environment variables override (see README, "Configuration")."""
from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

LOCALES = ("zh_Hans", "zh_Hant_HK", "en", "fr", "es")


class Defaults:
    SQLALCHEMY_DATABASE_URI = None  # resolved in load_config: DATABASE_URL or SQLite in instance/
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SQLALCHEMY_RECORD_QUERIES = False

    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    LOCALES = LOCALES

    # Session cookie: not readable by scripts, not sent cross-site; Secure when served over HTTPS.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session

    # Failed sign-ins: this many within the window lock the e-mail address for the window.
    LOGIN_MAX_FAILURES = 5
    LOGIN_FAILURE_WINDOW = timedelta(minutes=15)
    API_TOKEN_LIFETIME = timedelta(days=30)

    MAX_CONTENT_LENGTH = 64 * 1024 * 1024
    IMPORT_BATCH_SIZE = 2000
    BULK_LOOKUP_MAX = 10_000
    PAGE_SIZE = 50

    API_TITLE = "ODM after-sales portal API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"
    API_SPEC_OPTIONS = {
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}
        },
        "security": [{"bearerAuth": []}],
    }

    ODM_NAME = "ODM Display Technology Co., Ltd."
    # E-mail: SMTP when MAIL_SERVER is set, otherwise .eml files in OUTBOX_DIR (instance/outbox).
    MAIL_SERVER = None
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_SENDER = "ODM after-sales <after-sales@odm.example.com>"
    OUTBOX_DIR = None

    # Background jobs: "thread" runs them in the web process (no server needed); "rq" puts
    # them on Redis (REDIS_URL) for `flask jobs-worker` processes; "eager" runs them at once (tests).
    JOBS_BACKEND = "thread"
    REDIS_URL = None
    JOBS_QUEUE = "portal"  # the RQ queue: deployments sharing one Redis use different names
    JOBS_TIMEOUT = 6 * 3600  # seconds a job may run on a worker before it is stopped

    # Stored files (portal.storage): content-addressed on the local disk under STORAGE_DIR
    # (default instance/storage). DOCUMENT_MAX_BYTES caps one technical-document upload,
    # IMPORT_MAX_BYTES one shipment or claims file to import.
    STORAGE_DIR = None
    DOCUMENT_MAX_BYTES = 50 * 1024 * 1024
    IMPORT_MAX_BYTES = 200 * 1024 * 1024

    # Number of reverse proxies in front of the portal (X-Forwarded-For/-Proto trusted from them).
    PROXY_COUNT = 0


# Environment variables read at start-up: DATABASE_URL sets the database URI; the others
# set the setting of the same name.
ENV_OVERRIDES = {"DATABASE_URL": "SQLALCHEMY_DATABASE_URI"} | {
    name: name
    for name in (
        "SECRET_KEY", "SESSION_COOKIE_SECURE", "PROXY_COUNT", "MAIL_SERVER", "MAIL_PORT",
        "MAIL_USE_TLS", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_SENDER", "OUTBOX_DIR",
        "JOBS_BACKEND", "REDIS_URL", "JOBS_QUEUE", "JOBS_TIMEOUT", "STORAGE_DIR", "DOCUMENT_MAX_BYTES",
        "IMPORT_MAX_BYTES",
    )
}


def normalise_database_url(url: str) -> str:
    """Accept postgres:// and postgresql:// and always use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def instance_secret_key(instance_path: Path) -> str:
    """A random key generated once and kept in instance/ (never committed)."""
    key_file = instance_path / "secret_key"
    try:  # O_EXCL: of several workers starting at once, exactly one writes the key
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    return key_file.read_text().strip()


def _parse(key: str, value: str):
    if key in ("SESSION_COOKIE_SECURE", "MAIL_USE_TLS"):
        return value.lower() in ("1", "true", "yes")
    if key in ("PROXY_COUNT", "MAIL_PORT", "JOBS_TIMEOUT", "DOCUMENT_MAX_BYTES", "IMPORT_MAX_BYTES"):
        return int(value)
    return value


def load_config(app, override: dict | None) -> None:
    app.config.from_object(Defaults)
    for env_name, key in ENV_OVERRIDES.items():
        value = os.environ.get(env_name)
        if value:
            app.config[key] = _parse(key, value)
    app.config.update(override or {})

    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    uri = app.config.get("SQLALCHEMY_DATABASE_URI") or f"sqlite:///{instance / 'portal.db'}"
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(uri)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret_key(instance)
    app.config.setdefault("REMEMBER_COOKIE_SECURE", app.config["SESSION_COOKIE_SECURE"])
