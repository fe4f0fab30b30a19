"""Jobs whose process died: a web process restarted under a thread-backend job, a worker
killed, a job lost with its Redis. Their rows would say "queued" or "running" for ever and
their kept uploads would stay in storage. `sweep()` marks every job that has been waiting or
running longer than JOBS_TIMEOUT as failed, in its starter's language, and deletes what it kept."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from ..db import utcnow
from ..extensions import db
from .models import Job
from .runner import starter_locale
from .uploads import discard


def sweep(now: datetime | None = None) -> list[int]:
    """Fail the stale jobs; the ids of those it failed. The caller commits."""
    now = now or utcnow()
    limit = now - timedelta(seconds=current_app.config["JOBS_TIMEOUT"])
    stale = db.session.scalars(
        select(Job).where(Job.status.in_(("queued", "running")),
                          func.coalesce(Job.started_at, Job.created_at) < limit).order_by(Job.id)
    ).all()
    for row in stale:
        with force_locale(starter_locale(row)):
            row.message = _("The work was interrupted before it ended (its process stopped). Please start it again.")
        row.error = f"swept by `flask jobs-sweep`: still {row.status} after JOBS_TIMEOUT"
        row.status, row.finished_at = "failed", now
        key = (row.kwargs or {}).get("key")
        if key:  # an import's kept upload (portal.jobs.uploads)
            discard(key)
    return [row.id for row in stale]
