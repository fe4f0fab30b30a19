"""The Redis backend (JOBS_BACKEND=rq): a job's id goes on the RQ queue JOBS_QUEUE in
REDIS_URL, and `flask jobs-worker` processes run it, on this machine or any other that reaches
the same database (DATABASE_URL), Redis (REDIS_URL) and shared storage.

The queue carries only the id: the job's name, arguments, progress and outcome live in the
`job` table, as with the thread backend, so any web process shows any job's progress.
"""
from __future__ import annotations

import logging
import os

from flask import current_app, has_app_context
from flask_babel import gettext as _
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue
from sqlalchemy import update

from ..db import utcnow
from ..extensions import db
from .models import Job
from .runner import _write, run

log = logging.getLogger(__name__)

DEFAULT_QUEUE = "portal"
DEFAULT_TIMEOUT = 6 * 3600  # seconds a job may run before RQ stops it
FAILED_RQ_JOBS_KEPT = 7 * 24 * 3600  # RQ's own record of a crashed job, for the operators

_worker_pid: int | None = None  # set by the worker command: jobs run in processes forked from it
_standalone = None  # the app of a plain `rq worker` process (no Flask CLI around it)


def connection(url: str | None = None, *, for_worker: bool = False) -> Redis:
    """A client of REDIS_URL. A web process waits at most a few seconds for Redis; a worker
    blocks on the queue, so its reads have no time limit."""
    url = url or current_app.config.get("REDIS_URL")
    if not url:
        raise RuntimeError("JOBS_BACKEND=rq needs REDIS_URL, e.g. redis://127.0.0.1:6379/0")
    timeouts = {} if for_worker else {"socket_timeout": 5}
    return Redis.from_url(url, socket_connect_timeout=5, health_check_interval=30, **timeouts)


def queue_name() -> str:
    return current_app.config.get("JOBS_QUEUE") or DEFAULT_QUEUE


def queue(name: str | None = None, redis: Redis | None = None) -> Queue:
    return Queue(name or queue_name(), connection=redis or connection())


def submit(job_id: int) -> None:
    """Put job `job_id` (already committed) on the queue. When Redis cannot be reached the job
    is marked failed with a message saying so, rather than left waiting for ever."""
    try:
        queue().enqueue_call(
            perform, args=(job_id,), timeout=current_app.config.get("JOBS_TIMEOUT") or DEFAULT_TIMEOUT,
            result_ttl=0, failure_ttl=FAILED_RQ_JOBS_KEPT, description=f"portal job {job_id}")
    except (RedisError, RuntimeError) as exc:
        log.exception("could not queue job %s", job_id)
        _write(job_id, {"status": "failed", "finished_at": utcnow(), "error": f"{exc.__class__.__name__}: {exc}",
                        "message": _("The job queue cannot be reached, so the work was not started. "
                                     "Please try again later.")}, eager=False)


def perform(job_id: int) -> None:
    """What a worker runs: job `job_id` in an app context of its own (a fresh database session).
    Under `flask jobs-worker` the app is the command's; a plain `rq worker` builds one."""
    app = current_app._get_current_object() if has_app_context() else _standalone_app()
    forked = _worker_pid is not None and os.getpid() != _worker_pid
    with app.app_context():
        if forked:  # never share the parent's pooled connections with it
            db.engine.dispose(close=False)
        try:
            run(job_id)
        finally:
            if forked:  # the work horse exits next: close its connections properly
                db.session.remove()
                db.engine.dispose()


def _standalone_app():
    global _standalone
    if _standalone is None:
        from .. import create_app

        _standalone = create_app()
    return _standalone


def horse_killed(rq_job, pid, status, rusage) -> None:
    """A work horse died without finishing (killed, out of memory): record it on the job."""
    job_id = rq_job.args[0] if rq_job.args else None
    if job_id is None:
        return
    with db.engine.begin() as conn:
        conn.execute(update(Job).where(Job.id == job_id, Job.status.in_(("queued", "running"))).values(
            status="failed", finished_at=utcnow(), error=f"work horse {pid} ended with status {status}",
            message=_("The worker running this work stopped unexpectedly.")))
    db.engine.dispose()  # keep the worker's pool empty before it forks the next horse


def reachable() -> tuple[bool, int, int]:
    """(Redis answers, workers listening on our queue, jobs waiting in it), for /healthz."""
    from rq import Worker

    try:
        redis = connection()
        redis.ping()
        q = queue(redis=redis)
        return True, Worker.count(queue=q), q.count
    except (RedisError, RuntimeError):
        return False, 0, 0


def work(queue_name: str | None = None, *, burst: bool = False, name: str | None = None) -> bool:
    """Run an RQ worker on the queue until stopped (or, with `burst`, until it is empty).
    Each job runs in a work horse forked from this process, inside this app."""
    from rq import Worker

    from .registry import load_all

    global _worker_pid
    load_all()
    redis = connection(for_worker=True)
    worker = Worker([queue(queue_name, redis)], connection=redis, name=name,
                    work_horse_killed_handler=horse_killed)
    db.engine.dispose()  # the horses open their own connections
    _worker_pid = os.getpid()
    return worker.work(burst=burst, logging_level="INFO")
