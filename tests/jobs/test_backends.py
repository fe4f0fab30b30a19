"""The real backends: RQ on the machine's Redis, and the thread backend, both committing for
real to the test database (a worker or a thread sees committed rows only)."""
from __future__ import annotations

import signal

from sqlalchemy import func, select

from portal.audit import AuditEntry, record
from portal.jobs import enqueue, job

from .conftest import fresh, wait_until_finished


@job("test.backend_count")
def count_and_write(ctx, n):
    """Reads, reports progress, then writes: the order that trips SQLite when progress is
    committed on another connection in between."""
    before = fresh_count()
    for i in range(n):
        ctx.progress(i + 1, n, f"step {i + 1}")
    record("test.job_wrote", None, n=n)
    return {"counted": n, "before": before}


def fresh_count() -> int:
    from portal.extensions import db

    return db.session.scalar(select(func.count(AuditEntry.id)))


@job("test.backend_fail")
def fail(ctx):
    ctx.progress(1, 2, "half way")
    record("test.must_not_stay", None)
    raise RuntimeError("the disk is full")


def run_worker(queue) -> None:
    """An in-process RQ worker, in burst mode; the test runner's signal handlers are kept."""
    from rq import SimpleWorker

    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        SimpleWorker([queue], connection=queue.connection).work(burst=True, logging_level="WARNING")
    finally:
        for s, handler in handlers.items():
            signal.signal(s, handler)


def written(action: str) -> int:
    from portal.extensions import db

    db.session.remove()
    return db.session.scalar(select(func.count()).where(AuditEntry.action == action))


def test_rq_job_runs_on_a_worker_with_progress_and_result(rq_queue, committed):
    job_id = enqueue("test.backend_count", n=3).id
    assert fresh(job_id).status == "queued" and rq_queue.count == 1
    run_worker(rq_queue)
    row = fresh(job_id)
    assert (row.status, row.done, row.total, row.message) == ("done", 3, 3, "step 3")
    assert row.result["counted"] == 3 and row.started_at and row.finished_at
    assert written("test.job_wrote") == 1 and rq_queue.count == 0


def test_rq_failing_job_records_its_error_and_keeps_nothing(rq_queue, committed):
    job_id = enqueue("test.backend_fail").id
    run_worker(rq_queue)
    row = fresh(job_id)
    assert row.status == "failed" and "the disk is full" in row.error and "the disk is full" in row.message
    assert "RuntimeError" in row.error  # the traceback, for the administrator
    assert written("test.must_not_stay") == 0


def test_rq_unreachable_redis_fails_the_job_clearly(rq_queue, committed, configured):
    configured["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens there
    job_id = enqueue("test.backend_count", n=1).id
    row = fresh(job_id)
    assert row.status == "failed" and "job queue cannot be reached" in row.message
    assert "ConnectionError" in row.error


def test_rq_job_of_a_deleted_row_is_skipped(rq_queue, committed):
    from portal.extensions import db
    from portal.jobs import Job

    job_id = enqueue("test.backend_count", n=1).id
    db.session.execute(Job.__table__.delete().where(Job.__table__.c.id == job_id))
    db.session.commit()
    run_worker(rq_queue)  # must not raise
    assert fresh(job_id) is None and rq_queue.count == 0


def test_thread_backend_runs_in_a_real_thread(app, configured, committed):
    configured["JOBS_BACKEND"] = "thread"
    job_id = enqueue("test.backend_count", n=4).id
    row = wait_until_finished(job_id)
    assert (row.status, row.done, row.total, row.result["counted"]) == ("done", 4, 4, 4)
    assert written("test.job_wrote") == 1


def test_thread_backend_records_a_failure(app, configured, committed):
    configured["JOBS_BACKEND"] = "thread"
    row = wait_until_finished(enqueue("test.backend_fail").id)
    assert row.status == "failed" and "the disk is full" in row.message
    assert written("test.must_not_stay") == 0


def test_a_background_failure_speaks_the_language_of_whoever_started_it(app, committed):
    from portal.auth.models import User
    from portal.extensions import db
    from portal.jobs import Job
    from portal.jobs.runner import run

    user = User(email="fr-starter@example.com", name="Starter", role="staff", locale="fr")
    user.set_password("x" * 12)
    db.session.add(user)
    db.session.commit()
    user_id = user.id
    try:
        row = Job(name="test.backend_fail", created_by_id=user_id)
        db.session.add(row)
        db.session.commit()
        job_id = row.id
        run(job_id)  # outside any request, as a thread or a worker runs it
        assert fresh(job_id).message == "Le traitement s'est arrêté sur une erreur : the disk is full"
    finally:
        db.session.rollback()
        db.session.execute(Job.__table__.delete().where(Job.__table__.c.created_by_id == user_id))
        db.session.execute(User.__table__.delete().where(User.__table__.c.id == user_id))
        db.session.commit()
