"""`flask jobs-check`: the canary job, run by whatever backend is configured."""
from __future__ import annotations

from sqlalchemy import func, select

from portal.jobs import Job


def canaries(app) -> int:
    from portal.extensions import db

    with app.app_context():
        return db.session.scalar(select(func.count()).where(Job.name == "jobs.canary"))


def test_jobs_check_passes_when_the_canary_runs(app, configured, committed):
    configured["JOBS_BACKEND"] = "thread"
    result = app.test_cli_runner().invoke(args=["jobs-check", "--timeout", "15"])
    assert result.exit_code == 0, result.output
    assert "done in" in result.output and "(pid " in result.output
    assert canaries(app) == 0  # a passing check leaves no row behind


def test_jobs_check_fails_when_no_worker_takes_the_job(app, rq_queue, committed):
    result = app.test_cli_runner().invoke(args=["jobs-check", "--timeout", "1"])
    assert result.exit_code == 1 and "queued after" in result.output
    assert canaries(app) == 1 and rq_queue.count == 1
