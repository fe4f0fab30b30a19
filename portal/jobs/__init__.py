"""Background jobs through one small interface.

    @job("settlements.issue_period")
    def issue_period(ctx, period_start):
        for i, client in enumerate(clients):
            ...
            ctx.progress(i + 1, len(clients), "...")
        return {"issued": n, "url": "/settlements?..."}   # stored as the job's result

    enqueue("settlements.issue_period", period_start="2026-10-01")  -> Job

Backends (config JOBS_BACKEND): "thread" (default: runs in the web process, nothing to
install), "rq" (Redis queue, REDIS_URL; workers anywhere: `flask jobs-worker`), "eager" (runs
at once in the caller, for tests). State and progress live in the `job` table, so any web
process can show any job's progress at /jobs/<id>.
"""
from .models import Job  # noqa: F401
from .runner import JobContext, enqueue, job, registered  # noqa: F401
