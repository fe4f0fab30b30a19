"""Registering, enqueuing and running jobs; the backend is chosen by JOBS_BACKEND."""
from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable

from flask import current_app, has_request_context
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import update

from ..db import utcnow
from ..extensions import db
from .models import Job

log = logging.getLogger(__name__)
_REGISTRY: dict[str, Callable] = {}


def job(name: str):
    """Register `fn(ctx, **kwargs)` as the job called `name`."""

    def decorator(fn):
        _REGISTRY[name] = fn
        return fn

    return decorator


def registered() -> dict[str, Callable]:
    return dict(_REGISTRY)


class JobContext:
    """What a running job gets: its id, and `progress()` to tell people how far it is."""

    def __init__(self, job_id: int, eager: bool):
        self.job_id = job_id
        self._eager = eager

    def progress(self, done: int, total: int, message: str = "") -> None:
        values = {"done": done, "total": total, "message": message[:500]}
        _write(self.job_id, values, eager=self._eager)


def _write(job_id: int, values: dict, eager: bool) -> None:
    """Progress is written on its own connection and committed at once, so other requests
    see it while the job's own work is still in its transaction (in eager mode, the caller's
    session, which is all a test can see)."""
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
    if name not in _REGISTRY:
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


def _run_in_app(app, job_id: int) -> None:
    with app.app_context():
        run(job_id, eager=False)


def run(job_id: int, eager: bool = False) -> None:
    """Run one job to its end, recording the outcome; a failure is recorded, not raised."""
    row = db.session.get(Job, job_id)
    fn = _REGISTRY[row.name]
    _write(job_id, {"status": "running", "started_at": utcnow()}, eager)
    try:
        if eager:
            with db.session.begin_nested():
                result = fn(JobContext(job_id, eager), **row.kwargs)
        else:
            result = fn(JobContext(job_id, eager), **row.kwargs)
            db.session.commit()
    except Exception as exc:
        if not eager:
            db.session.rollback()
        log.exception("job %s (%s) failed", job_id, row.name)
        _write(job_id, {"status": "failed", "finished_at": utcnow(),
                        "error": f"{exc}\n\n{traceback.format_exc()}"[:20000],
                        "message": _("The work stopped with an error: %(error)s", error=str(exc))[:500]}, eager)
        return
    _write(job_id, {"status": "done", "finished_at": utcnow(), "result": result or {}}, eager)
    if eager:
        db.session.refresh(row)
