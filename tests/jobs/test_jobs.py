from email import message_from_bytes
from pathlib import Path

import pytest
from sqlalchemy import select

from portal.audit import AuditEntry, record
from portal.jobs import Job, enqueue, job
from portal.outbox import send_mail


@job("test.count")
def count_to(ctx, n):
    for i in range(n):
        ctx.progress(i + 1, n, f"step {i + 1}")
    return {"counted": n}


@job("test.fail")
def fail(ctx):
    raise RuntimeError("the disk is full")


def test_a_job_runs_and_records_progress_and_result(app, db):
    with app.test_request_context():
        row = enqueue("test.count", n=3)
    assert (row.status, row.done, row.total, row.message, row.result) == ("done", 3, 3, "step 3", {"counted": 3})
    assert row.percent == 100 and row.finished_at is not None


def test_a_failing_job_is_recorded_with_its_error_and_writes_nothing(app, db, make):
    @job("test.write_then_fail")
    def write_then_fail(ctx):
        make.client(code="HALFWAY")
        raise RuntimeError("boom")

    with app.test_request_context():
        row = enqueue("test.write_then_fail")
    assert row.status == "failed" and "boom" in row.error and "boom" in row.message
    from portal.clients.models import Client
    assert db.session.scalar(select(Client).where(Client.code == "HALFWAY")) is None


def test_unknown_job_name_is_refused(app, db):
    with app.test_request_context(), pytest.raises(KeyError):
        enqueue("no.such.job")


def test_job_page_shows_progress_to_its_client_only(app, db, client, make):
    mine = make.user(role="client_user")
    other = make.user(role="client_user")
    row = Job(name="test.count", status="running", done=2, total=4, client_id=mine.client_id)
    db.session.add(row)
    db.session.flush()
    client.login(mine.email)
    page = client.get(f"/jobs/{row.id}").get_data(as_text=True)
    assert "50 %" in page and 'hx-trigger="every 1s"' in page
    client.post("/logout")
    client.login(other.email)
    assert client.get(f"/jobs/{row.id}").status_code == 404


def test_audit_record_takes_user_client_and_target(app, db, make):
    user = make.user(role="client_admin")
    with app.test_request_context(environ_base={"REMOTE_ADDR": "10.0.0.9"}):
        entry = record("contract.choose", target=user.client, user=user, offer=3)
        db.session.flush()
    stored = db.session.get(AuditEntry, entry.id)
    assert (stored.action, stored.target, stored.user_email, stored.ip, stored.details) == (
        "contract.choose", f"client:{user.client_id}", user.email, "10.0.0.9", {"offer": 3})


def test_mail_goes_to_the_outbox_without_smtp(app, tmp_path):
    app.config["OUTBOX_DIR"] = str(tmp_path)
    try:
        with app.app_context():
            where = send_mail("a@example.com", "Statement ST-2026-00001", "Hello", [("st.pdf", b"%PDF-1.7", "application/pdf")])
    finally:
        app.config["OUTBOX_DIR"] = None
    message = message_from_bytes(Path(where).read_bytes())
    assert message["To"] == "a@example.com" and message["Subject"] == "Statement ST-2026-00001"
    attachment = [p for p in message.walk() if p.get_filename() == "st.pdf"][0]
    assert attachment.get_payload(decode=True) == b"%PDF-1.7"
