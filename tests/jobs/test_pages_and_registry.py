"""The jobs list, the list of job modules, the worker's health in /healthz."""
from __future__ import annotations

import re
from pathlib import Path

from portal.jobs import Job, registered
from portal.jobs.registry import JOB_MODULES, load_all

PORTAL = Path(__file__).resolve().parents[2] / "portal"


def _job(db, **kw):
    row = Job(name=kw.pop("name", "jobs.canary"), **kw)
    db.session.add(row)
    db.session.flush()
    return row


def test_jobs_list_shows_status_progress_who_and_links(client, db, make):
    staff = make.user(role="staff", name="Wang Fang")
    mine = make.client(code="ACME")
    _job(db, status="running", done=1, total=4, created_by_id=staff.id, client_id=mine.id)
    failed = _job(db, status="failed", message="The work stopped with an error: boom")
    client.login(staff.email)
    page = client.get("/jobs").get_data(as_text=True)
    assert "Check of the background workers" in page and "25 %" in page and "Wang Fang" in page
    assert "ACME" in page and "boom" in page and f'href="/jobs/{failed.id}"' in page
    only_failed = client.get("/jobs?status=failed").get_data(as_text=True)
    assert "boom" in only_failed and "25 %" not in only_failed


def test_jobs_list_is_paginated(client, db, make, app):
    staff = make.user(role="staff")
    for _ in range(app.config["PAGE_SIZE"] + 1):
        _job(db, status="done")
    client.login(staff.email)
    first = client.get("/jobs").get_data(as_text=True)
    assert 'class="pagination' in first and "?page=2" in first


def test_a_client_sees_only_its_own_jobs(client, db, make):
    mine = make.user(role="client_user")
    other = make.user(role="client_user")
    own = _job(db, status="done", client_id=mine.client_id, message="own work")
    theirs = _job(db, status="done", client_id=other.client_id, message="their work")
    internal = _job(db, status="done", message="internal work")
    client.login(mine.email)
    page = client.get("/jobs").get_data(as_text=True)
    assert "own work" in page and "their work" not in page and "internal work" not in page
    assert client.get(f"/jobs/{own.id}").status_code == 200
    assert client.get(f"/jobs/{theirs.id}").status_code == 404
    assert client.get(f"/jobs/{internal.id}").status_code == 404


def test_technical_details_of_a_failure_are_for_administrators(client, db, make):
    row = _job(db, status="failed", error="Traceback: secret path", message="stopped")
    client.login(make.user(role="staff").email)
    assert "secret path" not in client.get(f"/jobs/{row.id}").get_data(as_text=True)
    client.post("/logout")
    client.login(make.user(role="admin").email)
    assert "secret path" in client.get(f"/jobs/{row.id}").get_data(as_text=True)


def test_jobs_list_needs_a_sign_in(client):
    assert client.get("/jobs").status_code == 302


def test_every_module_with_a_job_is_listed_for_the_workers():
    pattern = re.compile(r"^@job\(", re.MULTILINE)
    found = {
        ".".join(path.relative_to(PORTAL.parent).with_suffix("").parts)
        for path in PORTAL.rglob("*.py") if pattern.search(path.read_text(encoding="utf-8"))
    }
    assert found <= set(JOB_MODULES), f"add to portal/jobs/registry.py: {sorted(found - set(JOB_MODULES))}"
    load_all()
    assert {"jobs.canary"} <= set(registered())


def test_healthz_reports_redis_and_its_workers(client, configured):
    from .conftest import REDIS_URL, redis_or_fail

    redis_or_fail()
    configured.update(JOBS_BACKEND="rq", REDIS_URL=REDIS_URL, JOBS_QUEUE="test-healthz-nobody")
    body = client.get("/healthz").get_json()
    assert body == {"status": "ok", "database": "ok", "jobs": "ok", "workers": 0, "queued": 0}
    configured["REDIS_URL"] = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503 and response.get_json()["jobs"] == "unreachable"
