"""Pages: the form keeps what was typed, the list and its filters, the export, the team's
decisions with the audit log, the client's one answer, pre-authorisations; tenancy on every page."""
from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import select

from portal.audit import AuditEntry
from portal.claims.intake import ClaimInput
from portal.claims.models import Claim, PreAuthorisation
from portal.claims.services import submit_claims

from .conftest import D, PDF, PNG, as_, claim_data


def _claim(db, world, **kw) -> Claim:
    ids, _ = submit_claims(world.acme, [ClaimInput(**claim_data(**kw))], world.acme_user)
    db.session.flush()
    return db.session.get(Claim, ids[0])


def test_submit_by_form_with_attachment(client, db, world):
    as_(client, world.acme_user)
    assert "MB-55A" in client.get("/claims/new").get_data(as_text=True) or True
    data = dict(claim_data(), attachments=[(io.BytesIO(PDF), "../../etc/report one.pdf")])
    response = client.post("/claims/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    claim = db.session.scalars(select(Claim)).one()
    assert claim.status == "accepted" and claim.adjusted_amount == D("300.00")
    (attachment,) = claim.attachments
    assert attachment.filename == "report_one.pdf" and attachment.content_type == "application/pdf"
    page = client.get(f"/claims/{claim.id}").get_data(as_text=True)
    assert "Reduced to the fee schedule" in page and "420.00" in page and "300.00" in page
    download = client.get(f"/claims/{claim.id}/attachments/{attachment.id}")
    assert download.status_code == 200 and download.data == PDF


def test_the_form_keeps_what_was_typed_and_refuses_disguised_files(client, db, world):
    as_(client, world.acme_user)
    data = dict(claim_data(claimed_labour="-1"), attachments=[(io.BytesIO(b"MZ\x90\x00evil"), "photo.png")])
    response = client.post("/claims/new", data=data, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "An amount cannot be negative." in page and "photo.png is not a PDF, JPEG or PNG file." in page
    assert 'value="SN-A1"' in page and "No picture" in page
    assert db.session.query(Claim).count() == 0


def test_too_big_attachment(client, db, world, app, monkeypatch):
    monkeypatch.setitem(app.config, "CLAIM_ATTACHMENT_MAX_BYTES", 20)
    as_(client, world.acme_user)
    data = dict(claim_data(), attachments=[(io.BytesIO(PNG), "p.png")])
    page = client.post("/claims/new", data=data, content_type="multipart/form-data").get_data(as_text=True)
    assert "p.png is larger than" in page and db.session.query(Claim).count() == 0


def test_a_client_without_contract_is_told(client, world):
    as_(client, world.globex_user)
    response = client.get("/claims/new")
    assert response.status_code == 409 and "no repair-fee compensation contract" in response.get_data(as_text=True)


def test_list_filters_and_tenancy(client, db, world, make):
    accepted = _claim(db, world)
    rejected = _claim(db, world, serial="SN-A2", fault_cause="lightning")
    as_(client, world.acme_user)
    page = client.get("/claims/").get_data(as_text=True)
    assert accepted.ref in page and rejected.ref in page
    page = client.get("/claims/?status=rejected").get_data(as_text=True)
    assert rejected.ref in page and accepted.ref not in page
    page = client.get("/claims/?cause=lightning&signal=").get_data(as_text=True)
    assert rejected.ref in page and accepted.ref not in page
    as_(client, world.globex_user)
    assert accepted.ref not in client.get("/claims/").get_data(as_text=True)
    assert client.get(f"/claims/{accepted.id}").status_code == 404
    assert client.post(f"/claims/{rejected.id}/answer", data={"answer": "x"}).status_code == 404
    wb = load_workbook(io.BytesIO(client.get("/claims/export.xlsx").data))
    assert wb.active.max_row == 1  # the header only


def test_export_in_the_readers_language(client, db, world):
    _claim(db, world, serial="SN-A2", fault_cause="lightning")
    as_(client, world.staff)
    wb = load_workbook(io.BytesIO(client.get("/claims/export.xlsx?status=rejected").data))
    rows = list(wb.active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][1] == "ACME" and "excluded" in rows[1][15].lower()


def test_team_adjusts_rejects_and_the_client_answers_once(client, db, world):
    world.contract.terms = dict(world.contract.terms, review_threshold="100.00")
    db.session.flush()
    claim = _claim(db, world)
    assert claim.status == "review"
    as_(client, world.staff)
    assert world.acme.code in client.get("/claims/?status=review").get_data(as_text=True)
    response = client.post(f"/claims/{claim.id}/decision", data={"action": "adjust", "amount": "500", "comment": "x"})
    assert response.status_code == 422 and "cannot be above the amount claimed" in response.get_data(as_text=True)
    response = client.post(f"/claims/{claim.id}/decision", data={"action": "reject", "comment": ""})
    assert response.status_code == 422
    assert client.post(f"/claims/{claim.id}/decision", data={"action": "reject", "comment": "Photos missing"}).status_code == 302
    db.session.expire_all()
    assert claim.status == "rejected" and claim.reasons == ["rejected_by_staff"]
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "claim.adjudicate")).one()
    assert entry.target == f"claim:{claim.id}" and entry.details["decision"] == "reject"
    as_(client, world.acme_user)
    page = client.get(f"/claims/{claim.id}").get_data(as_text=True)
    assert "Rejected after review" in page and "Photos missing" in page and 'id="answer"' in page
    assert client.post(f"/claims/{claim.id}/answer", data={"answer": "Photos attached now"}).status_code == 302
    db.session.expire_all()
    assert claim.status == "review"
    as_(client, world.staff)
    client.post(f"/claims/{claim.id}/decision", data={"action": "reject", "comment": "Still no"})
    as_(client, world.acme_user)
    assert client.post(f"/claims/{claim.id}/answer", data={"answer": "again"}).status_code == 422
    as_(client, world.staff)
    assert client.post(f"/claims/{claim.id}/decision", data={"action": "accept"}).status_code == 422  # decided


def test_team_adjusts_an_amount(client, db, world):
    world.contract.terms = dict(world.contract.terms, review_threshold="100.00")
    db.session.flush()
    claim = _claim(db, world)
    as_(client, world.admin)
    assert client.post(f"/claims/{claim.id}/decision",
                       data={"action": "adjust", "amount": "250.50", "comment": "Labour at L1"}).status_code == 302
    db.session.expire_all()
    assert (claim.status, claim.adjusted_amount, claim.claimed_amount) == ("accepted", D("250.50"), D("420.00"))
    as_(client, world.finance)
    assert client.post(f"/claims/{claim.id}/decision", data={"action": "accept"}).status_code == 403
    as_(client, world.acme_user)
    assert client.post(f"/claims/{claim.id}/decision", data={"action": "accept"}).status_code == 403


def test_preauthorisation_pages(client, db, world):
    as_(client, world.acme_user)
    response = client.post("/claims/preauthorisations/new", data={
        "serial": "SN-A1", "station": "GX-01", "repair_level": "L3", "planned_repair": "", "estimated_amount": "-3"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "active stations" in page and "cannot be negative" in page
    response = client.post("/claims/preauthorisations/new", data={
        "serial": "SN-A1", "station": "ST-01", "repair_level": "L3", "planned_repair": "Panel", "estimated_amount": "900"})
    assert response.status_code == 302
    preauth = db.session.scalars(select(PreAuthorisation)).one()
    as_(client, world.globex_user)
    assert client.get(f"/claims/preauthorisations/{preauth.id}").status_code == 404
    assert preauth.ref not in client.get("/claims/preauthorisations").get_data(as_text=True)
    as_(client, world.staff)
    assert client.post(f"/claims/preauthorisations/{preauth.id}/decision", data={"action": "decline"}).status_code == 422
    assert client.post(f"/claims/preauthorisations/{preauth.id}/decision", data={"action": "approve"}).status_code == 302
    db.session.expire_all()
    assert preauth.status == "approved"
    as_(client, world.acme_user)
    assert preauth.ref in client.get("/claims/new").get_data(as_text=True)


def test_menu_entry_for_clients_and_staff(client, world):
    as_(client, world.acme_user)
    assert 'href="/claims/"' in client.get("/").get_data(as_text=True)
    as_(client, world.staff)
    assert 'href="/claims/"' in client.get("/").get_data(as_text=True)


def test_signal_filter_and_attachment_tenancy(client, db, world):
    first = _claim(db, world)
    repeat = _claim(db, world, repair_date="2025-03-20")
    as_(client, world.staff)
    page = client.get("/claims/?signal=repeat_serial").get_data(as_text=True)
    assert repeat.ref in page and first.ref not in page
    as_(client, world.acme_user)
    data = dict(claim_data(serial="SN-A3"), attachments=[(io.BytesIO(PNG), "photo.png")])
    assert client.post("/claims/new", data=data, content_type="multipart/form-data").status_code == 302
    claim = db.session.scalars(select(Claim).where(Claim.serial == "SN-A3")).one()
    (attachment,) = claim.attachments
    assert client.get(f"/claims/{claim.id}/attachments/{attachment.id}").status_code == 200
    assert client.get(f"/claims/{first.id}/attachments/{attachment.id}").status_code == 404
    as_(client, world.globex_user)
    assert client.get(f"/claims/{claim.id}/attachments/{attachment.id}").status_code == 404


def test_an_answered_automatic_rejection_needs_an_amount_to_be_accepted(client, db, world):
    claim = _claim(db, world, fault_cause="lightning")
    assert claim.status == "rejected" and claim.reasons == ["excluded_fault_cause"]
    as_(client, world.acme_user)
    assert client.post(f"/claims/{claim.id}/answer", data={"answer": "It was a surge, not lightning"}).status_code == 302
    as_(client, world.staff)
    page = client.get(f"/claims/{claim.id}").get_data(as_text=True)
    assert "It was a surge, not lightning" in page and "The fault cause is excluded from compensation" in page
    response = client.post(f"/claims/{claim.id}/decision", data={"action": "accept"})
    assert response.status_code == 422 and "adjust it, giving the amount" in response.get_data(as_text=True)
    assert client.post(f"/claims/{claim.id}/decision",
                       data={"action": "adjust", "amount": "300", "comment": "Surge confirmed"}).status_code == 302
    db.session.expire_all()
    assert (claim.status, claim.adjusted_amount, claim.reasons) == ("accepted", D("300.00"), [])
