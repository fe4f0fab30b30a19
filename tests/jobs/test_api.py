"""The jobs API (GET /api/v1/jobs/<id>): what a job looks like, who may read it (a client
token sees its own company's jobs only; internal users see every job) and the OpenAPI entry."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from portal.auth.services import issue_token
from portal.jobs import Job


def bearer(user) -> dict:
    return {"Authorization": f"Bearer {issue_token(user)}"}


@pytest.fixture
def jobs(db, make):
    """A job of client A (started by its user), one of client B, and an internal one."""
    a_user = make.user(role="client_user", locale="en")
    b_user = make.user(role="client_user", locale="en")
    staff = make.user(role="staff", locale="en")
    rows = {
        "a": Job(name="claims.import", status="done", client_id=a_user.client_id, created_by_id=a_user.id,
                 done=3, total=3, message="3 claims imported", result={"ok": True, "claims": 3},
                 finished_at=datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)),
        "b": Job(name="claims.import", status="running", client_id=b_user.client_id, created_by_id=b_user.id,
                 done=1, total=4),
        "internal": Job(name="shipments.import", status="queued", created_by_id=staff.id),
    }
    db.session.add_all(rows.values())
    db.session.flush()
    return {"a_user": a_user, "b_user": b_user, "staff": staff, **rows}


def test_a_job_as_json(client, jobs):
    response = client.get(f"/api/v1/jobs/{jobs['a'].id}", headers=bearer(jobs["a_user"]))
    assert response.status_code == 200, response.get_json()
    data = response.get_json()
    assert data.pop("created_at")
    assert data == {"id": jobs["a"].id, "name": "claims.import", "status": "done", "done": 3, "total": 3,
                    "percent": 100, "message": "3 claims imported", "result": {"ok": True, "claims": 3},
                    "finished_at": "2025-03-01T12:00:00+00:00"}
    running = client.get(f"/api/v1/jobs/{jobs['b'].id}", headers=bearer(jobs["b_user"])).get_json()
    assert (running["status"], running["percent"], running["finished_at"]) == ("running", 25, None)


def test_a_client_sees_its_own_jobs_only(client, jobs):
    headers = bearer(jobs["a_user"])
    assert client.get(f"/api/v1/jobs/{jobs['b'].id}", headers=headers).status_code == 404
    assert client.get(f"/api/v1/jobs/{jobs['internal'].id}", headers=headers).status_code == 404
    missing = client.get("/api/v1/jobs/999999", headers=headers)
    assert missing.status_code == 404 and missing.get_json()["code"] == 404


def test_internal_users_see_every_job(client, jobs, make):
    for role in ("staff", "quality", "finance", "admin"):
        headers = bearer(make.user(role=role))
        for key in ("a", "b", "internal"):
            assert client.get(f"/api/v1/jobs/{jobs[key].id}", headers=headers).status_code == 200, (role, key)


def test_anonymous_gets_401(client, jobs):
    response = client.get(f"/api/v1/jobs/{jobs['a'].id}")
    assert response.status_code == 401 and response.get_json()["code"] == 401
    # the session cookie never authenticates the API
    client.login(jobs["a_user"].email)
    assert client.get(f"/api/v1/jobs/{jobs['a'].id}").status_code == 401


def test_openapi_describes_the_jobs_endpoint_and_the_flag(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "Job" in spec["components"]["schemas"]
    assert "get" in spec["paths"]["/api/v1/jobs/{job_id}"]
    for path in ("/api/v1/shipments/import", "/api/v1/claims/import"):
        post = spec["paths"][path]["post"]
        assert [p["name"] for p in post["parameters"]] == ["background"], path
        assert post["responses"]["202"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Job"}
        assert "background=true" in post["description"]
