"""RMA pages: list, new request (typed and uploaded serials), detail with actions, diagnosis,
documents, queues, price lists, and tenancy on every one of them."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from portal.rma.models import Rma, RmaPriceList
from portal.rma.workflow import apply

from .conftest import D, file_rma, sign_in


def _new(client, **form):
    data = dict(kind="unit", destination="unit_repair", serials="", fault_description="No picture", suspected_cause="")
    data.update(form)
    return client.post("/rma/new", data=data, content_type="multipart/form-data")


def rma_count(db):
    return db.session.scalar(select(func.count(Rma.id)))


def test_a_client_files_an_rma_with_typed_and_uploaded_serials(client, db, world):
    sign_in(client, world.acme_user)
    upload = (io.BytesIO(b"serial\nA-2\nA-3\n"), "units.csv")
    response = _new(client, serials="A-1", file=upload)
    assert response.status_code == 302
    rma = db.session.scalars(select(Rma).order_by(Rma.id.desc())).first()
    assert [line.serial for line in rma.lines] == ["A-1", "A-2", "A-3"] and rma.client_id == world.acme.id
    page = client.get(f"/rma/{rma.id}").get_data(as_text=True)
    assert rma.number in page and "A-3" in page and "In warranty" in page and 'id="timeline"' in page


def test_bad_input_keeps_what_was_typed_and_writes_nothing(client, db, world):
    sign_in(client, world.acme_user)
    before = rma_count(db)
    response = _new(client, serials="A-1 O-1 A-1", fault_description="Dead")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "typed entry 2: unknown serial number O-1." in page
    assert "typed entry 3: A-1 is already on this RMA (typed entry 1)." in page
    assert "A-1 O-1 A-1" in page and "Dead" in page
    assert rma_count(db) == before


@pytest.mark.parametrize("content,name,message", [
    (b"PK\x03\x04broken", "units.xlsx", "not a valid XLSX"),
    (b"serial\n\xff\xfe\n", "units.csv", "not UTF-8"),
    (b"hello", "units.txt", "Upload a CSV or XLSX file"),
])
def test_malformed_uploads_are_refused(client, db, world, content, name, message):
    sign_in(client, world.acme_user)
    before = rma_count(db)
    response = _new(client, file=(io.BytesIO(content), name))
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert rma_count(db) == before


def test_an_upload_row_is_named_in_the_error(client, db, world):
    sign_in(client, world.acme_user)
    response = _new(client, file=(io.BytesIO(b"serial\nA-1\nGHOST\n"), "units.csv"))
    assert "file row 3: unknown serial number GHOST." in response.get_data(as_text=True)


def test_staff_moves_an_rma_through_the_pages(client, db, world):
    rma = file_rma(world)
    db.session.commit()
    sign_in(client, world.staff)
    assert client.post(f"/rma/{rma.id}/act/approve", data={"note": "ok"}).status_code == 302
    refused = client.post(f"/rma/{rma.id}/act/close", data={})
    assert refused.status_code == 422 and "cannot be moved" in refused.get_data(as_text=True)
    sign_in(client, world.acme_user)
    missing = client.post(f"/rma/{rma.id}/act/ship", data={"carrier": "SF"})
    assert missing.status_code == 422 and "Give the tracking number." in missing.get_data(as_text=True)
    assert client.post(f"/rma/{rma.id}/act/ship", data={"carrier": "SF", "tracking": "SF1"}).status_code == 302
    sign_in(client, world.staff)
    assert client.post(f"/rma/{rma.id}/act/receive", data={"serials": "A-1\nA-2"}).status_code == 302
    page = client.get(f"/rma/{rma.id}").get_data(as_text=True)
    assert "diagnose-form" in page
    line = db.session.get(Rma, rma.id).lines[0]
    bad = client.post(f"/rma/{rma.id}/lines/{line.id}/diagnosis",
                      data={f"l{line.id}-fault_cause": "normal_failure", f"l{line.id}-outcome": "repair",
                            f"l{line.id}-repair_level": "L1", f"l{line.id}-parts": "NOPE 1"})
    assert bad.status_code == 422 and "Unknown part number NOPE." in bad.get_data(as_text=True)
    ok = client.post(f"/rma/{rma.id}/lines/{line.id}/diagnosis",
                     data={f"l{line.id}-fault_cause": "normal_failure", f"l{line.id}-outcome": "repair",
                           f"l{line.id}-repair_level": "L1", f"l{line.id}-parts": "MB-100 1"})
    assert ok.status_code == 302
    report = client.get(f"/rma/{rma.id}/lines/{line.id}/report")
    assert report.status_code == 200 and "MB-100" in report.get_data(as_text=True)


def test_documents_are_pdfs_with_a_barcode(client, db, world):
    rma = file_rma(world)
    apply(rma, "approve", world.staff)
    apply(rma, "ship", world.acme_user, carrier="SF", tracking="1")
    apply(rma, "receive", world.staff, serials=["A-1", "A-2"])
    from portal.rma.workflow import Diagnosis, diagnose_line

    diagnose_line(rma.lines[0], Diagnosis("no_fault_found", None, "repair", []), world.staff)
    db.session.commit()
    sign_in(client, world.acme_user)
    pdf = client.get(f"/rma/{rma.id}/packing-list.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    from pypdf import PdfReader

    text = PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    assert rma.number in text and "A-2" in text
    report = client.get(f"/rma/{rma.id}/lines/{rma.lines[0].id}/report.pdf")
    assert report.data.startswith(b"%PDF")
    assert client.get(f"/rma/{rma.id}/lines/{rma.lines[1].id}/report.pdf").status_code == 404  # not diagnosed


def test_the_barcode_is_code_128_svg():
    from portal.rma.documents import barcode_svg

    svg = barcode_svg("RMA-000042")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg and "RMA-000042" in svg


def test_tenancy_of_every_page(client, db, world):
    rma = file_rma(world)
    apply(rma, "approve", world.staff)
    db.session.commit()
    sign_in(client, world.other_user)
    for path in (f"/rma/{rma.id}", f"/rma/{rma.id}/packing-list.pdf", f"/rma/{rma.id}/lines/{rma.lines[0].id}/report",
                 f"/rma/{rma.id}/lines/{rma.lines[0].id}/report.pdf"):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/rma/{rma.id}/act/ship", data={"carrier": "x", "tracking": "y"}).status_code == 404
    assert rma.number not in client.get("/rma/").get_data(as_text=True)
    for path in ("/rma/queue?group=unit_repair", "/rma/prices"):
        assert client.get(path).status_code == 403
    sign_in(client, world.acme_user)
    assert rma.number in client.get("/rma/").get_data(as_text=True)


def test_lists_and_queues_load_without_n_plus_1(client, db, world, count_queries):
    for _ in range(5):
        file_rma(world, serials=["A-1"])
    db.session.commit()
    sign_in(client, world.staff)
    with count_queries() as small:
        assert client.get("/rma/").status_code == 200
    for _ in range(10):
        file_rma(world, serials=["A-2"])
    db.session.commit()
    with count_queries() as large:
        page = client.get("/rma/").get_data(as_text=True)
    assert large[0] == small[0] and "Turnaround" in page
    queue = client.get("/rma/queue?group=unit_repair").get_data(as_text=True)
    assert "RMA-" in queue and "Waiting for" in queue


def test_paged_lists_keep_their_filters(client, db, world, app, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    for _ in range(3):
        file_rma(world, serials=["A-1"])
    db.session.commit()
    sign_in(client, world.staff)
    queue = client.get("/rma/queue?group=unit_repair").get_data(as_text=True)
    assert "group=unit_repair&amp;page=2" in queue
    listed = client.get("/rma/?status=requested").get_data(as_text=True)
    assert "status=requested&amp;page=2" in listed
    assert client.get("/rma/queue?group=nowhere").status_code == 404


def test_only_an_admin_edits_price_lists(client, db, world):
    sign_in(client, world.staff)
    assert client.get("/rma/prices").status_code == 200
    form = dict(currency="eur", labour_l1="5", labour_l2="9", labour_l3="15", cny_rate="0.13", parts_markup="5")
    assert client.post("/rma/prices", data=form).status_code == 403
    sign_in(client, world.admin)
    bad = client.post("/rma/prices", data=dict(form, labour_l1="-1"))
    assert bad.status_code == 422
    assert client.post("/rma/prices", data=form).status_code == 302
    saved = db.session.scalar(select(RmaPriceList).where(RmaPriceList.currency == "EUR"))
    assert saved.labour_l2 == D("9.00")
