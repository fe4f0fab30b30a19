"""The import jobs on the real thread backend (committing for real), and what the generic job
pages take from a job's registration (title, result partial)."""
from __future__ import annotations

import io

from portal.jobs import Job
from portal.jobs.uploads import discard, enqueue_import, keep, opened
from portal.storage import storage

from .conftest import wait_until_finished

HEADER = b"shipment_no,client_code,ship_date,model_code,quantity,unit_price,currency\n"


def test_shipment_import_on_the_thread_backend(configured, committed):
    """Every row is bad (no such client): the job ends with its errors, writes nothing and
    deletes the kept upload; its progress was committed aside while it ran."""
    configured["JOBS_BACKEND"] = "thread"
    data = HEADER + b"".join(b"SH-%d,NOPE,2025-03-01,X,1,1.00,CNY\n" % i for i in range(3))
    job_id = enqueue_import("shipments.import", io.BytesIO(data), filename="s.csv").id
    row = wait_until_finished(job_id)
    assert row.status == "done", row.error
    assert row.result["ok"] is False and row.result["bad_rows"] == 3
    assert [r["row"] for r in row.result["rows"]] == [2, 3, 4]
    assert row.message == "3 rows have errors; nothing was imported."
    assert not storage().exists(row.kwargs["key"])


def test_a_kept_upload_reads_back_as_uploaded_and_is_unique(app):
    """Storage is shared by content: each kept upload gets a key of its own, and discarding
    it never removes a file someone else stored with the same bytes."""
    with app.app_context():
        first, second = keep(io.BytesIO(b"same bytes")), keep(io.BytesIO(b"same bytes"))
        assert first != second
        with opened(first) as stream:
            assert stream.read() == b"same bytes"
        plain = storage().put(b"same bytes")
        discard(first)
        discard(plain)  # not a kept upload: left alone
        assert not storage().exists(first) and storage().exists(second) and storage().exists(plain)
        discard(second)
        storage().delete(plain)


def test_job_pages_use_the_registered_title_and_result_partial(client, db, make):
    staff = make.user(role="staff", locale="en")
    row = Job(name="shipments.import", status="done", created_by_id=staff.id,
              result={"ok": True, "shipments": 1, "lines": 2, "serials": 3, "url": "/shipments/"})
    db.session.add(row)
    db.session.flush()
    client.login(staff.email)
    assert "Import shipments" in client.get("/jobs").get_data(as_text=True)
    page = client.get(f"/jobs/{row.id}").get_data(as_text=True)
    assert "Import shipments" in page and "2 lines created" in page and "See the result" not in page
    fragment = client.get(f"/jobs/{row.id}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and "3 serial numbers recorded" in fragment
