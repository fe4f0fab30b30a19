"""Downloads (pages and API), tenancy, byte-identical stored files, and the XLSX."""
import hashlib
import io
from decimal import Decimal

from flask_babel import force_locale, gettext
from openpyxl import load_workbook
from sqlalchemy import func, select

from portal.settlements.engine import compute_draft
from portal.statements.models import StatementFile

from .conftest import MARCH, buyout_shipments, discount_shipments, issued, pdf_text


def test_issued_pdf_downloads_are_byte_identical(db, make, world, client, tmp_path):
    buyout_shipments(make, world)
    doc = issued(db, world.acme, world.finance)
    client.login(world.acme_user.email)
    first = client.get(f"/settlements/{doc.id}/pdf")
    second = client.get(f"/settlements/{doc.id}/pdf")
    assert first.status_code == second.status_code == 200
    assert first.mimetype == "application/pdf"
    assert first.data == second.data
    digest = hashlib.sha256(first.data).hexdigest()
    assert first.headers["X-Content-SHA256"] == second.headers["X-Content-SHA256"] == digest
    row = db.session.scalar(select(StatementFile).where(StatementFile.settlement_id == doc.id))
    assert (row.sha256, row.size, row.kind, row.locale) == (digest, len(first.data), "pdf", "zh_Hans")
    assert doc.number in pdf_text(first.data, tmp_path)
    # finance downloads the very same bytes, whatever its own language
    client.post("/logout")
    client.login(world.finance.email)
    assert client.get(f"/settlements/{doc.id}/pdf").data == first.data


def test_clients_get_404_for_other_clients_and_for_drafts(db, make, world, client):
    buyout_shipments(make, world)
    discount_shipments(make, world)
    mine = issued(db, world.acme, world.finance)
    theirs = issued(db, world.globex, world.finance)
    draft = compute_draft(world.acme.id, MARCH.replace(month=4))
    client.login(world.acme_user.email)
    for kind in ("pdf", "xlsx"):
        assert client.get(f"/settlements/{mine.id}/{kind}").status_code == 200
        assert client.get(f"/settlements/{theirs.id}/{kind}").status_code == 404
        assert client.get(f"/settlements/{draft.id}/{kind}").status_code == 404
    assert client.post(f"/settlements/{mine.id}/send").status_code == 403
    assert client.get("/statements/issue-period").status_code == 403
    assert db.session.scalar(select(func.count()).select_from(StatementFile)
                             .where(StatementFile.settlement_id == theirs.id)) == 0


def test_staff_may_not_download(db, make, world, client):
    buyout_shipments(make, world)
    doc = issued(db, world.acme, world.finance)
    client.login(world.staff.email)
    assert client.get(f"/settlements/{doc.id}/pdf").status_code == 403


def test_finance_previews_a_draft_without_storing_it(db, make, world, client, tmp_path):
    buyout_shipments(make, world)
    draft = compute_draft(world.acme.id, MARCH)
    client.login(world.finance.email)
    response = client.get(f"/settlements/{draft.id}/pdf")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    with force_locale("zh_Hans"):
        assert gettext("DRAFT") in pdf_text(response.data, tmp_path)
    assert db.session.scalar(select(func.count()).select_from(StatementFile)) == 0


def test_detail_page_shows_the_buttons(db, make, world, client):
    buyout_shipments(make, world)
    doc = issued(db, world.acme, world.finance)
    client.login(world.finance.email)
    page = client.get(f"/settlements/{doc.id}").get_data(as_text=True)
    assert f"/settlements/{doc.id}/pdf" in page and f"/settlements/{doc.id}/xlsx" in page
    assert f"/settlements/{doc.id}/send" in page and "data-confirm" in page
    client.post("/logout")
    client.login(world.acme_user.email)
    page = client.get(f"/settlements/{doc.id}").get_data(as_text=True)
    assert f"/settlements/{doc.id}/pdf" in page and f"/settlements/{doc.id}/send" not in page


def test_xlsx_has_numbers_and_the_same_totals(db, make, world, client):
    buyout_shipments(make, world)
    doc = issued(db, world.acme, world.finance)
    client.login(world.acme_user.email)
    first = client.get(f"/settlements/{doc.id}/xlsx")
    assert first.status_code == 200 and first.data == client.get(f"/settlements/{doc.id}/xlsx").data
    sheet = load_workbook(io.BytesIO(first.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    total_row = rows[-2]
    assert isinstance(total_row[6], (int, float)) and Decimal(str(total_row[6])) == doc.total
    amounts = [Decimal(str(r[6])) for r in rows if isinstance(r[4], (int, float)) or isinstance(r[5], (int, float))]
    assert sum(amounts) == doc.total and len(amounts) == len(doc.lines)
    quantities = [r[2] for r in rows if isinstance(r[4], (int, float))]
    assert all(isinstance(q, int) for q in quantities)
    cell = next(c for c in sheet["G"] if c.value == total_row[6])
    assert "0.00" in cell.number_format
    with force_locale("zh_Hans"):
        assert any(r[0] == gettext("Total") for r in rows)  # the client's language


def test_api_downloads_and_tenancy(db, make, world, api):
    buyout_shipments(make, world)
    discount_shipments(make, world)
    mine = issued(db, world.acme, world.finance)
    theirs = issued(db, world.globex, world.finance)
    first = api.get(f"/api/v1/settlements/{mine.id}/pdf", world.acme_user)
    assert first.status_code == 200 and first.mimetype == "application/pdf"
    assert api.get(f"/api/v1/settlements/{mine.id}/pdf", world.acme_user).data == first.data
    assert api.get(f"/api/v1/settlements/{theirs.id}/pdf", world.acme_user).status_code == 404
    assert api.get(f"/api/v1/settlements/{theirs.id}/xlsx", world.acme_user).status_code == 404
    assert api.get(f"/api/v1/settlements/{mine.id}/xlsx", world.finance).status_code == 200
    assert api.get(f"/api/v1/settlements/{mine.id}/pdf", None).status_code == 401
