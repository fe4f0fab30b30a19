"""POST /api/v1/shipments/import with background=true: the header checked at once, then the
import as a background job (the page's job), read back through GET /api/v1/jobs/<id>. The
test app runs jobs eagerly, so the job has ended when the 202 comes back."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from portal.jobs import Job
from portal.shipments.models import Serial, Shipment, ShipmentLine
from portal.storage import storage

from .conftest import bearer, csv_bytes, row


@pytest.fixture
def staff(client, make):
    return bearer(client, make.user(role="staff", locale="en"))


def counts(db):
    return tuple(db.session.scalar(select(func.count()).select_from(m)) for m in (Shipment, ShipmentLine, Serial))


def job_count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Job))


def post(client, headers, stream, name="s.csv", query="?background=true", **form):
    return client.post(f"/api/v1/shipments/import{query}", headers=headers, data={"file": (stream, name), **form})


def test_background_import_answers_202_and_the_job_ends_with_the_counts(client, db, staff, world):
    response = post(client, staff, csv_bytes([row(serials="A B"), row("SH-2", quantity="-1")]))
    assert response.status_code == 202, response.get_json()
    job = response.get_json()
    assert response.headers["Location"] == f"/api/v1/jobs/{job['id']}"
    assert (job["name"], job["status"]) == ("shipments.import", "done")
    polled = client.get(response.headers["Location"], headers=staff)
    assert polled.status_code == 200
    assert polled.get_json()["result"] == {"ok": True, "shipments": 2, "lines": 2, "serials": 2, "url": "/shipments/"}
    assert polled.get_json()["percent"] == 100
    assert counts(db) == (2, 2, 2)
    assert not storage().exists(db.session.get(Job, job["id"]).kwargs["key"])  # the kept upload is gone


def test_the_flag_may_be_a_form_field(client, db, staff, world):
    response = post(client, staff, csv_bytes([row()]), query="", background="true")
    assert response.status_code == 202 and response.get_json()["result"]["ok"] is True
    assert counts(db) == (1, 1, 0)


def test_a_bad_row_ends_the_job_with_the_error_rows(client, db, staff, world):
    rows = [row("SH-1", serials="A B"), row("SH-2", batch_code="NOPE")]
    response = post(client, staff, csv_bytes(rows))
    assert response.status_code == 202
    job = client.get(response.headers["Location"], headers=staff).get_json()
    assert job["status"] == "done" and job["message"] == "1 row has errors; nothing was imported."
    assert job["result"] == {"ok": False, "file_errors": [], "bad_rows": 1, "more_rows": 0, "rows": [
        {"row": 3, "errors": [{"column": "batch_code", "message": "Unknown batch code 'NOPE'."}]}]}
    assert counts(db) == (0, 0, 0)


def test_a_bad_header_is_refused_at_once_without_a_job(client, db, staff, world):
    response = post(client, staff, csv_bytes([row()], columns=("shipment_no", "client_code")))
    assert response.status_code == 422
    payload = response.get_json()
    assert payload["errors"]["file"][0].startswith("Missing columns: ship_date")
    assert payload["message"] == payload["errors"]["file"][0]
    unreadable = post(client, staff, io.BytesIO(b"nope"), name="s.xlsx")
    assert unreadable.status_code == 422
    assert unreadable.get_json()["errors"] == {"file": ["The file is not a valid XLSX workbook."]}
    assert job_count(db) == 0 and counts(db) == (0, 0, 0)


def test_a_bad_flag_is_refused(client, db, staff, world):
    by_query = post(client, staff, csv_bytes([row()]), query="?background=maybe")
    assert by_query.status_code == 422 and "background" in by_query.get_json()["errors"]["query"]
    by_form = post(client, staff, csv_bytes([row()]), query="", background="maybe")
    assert by_form.status_code == 422 and "background" in by_form.get_json()["errors"]["form"]
    assert job_count(db) == 0 and counts(db) == (0, 0, 0)


def test_background_false_imports_within_the_request(client, db, staff, world):
    response = post(client, staff, csv_bytes([row(serials="A B")]), query="?background=false")
    assert response.status_code == 201 and response.get_json() == {"shipments": 1, "lines": 1, "serials": 2}
    assert job_count(db) == 0


def test_roles_and_anonymous(client, db, make, world):
    assert post(client, {}, csv_bytes([row()])).status_code == 401
    client_user = bearer(client, make.user(role="client_user", client=world.acme))
    assert post(client, client_user, csv_bytes([row()])).status_code == 403
    assert job_count(db) == 0
