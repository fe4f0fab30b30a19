"""Sending a statement by e-mail, and the job issuing all statements of a period."""
from email import message_from_bytes
from email.header import decode_header, make_header
from pathlib import Path

from sqlalchemy import select

from portal.jobs import Job
from portal.settlements.engine import compute_draft
from portal.settlements.models import Settlement
from portal.statements.models import StatementFile
from portal.storage import storage

from .conftest import MARCH, buyout_shipments, discount_shipments, issued


def outbox(storage_dir) -> list:
    return sorted((Path(storage_dir) / "outbox").glob("*.eml"))


def test_finance_sends_the_stored_pdf_in_the_clients_language(db, make, world, client, storage_dir):
    world.acme.contact_email, world.acme.contact_name = "ap@acme.example.cn", "王磊"
    buyout_shipments(make, world)
    doc = issued(db, world.acme, world.finance)
    client.login(world.finance.email)
    response = client.post(f"/settlements/{doc.id}/send")
    assert response.status_code == 302
    files = outbox(storage_dir)
    assert len(files) == 1
    message = message_from_bytes(files[0].read_bytes())
    assert message["To"] == "ap@acme.example.cn"
    assert doc.number in str(make_header(decode_header(message["Subject"])))
    body = next(p for p in message.walk() if p.get_content_type() == "text/plain").get_payload(decode=True).decode()
    assert "王磊" in body and "¥32,594.55" in body
    attachment = next(p for p in message.walk() if p.get_content_type() == "application/pdf")
    stored = db.session.scalar(select(StatementFile).where(StatementFile.settlement_id == doc.id))
    assert attachment.get_payload(decode=True) == storage().read(stored.storage_key)
    assert attachment.get_filename() == f"ACME_{doc.number}.pdf"


def test_sending_without_a_contact_address_is_refused(db, make, world, client, storage_dir):
    buyout_shipments(make, world)
    doc = issued(db, world.acme, world.finance)
    client.login(world.finance.email)
    page = client.post(f"/settlements/{doc.id}/send", follow_redirects=True).get_data(as_text=True)
    assert "has no contact e-mail address" in page
    assert outbox(storage_dir) == []


def test_a_draft_cannot_be_sent(db, make, world, client, storage_dir):
    world.acme.contact_email = "ap@acme.example.cn"
    buyout_shipments(make, world)
    draft = compute_draft(world.acme.id, MARCH)
    client.login(world.finance.email)
    page = client.post(f"/settlements/{draft.id}/send", follow_redirects=True).get_data(as_text=True)
    assert "Only an issued document can be sent." in page
    assert outbox(storage_dir) == []


def test_issue_period_job_issues_renders_and_reports_per_client(db, make, world, client):
    buyout_shipments(make, world)
    discount_shipments(make, world)
    compute_draft(world.acme.id, MARCH)  # reviewed draft: issued as it is
    no_contract = make.client(code="NOCON", name="No contract Ltd")
    client.login(world.finance.email)
    response = client.post("/statements/issue-period", data={"period_start": "2025-03-01"})
    assert response.status_code == 302 and "/jobs/" in response.headers["Location"]
    job = db.session.scalar(select(Job).order_by(Job.id.desc()))
    assert job.status == "done" and job.done == job.total
    outcome = {row["code"]: row for row in job.result["clients"]}
    assert outcome["ACME"]["status"] == outcome["GLOBEX"]["status"] == "issued"
    assert outcome[no_contract.code]["status"] == "skipped"
    for code in ("ACME", "GLOBEX"):
        settlement = db.session.get(Settlement, outcome[code]["settlement_id"])
        assert settlement.status == "issued" and settlement.number == outcome[code]["number"]
        assert db.session.scalar(select(StatementFile).where(StatementFile.settlement_id == settlement.id))
    page = client.get(job.result["url"]).get_data(as_text=True)
    assert outcome["ACME"]["number"] in page and "No contract Ltd" in page
    # running it again issues nothing twice
    client.post("/statements/issue-period", data={"period_start": "2025-03-01"})
    again = db.session.scalar(select(Job).order_by(Job.id.desc()))
    assert {row["status"] for row in again.result["clients"] if row["code"] in ("ACME", "GLOBEX")} == {"already_issued"}


def test_issue_period_job_reports_a_failing_client_and_goes_on(db, make, world, client, bad_scheme):
    from tests.settlements.conftest import add_contract

    key = bad_scheme("raising")
    broken = make.client(code="BROKEN", name="Broken Ltd")
    add_contract(db.session, broken, key, {})
    discount_shipments(make, world)
    client.login(world.finance.email)
    client.post("/statements/issue-period", data={"period_start": "2025-03-01"})
    job = db.session.scalar(select(Job).order_by(Job.id.desc()))
    outcome = {row["code"]: row for row in job.result["clients"]}
    assert outcome["BROKEN"]["status"] == "failed" and "divides by zero" in outcome["BROKEN"]["reason"]
    assert outcome["GLOBEX"]["status"] == "issued"
    assert db.session.scalar(select(Settlement).where(Settlement.client_id == broken.id)) is None


def test_issue_period_form_rejects_bad_input(db, world, client):
    client.login(world.finance.email)
    page = client.get("/statements/issue-period")
    assert page.status_code == 200 and 'name="period_start"' in page.get_data(as_text=True)
    response = client.post("/statements/issue-period", data={"period_start": "2025-03-15"})
    assert response.status_code == 422 and "first day of a month" in response.get_data(as_text=True)
    response = client.post("/statements/issue-period", data={"period_start": "not a date"})
    assert response.status_code == 422 and 'value="not a date"' in response.get_data(as_text=True)
    assert db.session.scalar(select(Job)) is None


def test_run_page_is_finance_only(db, make, world, client):
    job = Job(name="statements.issue_period", status="done", result={"clients": []})
    db.session.add(job)
    db.session.flush()
    client.login(world.acme_user.email)
    assert client.get(f"/statements/runs/{job.id}").status_code == 403
    client.post("/logout")
    client.login(world.finance.email)
    assert client.get(f"/statements/runs/{job.id}").status_code == 200
