"""`flask jobs-sweep`: jobs whose process died are failed in their starter's language and
their kept uploads deleted; live and finished jobs are left alone."""
from __future__ import annotations

import io
from datetime import timedelta

from portal.db import utcnow
from portal.jobs import Job
from portal.jobs.sweep import sweep
from portal.jobs.uploads import keep
from portal.storage import storage

HOURS = 3600


def _job(db, status: str, age_hours: float, started: bool = False, **kwargs) -> Job:
    when = utcnow() - timedelta(hours=age_hours)
    row = Job(name="shipments.import", status=status, kwargs=kwargs, created_at=when,
              started_at=when if started else None)
    db.session.add(row)
    db.session.flush()
    return row


def test_stale_jobs_are_failed_and_their_uploads_deleted(app, db, make):
    app.config["JOBS_TIMEOUT"] = 6 * HOURS
    starter = make.user(role="staff", locale="fr")
    key = keep(io.BytesIO(b"shipment_no\nSH-1\n"))
    lost = _job(db, "queued", 7, key=key, filename="s.csv")
    lost.created_by_id = starter.id
    hung = _job(db, "running", 8, started=True)
    fresh = _job(db, "running", 1, started=True)
    done = _job(db, "done", 30)

    assert sweep() == [lost.id, hung.id]
    assert lost.status == hung.status == "failed" and lost.finished_at is not None
    assert lost.message.startswith("Le travail a été interrompu")  # the starter's language
    assert "still queued" in lost.error and "still running" in hung.error
    assert not storage().exists(key)
    assert fresh.status == "running" and done.status == "done"


def test_the_sweep_command_reports_what_it_failed(app, db):
    app.config["JOBS_TIMEOUT"] = 6 * HOURS
    row = _job(db, "queued", 9)
    result = app.test_cli_runner().invoke(args=["jobs-sweep"])
    assert result.exit_code == 0, result.output
    assert f"1 interrupted job(s) marked failed: [{row.id}]" in result.output
