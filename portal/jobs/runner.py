"""Registering, enqueuing and running jobs; the backend is chosen by JOBS_BACKEND."""
from __future__ import annotations

import logging
import threading
import traceback
from contextlib import nullcontext
from collections.abc import Callable

from flask import current_app, has_request_context
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import update

from ..db import utcnow
from ..extensions import db
from .models import Job

log = logging.getLogger(__name__)
_REGISTRY: dict[str, Callable] = {}
_PAGES: dict[str, dict] = {}  # job name -> how its page shows it (title, result template)


def job(name: str, *, title=None, result_template: str | None = None):
    """Register `fn(ctx, **kwargs)` as the job called `name`. Optional, for its page at
    /jobs/<id>: `title` (a lazy string), and `result_template`, a partial that shows the
    finished job's `result` (it gets `job` and `result`) instead of the generic link."""

    def decorator(fn):
        _REGISTRY[name] = fn
        _PAGES[name] = {"title": title, "result_template": result_template}
        return fn

    return decorator


def page_options(name: str) -> dict:
    """The `title` and `result_template` a job registered (None each when it named none)."""
    lookup(name)
    return _PAGES.get(name) or {"title": None, "result_template": None}


def registered() -> dict[str, Callable]:
    return dict(_REGISTRY)


def lookup(name: str) -> Callable | None:
    """The function of job `name`; a name not yet known loads every job module first
    (portal.jobs.registry), so a worker knows the jobs of every capability."""
    if name not in _REGISTRY:
        from .registry import load_all

        load_all()
    return _REGISTRY.get(name)


class JobContext:
    """What a running job gets: its id, and `progress()` to tell people how far it is."""

    def __init__(self, job_id: int, eager: bool):
        self.job_id = job_id
        self._eager = eager
        # SQLite lets one connection write at a time, and a transaction that read before another
        # connection committed may not write any more: there, progress joins the job's own
        # transaction (it shows when the job ends). Elsewhere it is committed at once, aside.
        self._in_session = eager or db.engine.dialect.name == "sqlite"

    def progress(self, done: int, total: int, message: str = "") -> None:
        values = {"done": done, "total": total, "message": message[:500]}
        _write(self.job_id, values, eager=self._in_session)


def _write(job_id: int, values: dict, eager: bool) -> None:
    """Write on its own connection and commit at once, so other requests see it while the
    job's own work is still in its transaction (`eager`: in the current session instead)."""
    statement = update(Job).where(Job.id == job_id).values(**values)
    if eager:
        db.session.execute(statement)
        return
    try:
        with db.engine.begin() as connection:
            connection.execute(statement)
    except Exception:  # progress is informative; never let it break the work itself
        log.warning("could not record progress of job %s", job_id, exc_info=True)


def enqueue(name: str, *, client_id: int | None = None, **kwargs) -> Job:
    """Create the job and hand it to the backend. `kwargs` must be JSON-serialisable.
    Outside eager mode this commits the caller's session (the worker must see the row)."""
    if lookup(name) is None:
        raise KeyError(f"no job registered as {name!r}")
    user = current_user if has_request_context() and current_user.is_authenticated else None
    row = Job(name=name, kwargs=kwargs, created_by_id=getattr(user, "id", None),
              client_id=client_id if client_id is not None else getattr(user, "client_id", None))
    db.session.add(row)
    backend = current_app.config["JOBS_BACKEND"]
    if backend == "eager":
        db.session.flush()
        run(row.id, eager=True)
        return row
    db.session.commit()
    if backend == "thread":
        app = current_app._get_current_object()
        threading.Thread(target=_run_in_app, args=(app, row.id), daemon=True, name=f"job-{row.id}").start()
    elif backend == "rq":
        from .rq_backend import submit

        submit(row.id)
    else:
        raise ValueError(f"unknown JOBS_BACKEND {backend!r}")
    return row


def starter_locale(row: Job) -> str:
    """The language of whoever started the job (the default for a job nobody started)."""
    user = row.created_by
    return (user.locale if user is not None and user.locale else None) or current_app.config["BABEL_DEFAULT_LOCALE"]


def _run_in_app(app, job_id: int) -> None:
    with app.app_context():
        run(job_id, eager=False)


def run(job_id: int, eager: bool = False) -> None:
    """Run one job to its end, recording the outcome; a failure is recorded, not raised."""
    row = db.session.get(Job, job_id)
    if row is None:  # deleted before a worker took it: nothing to do
        log.warning("job %s no longer exists", job_id)
        return
    name, kwargs, starter = row.name, dict(row.kwargs or {}), starter_locale(row)
    if not eager:
        db.session.commit()  # end the read: the job's work starts a transaction of its own

    def locale():  # outside a request (thread, worker): the language of whoever started it
        return nullcontext() if has_request_context() else force_locale(starter)

    fn = lookup(name)
    if fn is None:
        with locale():
            message = _("This kind of work is unknown to the worker (%(name)s).", name=name)
        _write(job_id, {"status": "failed", "finished_at": utcnow(), "error": f"no job registered as {name!r}",
                        "message": message}, eager)
        return
    _write(job_id, {"status": "running", "started_at": utcnow()}, eager)
    try:
        if eager:
            with db.session.begin_nested():
                result = fn(JobContext(job_id, eager), **kwargs)
        else:
            with locale():
                result = fn(JobContext(job_id, eager), **kwargs)
            db.session.commit()
    except Exception as exc:
        if not eager:
            db.session.rollback()
        log.exception("job %s (%s) failed", job_id, name)
        with locale():
            message = _("The work stopped with an error: %(error)s", error=str(exc))[:500]
        _write(job_id, {"status": "failed", "finished_at": utcnow(),
                        "error": f"{exc}\n\n{traceback.format_exc()}"[:20000], "message": message}, eager)
        return
    _write(job_id, {"status": "done", "finished_at": utcnow(), "result": result or {}}, eager)
    if eager:
        db.session.refresh(row)
