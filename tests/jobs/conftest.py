"""Fixtures for jobs that really commit: the `app` fixture's database outside the SAVEPOINT
fixture (workers and threads only see committed rows), the machine's Redis, and cleanup."""
from __future__ import annotations

import time
import uuid

import pytest
from sqlalchemy import delete, select

from portal.audit import AuditEntry
from portal.extensions import db as _db
from portal.jobs import Job

REDIS_URL = "redis://127.0.0.1:6379/0"


def redis_or_fail():
    """The machine's Redis; CI always has it (.ci/run starts it), so its absence is a failure."""
    from redis import Redis
    from redis.exceptions import RedisError

    redis = Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=5)
    try:
        redis.ping()
    except RedisError as exc:
        pytest.fail(f"Redis does not answer on {REDIS_URL} ({exc}); start it with: redis-server --daemonize yes "
                    "--bind 127.0.0.1 -::1 --port 6379 --save '' --appendonly no")
    return redis


@pytest.fixture
def configured(app):
    """Change app.config for one test and put it back afterwards."""
    saved = dict(app.config)
    yield app.config
    app.config.clear()
    app.config.update(saved)


@pytest.fixture
def rq_queue(app, configured):
    """JOBS_BACKEND=rq on a queue of this test's own (deleted afterwards)."""
    from rq import Queue

    redis = redis_or_fail()
    name = f"test-{uuid.uuid4().hex[:12]}"
    configured.update(JOBS_BACKEND="rq", REDIS_URL=REDIS_URL, JOBS_QUEUE=name)
    queue = Queue(name, connection=redis)
    try:
        yield queue
    finally:
        queue.delete(delete_jobs=True)


@pytest.fixture
def committed(app):
    """An app context whose session really commits; deletes the jobs (and the test audit
    entries) it made when the test ends."""
    with app.app_context():
        before = _db.session.scalar(select(Job.id).order_by(Job.id.desc()).limit(1)) or 0
        _db.session.commit()
        try:
            yield _db
        finally:
            _db.session.rollback()
            _db.session.execute(delete(Job).where(Job.id > before))
            _db.session.execute(delete(AuditEntry).where(AuditEntry.action.like("test.%")))
            _db.session.commit()


def fresh(job_id: int) -> Job:
    """The job as the database has it now (not as this session remembers it)."""
    _db.session.remove()
    return _db.session.get(Job, job_id)


def wait_until_finished(job_id: int, timeout: float = 15.0) -> Job:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = fresh(job_id)
        if row.finished:
            return row
        time.sleep(0.05)
    pytest.fail(f"job {job_id} did not finish within {timeout} s (status {fresh(job_id).status})")
