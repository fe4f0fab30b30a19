"""The shipment pages: list, detail, serials, new-shipment form, import; roles and tenancy."""
from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from portal.shipments.importer import COLUMNS
from portal.shipments.models import Serial, Shipment, ShipmentLine

from tests.factories import PASSWORD

from .conftest import csv_bytes, row, xlsx_bytes


def counts(db):
    return tuple(db.session.scalar(select(func.count()).select_from(m)) for m in (Shipment, ShipmentLine, Serial))


@pytest.fixture
def two_shipments(make, world):
    mine = make.shipment(client=world.acme, number="ACME-001", ship_date=date(2025, 3, 1), lines=[
        dict(model=world.tv55, batch=world.b55, quantity=2, unit_price=Decimal("1850.00"), serials=["AS1", "AS2"]),
        dict(model=world.tv43, quantity=-1, unit_price=Decimal("1199.90")),
    ])
    theirs = make.shipment(client=world.globex, number="GLOBEX-001", ship_date=date(2025, 4, 1), lines=[
        dict(model=world.tv43, quantity=3, unit_price=Decimal("249.99"), serials=["GS1", "GS2", "GS3"])])
    return mine, theirs


def text(response) -> str:
    return response.get_data(as_text=True)


# --- list and detail ------------------------------------------------------------------------

def test_staff_list_shows_every_client_with_totals(client, make, two_shipments):
    client.login(make.user(role="finance").email)
    page = text(client.get("/shipments/"))
    assert "ACME-001" in page and "GLOBEX-001" in page
    assert "CN¥2,500.10" in page  # 2 × 1,850.00 − 1 × 1,199.90
    assert "$749.97" in page
    assert 'name="client"' in page


def test_list_filters(client, make, world, two_shipments):
    client.login(make.user(role="staff").email)
    assert "GLOBEX-001" not in text(client.get(f"/shipments/?client={world.acme.id}"))
    page = text(client.get(f"/shipments/?model={world.tv55.id}"))
    assert "ACME-001" in page and "GLOBEX-001" not in page
    page = text(client.get("/shipments/?date_from=2025-03-15&date_to=2025-12-31"))
    assert "GLOBEX-001" in page and "ACME-001" not in page
    page = text(client.get("/shipments/?q=globex"))
    assert "GLOBEX-001" in page and "ACME-001" not in page
    page = text(client.get("/shipments/?date_from=not-a-date"))
    assert "is-invalid" in page and "ACME-001" in page


def test_list_is_paginated(client, app, make, world):
    app.config["PAGE_SIZE"] = 3
    try:
        for i in range(7):
            make.shipment(client=world.acme, number=f"P-{i}", lines=[dict(model=world.tv55, quantity=1, unit_price=Decimal(1))])
        client.login(make.user(role="staff").email)
        first, third = text(client.get("/shipments/")), text(client.get("/shipments/?page=3"))
        assert first.count("/shipments/") and "P-6" in first and "P-0" not in first
        assert "P-0" in third and "7 in all" in third
    finally:
        app.config["PAGE_SIZE"] = 50


def test_list_makes_a_fixed_number_of_queries(client, app, make, world):
    """No N+1: the page costs the same number of queries for 2 or 12 shipments."""
    from sqlalchemy import event

    from portal.extensions import db as _db

    client.login(make.user(role="staff").email)

    def queries_for_list():
        seen = []
        engine = _db.engine

        def count(*_args):
            seen.append(1)

        event.listen(engine, "before_cursor_execute", count)
        try:
            assert client.get("/shipments/").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(seen)

    for i in range(2):
        make.shipment(client=world.acme, number=f"Q-{i}", lines=[dict(model=world.tv55, quantity=1, unit_price=Decimal(1))])
    few = queries_for_list()
    for i in range(2, 12):
        make.shipment(client=make.client(), number=f"Q-{i}",
                      lines=[dict(model=world.tv55, quantity=1, unit_price=Decimal(1)),
                             dict(model=world.tv43, quantity=2, unit_price=Decimal(2))])
    assert queries_for_list() == few


def test_detail_shows_lines_and_serial_counts(client, make, two_shipments):
    mine, _theirs = two_shipments
    client.login(make.user(role="staff").email)
    page = text(client.get(f"/shipments/{mine.id}"))
    for expected in ("ACME-001", "KTV-55A", "B55-1", "CN¥1,850.00", "CN¥3,700.00", "-CN¥1,199.90", "2 serials", "returned"):
        assert expected in page


def test_serials_of_a_line_page_by_page(client, app, make, world):
    serials = [f"N{i:04d}" for i in range(450)]
    shipment = make.shipment(client=world.acme, lines=[dict(model=world.tv55, quantity=450, unit_price=Decimal(1),
                                                             serials=serials)])
    line_id = shipment.lines[0].id
    client.login(make.user(role="staff").email)
    url = f"/shipments/{shipment.id}/lines/{line_id}/serials"
    fragment = text(client.get(url, headers={"HX-Request": "true"}))
    assert "<html" not in fragment and "N0000" in fragment and "N0199" in fragment and "N0200" not in fragment
    assert "Page 1 of 3" in fragment
    whole = text(client.get(url + "?page=3"))
    assert "<html" in whole and "N0449" in whole and "N0399" not in whole
    assert client.get(f"/shipments/{shipment.id + 999}/lines/{line_id}/serials").status_code == 404


# --- tenancy and roles ------------------------------------------------------------------------

def test_client_user_sees_only_its_own_shipments(client, make, world, two_shipments):
    mine, theirs = two_shipments
    client.login(make.user(role="client_user", client=world.acme).email)
    page = text(client.get("/shipments/"))
    assert "ACME-001" in page and "GLOBEX-001" not in page
    assert 'name="client"' not in page
    assert "New shipment" not in page
    assert "GLOBEX-001" not in text(client.get(f"/shipments/?client={world.globex.id}"))
    assert client.get(f"/shipments/{mine.id}").status_code == 200
    assert client.get(f"/shipments/{theirs.id}").status_code == 404
    their_line = theirs.lines[0].id
    assert client.get(f"/shipments/{theirs.id}/lines/{their_line}/serials").status_code == 404
    assert client.get(f"/shipments/{mine.id}/lines/{their_line}/serials").status_code == 404


@pytest.mark.parametrize("role", ["client_admin", "client_user", "quality", "finance"])
def test_only_staff_and_admin_create_or_import(client, make, world, role):
    client.login(make.user(role=role, client=world.acme if role.startswith("client") else None).email)
    for url in ("/shipments/new", "/shipments/import", "/shipments/import/template.csv"):
        assert client.get(url).status_code == 403
    assert client.post("/shipments/import", data={"file": (csv_bytes([row()]), "a.csv")}).status_code == 403
    assert client.post("/shipments/new", data={"number": "X"}).status_code == 403


def test_pages_need_signing_in(client, two_shipments):
    mine, _ = two_shipments
    for url in ("/shipments/", f"/shipments/{mine.id}", "/shipments/new", "/shipments/import"):
        assert client.get(url).status_code == 302


# --- the new-shipment form ----------------------------------------------------------------------

def form_data(**lines):
    data = {"client_code": "ACME", "number": "NEW-1", "ship_date": "2025-05-02"}
    for index, fields in lines.items():
        for name, value in fields.items():
            data[f"lines-{index[1:]}-{name}"] = value
    return data


def test_new_shipment_form(client, db, make, world):
    client.login(make.user(role="staff").email)
    page = text(client.get("/shipments/new"))
    assert page.count('name="lines-4-serials"') == 1 and "KTV-43B" in page
    response = client.post("/shipments/new", data=form_data(
        l0={"model_code": "KTV-55A", "batch_code": "B55-1", "quantity": "3", "unit_price": "1850", "serials": "F1\nF2, F3"},
        l2={"model_code": "KTV-43B", "quantity": "-1", "unit_price": "1199.90", "currency": "cny"},
    ))
    assert response.status_code == 302
    shipment = db.session.scalar(select(Shipment).where(Shipment.number == "NEW-1"))
    assert response.headers["Location"].endswith(f"/shipments/{shipment.id}")
    assert [(l.model.code, l.quantity, l.unit_price, l.currency) for l in shipment.lines] == [
        ("KTV-55A", 3, Decimal("1850.00"), "CNY"), ("KTV-43B", -1, Decimal("1199.90"), "CNY")]
    assert counts(db) == (1, 2, 3)
    assert "Shipment NEW-1 has been created." in text(client.get(response.headers["Location"]))


def test_new_shipment_form_keeps_what_was_typed_and_marks_each_field(client, db, make, world):
    make.shipment(client=world.globex, number="OLD", lines=[dict(model=world.tv55, quantity=1, unit_price=Decimal(1),
                                                                  serials=["TAKEN"])])
    client.login(make.user(role="admin").email)
    data = form_data(
        l0={"model_code": "KTV-55A", "batch_code": "B43-1", "quantity": "2", "unit_price": "12.345", "serials": "X1 TAKEN"},
        l1={"model_code": "KTV-43B", "quantity": "two", "unit_price": "-3", "currency": "USD"},
        l3={"model_code": "", "quantity": "1", "unit_price": "1", "serials": "X1"},
    )
    data.update(number="OLD", ship_date="2025-02-31")
    response = client.post("/shipments/new", data=data)
    assert response.status_code == 422
    page = text(response)
    for message in (
        "Please correct the marked fields.",
        "Shipment OLD already exists.",
        "Ship date &#39;2025-02-31&#39; is not a valid date in the form yyyy-mm-dd.",
        "Batch B43-1 belongs to model KTV-43B, not KTV-55A.",
        "Unit price 12.345 has more decimals than CNY allows (2).",
        "Serial &#39;TAKEN&#39; is already recorded (shipment OLD).",
        "Quantity &#39;two&#39; is not a whole number.",
        "The unit price must not be negative.",
        "Currency USD differs from the client&#39;s CNY.",
        "The model code is missing.",
        "Serial &#39;X1&#39; appears twice in this shipment (first on line 1).",
    ):
        assert message in page, message
    assert page.count("is-invalid") == 10
    # what was typed is still there
    assert 'value="2025-02-31"' in page and 'value="12.345"' in page and "X1 TAKEN</textarea>" in page
    assert re.search(r'<option selected value="KTV-43B">|<option value="KTV-43B" selected>', page)
    assert counts(db) == (1, 1, 1)


def test_new_shipment_form_needs_a_line(client, db, make, world):
    client.login(make.user(role="staff").email)
    page = text(client.post("/shipments/new", data=form_data()))
    assert "Enter at least one line." in page
    assert counts(db) == (0, 0, 0)


def test_add_line_button_adds_a_row_and_keeps_the_rest(client, db, make, world):
    client.login(make.user(role="staff").email)
    data = form_data(l0={"model_code": "KTV-55A", "quantity": "7"})
    data["add_line"] = "Add a line"
    page = text(client.post("/shipments/new", data=data))
    assert 'name="lines-5-model_code"' in page and 'value="7"' in page and "is-invalid" not in page
    assert counts(db) == (0, 0, 0)


def test_the_form_requires_the_csrf_token(app, db, make, world):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        browser = app.test_client()
        user = make.user(role="staff")
        login = {"email": user.email, "password": PASSWORD, "csrf_token": browser.csrf_token("/login")}
        assert browser.post("/login", data=login).status_code == 302
        response = browser.post("/shipments/new", data=form_data(l0={"model_code": "KTV-55A", "quantity": "1",
                                                                       "unit_price": "1"}))
        assert response.status_code == 400
        assert counts(db) == (0, 0, 0)
        token = browser.csrf_token("/shipments/new")
        data = form_data(l0={"model_code": "KTV-55A", "quantity": "1", "unit_price": "1"})
        assert browser.post("/shipments/new", data=dict(data, csrf_token=token)).status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


# --- the import page: checked at once, imported by a background job ----------------------------

def post_import(client, stream, name="s.csv"):
    """Post a file; a good one is sent to its job's page (eager backend: already done)."""
    response = client.post("/shipments/import", data={"file": (stream, name)})
    assert response.status_code == 302, text(response)
    match = re.fullmatch(r"/jobs/(\d+)", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match[1]), text(client.get(response.headers["Location"]))


def test_import_page_csv(client, db, make, world):
    client.login(make.user(role="staff").email)
    assert client.get("/shipments/import").status_code == 200
    _job_id, page = post_import(client, csv_bytes([row(serials="A A2"), row("SH-2")]))
    assert "Import shipments" in page and "The file has been imported." in page
    assert "2 shipments created" in page and "2 serial numbers recorded" in page
    assert 'href="/shipments/"' in page
    assert counts(db) == (2, 2, 2)


def test_import_page_xlsx(client, db, make, world):
    client.login(make.user(role="admin").email)
    _job_id, page = post_import(client, xlsx_bytes([row(quantity=1, serials="X")]), "s.xlsx")
    assert "1 shipment created" in page
    assert counts(db) == (1, 1, 1)


def test_import_job_records_progress_and_its_outcome(client, db, make, world):
    from portal.jobs import Job

    client.login(make.user(role="staff").email)
    job_id, _page = post_import(client, csv_bytes([row(f"SH-{i}", serials=f"S{i}a S{i}b") for i in range(5)]))
    job = db.session.get(Job, job_id)
    assert (job.name, job.status, job.kwargs["filename"]) == ("shipments.import", "done", "s.csv")
    assert job.result == {"ok": True, "shipments": 5, "lines": 5, "serials": 10, "url": "/shipments/"}
    assert job.message == "The file has been imported."


def test_import_reports_progress_per_batch(app, db, make, world, monkeypatch):
    """The job tells how far it is while it reads and writes: after each batch of rows."""
    from portal.jobs import JobContext
    from portal.jobs.uploads import keep
    from portal.shipments import jobs

    seen = []
    monkeypatch.setattr(JobContext, "progress", lambda self, done, total, message="": seen.append((done, total)))
    monkeypatch.setitem(app.config, "IMPORT_BATCH_SIZE", 2)
    with app.test_request_context():
        key = keep(csv_bytes([row(f"SH-{i}") for i in range(5)]))
        result = jobs.import_file(JobContext(0, eager=True), key=key, filename="s.csv")
    assert result["shipments"] == 5
    assert seen == [(0, 5), (2, 5), (4, 5), (5, 5), (5, 5)]


def test_import_page_lists_every_bad_row(client, db, make, world):
    client.login(make.user(role="staff").email)
    rows = [row("SH-1"), row("SH-2", model_code="X"), row("SH-3", serials="A B C"), row("SH-4", currency="USD")]
    _job_id, page = post_import(client, csv_bytes(rows))
    assert "Nothing was imported." in page and "3 rows have errors." in page
    assert re.search(r">3</td>\s*<td><code>model_code</code></td>\s*<td>Unknown model code &#39;X&#39;.</td>", page)
    assert re.search(r">4</td>\s*<td><code>serials</code></td>\s*<td>3 serials for a quantity of 2.</td>", page)
    assert re.search(r">5</td>\s*<td><code>currency</code></td>\s*<td>Currency USD differs from the client&#39;s CNY.</td>", page)
    assert counts(db) == (0, 0, 0)


def test_import_errors_are_capped_in_the_result(client, db, make, world, monkeypatch):
    monkeypatch.setattr("portal.shipments.importer.MAX_REPORTED", 2)
    client.login(make.user(role="staff").email)
    _job_id, page = post_import(client, csv_bytes([row(f"SH-{i}", model_code="X") for i in range(5)]))
    assert "5 rows have errors." in page and "… and 3 more rows with errors." in page
    assert page.count("Unknown model code") == 2


def test_the_kept_upload_is_deleted_when_the_job_ends(client, db, make, world, app, tmp_path, monkeypatch):
    from pathlib import Path

    from portal.jobs import Job
    from portal.storage import storage

    monkeypatch.setitem(app.config, "STORAGE_DIR", str(tmp_path))
    monkeypatch.delitem(app.extensions, "storage", raising=False)
    client.login(make.user(role="staff").email)
    ok, _page = post_import(client, csv_bytes([row()]))
    bad, _page = post_import(client, csv_bytes([row(model_code="X")]))
    with app.app_context():
        for job_id in (ok, bad):
            assert not storage().exists(db.session.get(Job, job_id).kwargs["key"])
        assert storage().root == tmp_path and not [p for p in Path(tmp_path).rglob("*") if p.is_file()]
    app.extensions.pop("storage", None)  # the next test builds it again from its own STORAGE_DIR


def test_the_same_bytes_kept_elsewhere_survive_the_import(client, db, make, world, app):
    """Storage is shared by content: an import must not delete a document with the same bytes."""
    from portal.storage import storage

    data = csv_bytes([row()]).getvalue()
    with app.app_context():
        key = storage().put(data)
    client.login(make.user(role="staff").email)
    post_import(client, io.BytesIO(data))
    with app.app_context():
        assert storage().read(key) == data


def test_another_clients_user_cannot_see_the_import_job(client, db, make, world):
    client.login(make.user(role="staff").email)
    job_id, _page = post_import(client, csv_bytes([row()]))
    client.post("/logout")
    client.login(make.user(role="client_user", client=world.acme).email)
    assert client.get(f"/jobs/{job_id}").status_code == 404


def test_import_page_rejects_other_files_at_once(client, db, make, world):
    from portal.jobs import Job

    client.login(make.user(role="staff").email)
    response = client.post("/shipments/import", data={"file": (io.BytesIO(b"x"), "s.pdf")})
    assert response.status_code == 422 and "Only .csv and .xlsx files can be imported." in text(response)
    assert "Choose a file." in text(client.post("/shipments/import", data={}))
    response = client.post("/shipments/import", data={"file": (io.BytesIO(b"garbage"), "s.xlsx")})
    assert response.status_code == 422 and "The file is not a valid XLSX workbook." in text(response)
    response = client.post("/shipments/import", data={"file": (csv_bytes([row()], columns=("shipment_no", "serials")), "s.csv")})
    assert response.status_code == 422 and "Missing columns: client_code, ship_date" in text(response)
    response = client.post("/shipments/import", data={"file": (csv_bytes([]), "s.csv")})
    assert response.status_code == 422 and "The file has no data rows." in text(response)
    assert 'class="form-control is-invalid"' in text(response)
    assert db.session.scalar(select(func.count()).select_from(Job)) == 0


def test_import_page_refuses_a_file_too_large(client, db, make, world, app, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_MAX_BYTES", 2 * 1024 * 1024)
    client.login(make.user(role="staff", locale="en").email)
    big = io.BytesIO(b"shipment_no\n" + b"x" * (2 * 1024 * 1024))
    response = client.post("/shipments/import", data={"file": (big, "big.csv")})
    assert response.status_code == 422 and "big.csv is larger than 2 MB." in text(response)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_import_template_downloads_and_imports(client, db, make, world, fmt):
    client.login(make.user(role="staff").email)
    response = client.get(f"/shipments/import/template.{fmt}")
    assert response.status_code == 200
    assert f'shipments-import-template.{fmt}"' in response.headers["Content-Disposition"]
    if fmt == "csv":
        lines = response.get_data().decode("utf-8-sig").splitlines()
        assert lines[0] == ",".join(COLUMNS) and lines[1].startswith("SH-2025-0001,")
    else:
        sheet = load_workbook(io.BytesIO(response.get_data())).active
        assert [c.value for c in sheet[1]] == list(COLUMNS)
    # the example row is a valid row once its codes exist
    make.batch(model=world.tv55, code="B2501")
    _job_id, page = post_import(client, io.BytesIO(response.get_data()), f"t.{fmt}")
    assert "1 shipment created" in page


def test_english_user_sees_the_english_msgid(client, make, world):
    """Messages go through gettext: an English user gets the msgid as written in the code."""
    user = make.user(role="staff", locale="en")
    client.login(user.email)
    _job_id, page = post_import(client, csv_bytes([row(client_code="NOPE")]))
    assert "Unknown client code &#39;NOPE&#39;." in page and 'lang="en"' in page


def test_the_import_size_limit_is_read_from_the_environment(monkeypatch, tmp_path):
    from portal import create_app

    monkeypatch.setenv("IMPORT_MAX_BYTES", "1048576")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}", "SECRET_KEY": "x"})
    assert app.config["IMPORT_MAX_BYTES"] == 1048576
