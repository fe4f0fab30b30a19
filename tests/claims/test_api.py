"""The claims API and the bulk upload (page and API): all or nothing, errors by row."""
from __future__ import annotations

import io
import re

from openpyxl import Workbook
from sqlalchemy import select

from portal.claims.models import Claim, PreAuthorisation

from .conftest import D, api_claim, as_, claim_data, csv_file


def test_submit_and_read(api, db, world):
    response = api.post("/api/v1/claims/", world.acme_user, json=api_claim())
    assert response.status_code == 201, response.json
    body = response.json
    assert (body["status"], body["claimed_amount"], body["adjusted_amount"]) == ("accepted", "420.00", "300.00")
    assert body["reasons"][1] == {"key": "capped_per_claim", "text": "Capped at the limit per claim"}
    assert api.get(f"/api/v1/claims/{body['id']}", world.acme_admin).json["ref"] == body["ref"]
    assert api.get(f"/api/v1/claims/{body['id']}", world.globex_user).status_code == 404
    assert api.get("/api/v1/claims/", world.globex_user).json == []
    assert [c["id"] for c in api.get("/api/v1/claims/?status=accepted", world.staff).json] == [body["id"]]


def test_bad_input_is_refused_by_field(api, db, world):
    response = api.post("/api/v1/claims/", world.acme_user, json=api_claim(claimed_parts="-1", station="GX-01"))
    assert response.status_code == 422
    errors = response.json["errors"]["json"]
    assert "cannot be negative" in errors["claimed_parts"][0] and "GX-01" in errors["station"][0]
    response = api.post("/api/v1/claims/", world.acme_user, json={"serial": "SN-A1"})
    assert response.status_code == 422 and "repair_date" in response.json["errors"]["json"]
    assert api.post("/api/v1/claims/", world.globex_user, json=api_claim(station="GX-01", currency="USD")).status_code == 409
    assert api.post("/api/v1/claims/", world.staff, json=api_claim()).status_code == 403
    assert db.session.query(Claim).count() == 0


def test_decision_and_answer(api, db, world):
    world.contract.terms = dict(world.contract.terms, review_threshold="100.00")
    db.session.flush()
    claim_id = api.post("/api/v1/claims/", world.acme_user, json=api_claim()).json["id"]
    assert api.post(f"/api/v1/claims/{claim_id}/decision", world.acme_user, json={"action": "accept"}).status_code == 403
    response = api.post(f"/api/v1/claims/{claim_id}/decision", world.staff, json={"action": "reject", "comment": "No photo"})
    assert response.json["status"] == "rejected" and response.json["reasons"][0]["key"] == "rejected_by_staff"
    assert api.post(f"/api/v1/claims/{claim_id}/answer", world.globex_user, json={"answer": "x"}).status_code == 404
    assert api.post(f"/api/v1/claims/{claim_id}/answer", world.acme_user, json={"answer": "Photo sent"}).json["status"] == "review"
    assert api.post(f"/api/v1/claims/{claim_id}/answer", world.acme_user, json={"answer": "again"}).status_code == 409
    response = api.post(f"/api/v1/claims/{claim_id}/decision", world.staff,
                        json={"action": "adjust", "amount": "199.99", "comment": "partial"})
    assert response.json["adjusted_amount"] == "199.99" and response.json["status"] == "accepted"


def test_preauthorisation_api(api, db, world):
    response = api.post("/api/v1/claims/preauthorisations", world.acme_user, json={
        "serial": "SN-A1", "station": "ST-01", "repair_level": "L3", "planned_repair": "panel", "estimated_amount": "x"})
    assert response.status_code == 422 and "estimated_amount" in response.json["errors"]["json"]
    created = api.post("/api/v1/claims/preauthorisations", world.acme_user, json={
        "serial": "SN-A1", "station": "ST-01", "repair_level": "L3", "planned_repair": "panel", "estimated_amount": "900"})
    assert created.status_code == 201
    pid = created.json["id"]
    assert api.get(f"/api/v1/claims/preauthorisations/{pid}", world.globex_user).status_code == 404
    assert api.post(f"/api/v1/claims/preauthorisations/{pid}/decision", world.acme_user, json={"action": "approve"}).status_code == 403
    assert api.post(f"/api/v1/claims/preauthorisations/{pid}/decision", world.staff,
                    json={"action": "approve"}).json["status"] == "approved"
    assert db.session.get(PreAuthorisation, pid).status == "approved"


def upload_page(client, stream, name="claims.csv"):
    """Post a file on the upload page: sent to its job's page (eager backend: already done)."""
    response = client.post("/claims/import", data={"file": (stream, name)}, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.headers["Location"].startswith("/jobs/")
    return response.headers["Location"], client.get(response.headers["Location"]).get_data(as_text=True)


def test_upload_csv_all_or_nothing(client, db, world):
    as_(client, world.acme_user)
    good = claim_data()
    rows = [good, dict(good, serial="SN-A2", repair_date="2099-01-01"), dict(good, serial="SN-A3", station="GX-01"),
            dict(good, serial="SN-A4", parts="NOPE:1", claimed_labour="-3", currency="EUR")]
    _url, page = upload_page(client, csv_file(rows))
    assert "Upload claims" in page and "3 rows have errors; nothing was imported." in page
    assert "Nothing was imported." in page
    assert re.search(r">3</td>\s*<td><code>repair_date</code></td>\s*<td>The repair date cannot be in the future.</td>", page)
    assert re.search(r">5</td>\s*<td><code>\w+</code></td>", page)
    assert "There is no part NOPE." in page and "not EUR" in page
    assert db.session.query(Claim).count() == 0
    _url, page = upload_page(client, csv_file([good, dict(good, serial="SN-A2", fault_cause="lightning")]))
    assert "2 claims imported: 1 accepted, 1 rejected, 0 in review." in page and 'href="/claims/"' in page
    assert db.session.query(Claim).count() == 2


def test_upload_page_rejects_a_bad_file_at_once(client, db, world):
    from portal.jobs import Job

    as_(client, world.acme_user)
    for data, name, expected in [(b"x", "c.pdf", "Only .csv and .xlsx files can be imported."),
                                 (b"serial,foo\nSN-A1,1\n", "c.csv", "Missing columns: repair_date"),
                                 (b"serial\n\xff\xfe\n", "c.csv", "not UTF-8"),
                                 (b"not a zip", "c.xlsx", "not a valid XLSX"),
                                 (csv_file([]).getvalue(), "c.csv", "The file has no data rows.")]:
        response = client.post("/claims/import", data={"file": (io.BytesIO(data), name)},
                               content_type="multipart/form-data")
        assert response.status_code == 422 and expected in response.get_data(as_text=True), name
    assert db.session.query(Job).count() == 0 and db.session.query(Claim).count() == 0


def test_upload_malformed_files(api, db, world):
    def upload(data: bytes, name: str):
        return api.client.post("/api/v1/claims/import", headers=api._headers(world.acme_user),
                               data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")

    assert "Missing columns" in upload(b"serial,foo\nSN-A1,1\n", "c.csv").json["errors"]["file"][0]
    assert "not UTF-8" in upload(b"serial\n\xff\xfe\n", "c.csv").json["errors"]["file"][0]
    assert "not a valid XLSX" in upload(b"not a zip", "c.xlsx").json["errors"]["file"][0]
    assert "no data rows" in upload(csv_file([]).getvalue(), "c.csv").json["errors"]["file"][0]
    bad_quote = csv_file([claim_data()]).getvalue() + b'SN-A2,"2025-03-10,ST-01\n'
    assert upload(bad_quote, "c.csv").status_code == 422
    assert db.session.query(Claim).count() == 0


def test_upload_xlsx_by_api(api, db, world):
    from portal.claims.importer import COLUMNS

    wb = Workbook()
    sheet = wb.active
    sheet.append(list(COLUMNS))
    row = claim_data()
    sheet.append([row.get(c, "") for c in COLUMNS])
    data = io.BytesIO()
    wb.save(data)
    response = api.client.post("/api/v1/claims/import", headers=api._headers(world.acme_user),
                               data={"file": (io.BytesIO(data.getvalue()), "c.xlsx")}, content_type="multipart/form-data")
    assert response.status_code == 201 and response.json == {"claims": 1, "accepted": 1, "rejected": 0, "review": 0}
    claim = db.session.scalars(select(Claim)).one()
    assert claim.adjusted_amount == D("300.00") and claim.parts[0].part.number == "MB-55A"


def test_import_pages_are_for_clients(client, world):
    as_(client, world.staff)
    assert client.get("/claims/import").status_code == 403
    as_(client, world.acme_user)
    assert client.get("/claims/import/template.xlsx").status_code == 200


def test_preauthorisation_list_is_the_clients_own(api, db, world):
    api.post("/api/v1/claims/preauthorisations", world.acme_user, json={
        "serial": "SN-A1", "station": "ST-01", "repair_level": "L3", "planned_repair": "panel", "estimated_amount": "900"})
    assert len(api.get("/api/v1/claims/preauthorisations", world.acme_admin).json) == 1
    assert api.get("/api/v1/claims/preauthorisations", world.globex_user).json == []
    assert len(api.get("/api/v1/claims/preauthorisations", world.staff).json) == 1
    assert api.get("/api/v1/claims/", None).status_code == 401
