"""POST /api/v1/claims/import with background=true: the header checked at once, then the
upload as the page's background job for the token user's own company, read back through
GET /api/v1/jobs/<id> (eager jobs in tests: done when the 202 comes back)."""
from __future__ import annotations

from sqlalchemy import func, select

from portal.claims.models import Claim
from portal.jobs import Job
from portal.storage import storage

from .conftest import claim_data, csv_file


def upload(api, user, stream, query="?background=true", **form):
    return api.client.post(f"/api/v1/claims/import{query}", headers=api._headers(user),
                           data={"file": (stream, "c.csv"), **form}, content_type="multipart/form-data")


def job_count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Job))


def test_background_upload_for_the_users_company(api, db, world):
    rows = [claim_data(), claim_data(serial="SN-A2", fault_cause="lightning")]
    response = upload(api, world.acme_user, csv_file(rows))
    assert response.status_code == 202, response.json
    location = response.headers["Location"]
    assert location == f"/api/v1/jobs/{response.json['id']}" and response.json["name"] == "claims.import"
    job = api.get(location, world.acme_user).json
    assert job["status"] == "done"
    assert job["result"] == {"ok": True, "claims": 2, "accepted": 1, "rejected": 1, "review": 0, "url": "/claims/"}
    row = db.session.get(Job, job["id"])
    assert (row.client_id, row.kwargs["company_id"], row.kwargs["user_id"]) == (
        world.acme.id, world.acme.id, world.acme_user.id)
    assert not storage().exists(row.kwargs["key"])
    assert db.session.execute(select(Claim.client_id).distinct()).scalars().all() == [world.acme.id]
    assert api.get(location, world.acme_admin).status_code == 200  # same company
    assert api.get(location, world.globex_user).status_code == 404  # another company
    assert api.get(location, world.staff).status_code == 200
    assert api.get(location, None).status_code == 401


def test_the_flag_may_be_a_form_field(api, db, world):
    response = upload(api, world.acme_user, csv_file([claim_data()]), query="", background="true")
    assert response.status_code == 202 and response.json["result"]["claims"] == 1


def test_a_bad_row_ends_the_job_with_the_error_rows(api, db, world):
    rows = [claim_data(), claim_data(serial="SN-A2", repair_date="2099-01-01")]
    response = upload(api, world.acme_user, csv_file(rows))
    assert response.status_code == 202
    job = api.get(response.headers["Location"], world.acme_user).json
    assert job["status"] == "done" and job["result"]["ok"] is False and job["result"]["bad_rows"] == 1
    assert job["result"]["rows"] == [{"row": 3, "errors": [
        {"column": "repair_date", "message": "The repair date cannot be in the future."}]}]
    assert db.session.query(Claim).count() == 0


def test_a_bad_header_is_refused_at_once_without_a_job(api, db, world):
    response = upload(api, world.acme_user, csv_file([claim_data()], header=["serial", "foo"]))
    assert response.status_code == 422
    assert response.json["errors"]["file"][0].startswith("Missing columns: repair_date")
    empty = upload(api, world.acme_user, csv_file([]))
    assert empty.status_code == 422 and empty.json["errors"] == {"file": ["The file has no data rows."]}
    assert job_count(db) == 0 and db.session.query(Claim).count() == 0


def test_roles_and_anonymous(api, db, world):
    assert upload(api, None, csv_file([claim_data()])).status_code == 401
    assert upload(api, world.staff, csv_file([claim_data()])).status_code == 403
    assert job_count(db) == 0


def test_without_the_flag_the_upload_stays_synchronous(api, db, world):
    response = upload(api, world.acme_user, csv_file([claim_data()]), query="?background=false")
    assert response.status_code == 201 and response.json == {"claims": 1, "accepted": 1, "rejected": 0, "review": 0}
    assert job_count(db) == 0
