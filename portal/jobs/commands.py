"""Command-line tasks of the job system: `flask jobs-worker`, `flask jobs-check` and `flask jobs-sweep`."""
from __future__ import annotations

import time

import click
from sqlalchemy import delete, select

from ..extensions import db
from .models import Job


def register(app) -> None:
    @app.cli.command("jobs-worker")
    @click.option("--queue", "queue_name", default=None, help="Queue to serve (default: JOBS_QUEUE).")
    @click.option("--burst", is_flag=True, help="Stop once the queue is empty.")
    @click.option("--name", default=None, help="Worker name shown by `rq info` (default: host and pid).")
    def jobs_worker(queue_name, burst, name):
        """Run background jobs from Redis (REDIS_URL); start as many as you like, anywhere."""
        from .rq_backend import work

        work(queue_name, burst=burst, name=name)

    @app.cli.command("jobs-check")
    @click.option("--timeout", default=60, show_default=True, help="Seconds to wait for a worker.")
    @click.option("--keep", is_flag=True, help="Keep the check's job row (it is deleted when it passes).")
    def jobs_check(timeout, keep):
        """Enqueue a canary job and wait for it: exit 0 when a worker ran it, 1 otherwise."""
        from .runner import enqueue

        started = time.monotonic()
        job_id = enqueue("jobs.canary").id
        db.session.commit()
        status, result, message = "queued", {}, ""
        while time.monotonic() - started < timeout:
            with db.engine.connect() as conn:
                status, result, message = conn.execute(
                    select(Job.status, Job.result, Job.message).where(Job.id == job_id)).one()
            if status in ("done", "failed"):
                break
            time.sleep(0.2)
        elapsed = time.monotonic() - started
        if status != "done":
            click.echo(f"job {job_id}: {status} after {elapsed:.1f} s {message}".rstrip(), err=True)
            raise SystemExit(1)
        click.echo(f"job {job_id} done in {elapsed:.1f} s on {result.get('host')} (pid {result.get('pid')})")
        if not keep:
            db.session.execute(delete(Job).where(Job.id == job_id))
            db.session.commit()

    @app.cli.command("jobs-sweep")
    def jobs_sweep():
        """Fail the jobs queued or running for longer than JOBS_TIMEOUT (their process died) and
        delete the uploads they kept; run it hourly from cron."""
        from .sweep import sweep

        failed = sweep()
        db.session.commit()
        click.echo(f"{len(failed)} interrupted job(s) marked failed" + (f": {failed}" if failed else ""))
