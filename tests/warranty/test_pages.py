"""The warranty look-up pages: one serial, many serials, uploads, downloads, tenancy."""
import csv
import html
import io
import json
import re
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook

from portal.auth.access import ANY_ROLE
from portal.warranty import services, views

from .conftest import StatementCounter  # noqa: F401  (the fixture's type)


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def hidden_serials(response) -> str:
    match = re.search(r'name="serials" value="([^"]*)"', response.get_data(as_text=True))
    assert match, "no hidden list of serials on the results page"
    return html.unescape(match.group(1))


def summary_of(response) -> dict:
    page = response.get_data(as_text=True)
    return {k: v for k, v in re.findall(r'data-summary="(\w+)">([^<]+)<', page)}


def preview_serials(response) -> list[str]:
    body = response.get_data(as_text=True).split('id="preview"', 1)[1]
    return [html.unescape(s) for s in re.findall(r'<td class="font-monospace">([^<]*)</td>', body)]


@pytest.fixture
def staff(make):
    return make.user(role="staff")


@pytest.fixture
def me(make, fleet):
    return make.user(role="client_user", client=fleet.mine)


# --- access ----------------------------------------------------------------------------

@pytest.mark.parametrize("role", ANY_ROLE)
def test_every_role_may_look_up(client, make, fleet, role):
    user = make.user(role=role, client=fleet.mine if role.startswith("client") else None)
    client.login(user.email)
    page = client.get("/warranty?serial=SN-A1&on=2025-06-01")
    assert page.status_code == 200
    assert "KTV-55A" in text_of(page)


def test_signed_out_users_are_sent_to_sign_in(client, fleet):
    response = client.get("/warranty?serial=SN-A1")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.post("/warranty/bulk", data={"serials": "SN-A1"}).status_code == 302


def test_the_menu_links_the_page(client, staff):
    client.login(staff.email)
    page = client.get("/").get_data(as_text=True)
    assert 'href="/warranty"' in page


# --- one serial ------------------------------------------------------------------------

def test_empty_form(client, staff):
    client.login(staff.email)
    page = text_of(client.get("/warranty"))
    assert "One serial number" in page and "Many serial numbers" in page
    assert "Enter a serial number." not in page
    assert 'src="/static/warranty.js"' in page and "<script>" not in page


def test_single_serial_card(client, staff, fleet):
    client.login(staff.email)
    page = text_of(client.get("/warranty?serial=+SN-A1+&on=2026-03-01"))
    card = page.split('id="result"', 1)[1]
    assert "SN-A1" in card and "KTV-55A" in card and "55-inch 4K TV" in card and "B-55A-01" in card
    assert "Mar 1, 2025" in card  # ship date through the date filter
    assert "Status on Mar 1, 2026" in card
    assert "Some parts in warranty" in card  # unit out on 1 Mar 2026, panel and main board in
    rows = re.findall(r'<th scope="row" class="fw-normal">([^<]+)</th>\s*<td class="num">(\d+)</td>\s*'
                      r'<td>([^<]+)</td>\s*<td><span class="badge text-bg-(\w+)">', card)
    assert rows == [
        ("Whole unit", "12", "Feb 28, 2026", "danger"),
        ("Main board", "36", "Feb 29, 2028", "success"),
        ("Power board", "12", "Feb 28, 2026", "danger"),
        ("Panel", "36", "Feb 29, 2028", "success"),
        ("Remote control", "12", "Feb 28, 2026", "danger"),
        ("Accessories", "12", "Feb 28, 2026", "danger"),
    ]
    assert "Mine Electronics" in card  # internal users see whose unit it is
    assert 'value="SN-A1"' in page  # the form keeps what was typed


def test_single_serial_in_warranty(client, staff, fleet):
    client.login(staff.email)
    card = text_of(client.get("/warranty?serial=SN-A1&on=2026-02-28")).split('id="result"', 1)[1]
    assert "In warranty" in card and "Out of warranty" not in card
    assert card.count("text-bg-success") == 7  # the card's badge and all six categories


def test_single_serial_not_found(client, staff, fleet):
    client.login(staff.email)
    page = text_of(client.get("/warranty?serial=NO-SUCH-UNIT"))
    assert "No unit with this serial number was found" in page
    assert "NO-SUCH-UNIT" in page and "KTV-55A" not in page


def test_single_serial_required(client, staff):
    client.login(staff.email)
    page = text_of(client.get("/warranty?serial=+++&on="))
    assert "Enter a serial number." in page and 'id="result"' not in page


def test_bad_date_keeps_the_serial(client, staff, fleet):
    client.login(staff.email)
    page = text_of(client.get("/warranty?serial=SN-A1&on=31.02.2025"))
    assert 'value="SN-A1"' in page and 'id="result"' not in page
    assert "is-invalid" in page


def test_client_user_sees_its_own_unit_without_the_client_line(client, me):
    client.login(me.email)
    card = text_of(client.get("/warranty?serial=SN-A1&on=2025-06-01")).split('id="result"', 1)[1]
    assert "KTV-55A" in card and "Client" not in card


def test_another_clients_serial_is_not_found_for_a_client_user(client, me):
    client.login(me.email)
    theirs = text_of(client.get("/warranty?serial=SN-T1"))
    unknown = text_of(client.get("/warranty?serial=SN-ZZ"))
    assert "No unit with this serial number was found" in theirs
    assert "THEIRS" not in theirs and "Their Brand" not in theirs and "Feb 29, 2024" not in theirs
    assert theirs.replace("SN-T1", "X") == unknown.replace("SN-ZZ", "X")  # indistinguishable


def test_internal_users_see_every_clients_serial(client, staff, fleet):
    client.login(staff.email)
    card = text_of(client.get("/warranty?serial=SN-T1&on=2025-01-01")).split('id="result"', 1)[1]
    assert "Their Brand" in card and "Feb 29, 2024" in card


# --- many serials ----------------------------------------------------------------------

def test_bulk_paste_order_duplicates_and_summary(client, staff, fleet):
    client.login(staff.email)
    pasted = "SN-A3\n\n  SN-A1 , NOPE;SN-A3\nSN-T1 SN-NOBATCH\n"
    response = client.post("/warranty/bulk", data={"serials": pasted, "on": "2025-12-31"})
    assert response.status_code == 200
    assert preview_serials(response) == ["SN-A3", "SN-A1", "NOPE", "SN-T1", "SN-NOBATCH"]
    assert summary_of(response) == {
        "total": "5", "found": "4", "not_found": "1", "in_warranty": "3", "parts_only": "1", "out_of_warranty": "0",
    }
    assert json.loads(hidden_serials(response)) == ["SN-A3", "SN-A1", "NOPE", "SN-T1", "SN-NOBATCH"]
    page = text_of(response)
    assert "Status on Dec 31, 2025" in page
    assert pasted.strip() in page  # the box keeps what was pasted


def test_bulk_needs_serials(client, staff):
    client.login(staff.email)
    page = text_of(client.post("/warranty/bulk", data={"serials": " \n , "}))
    assert "Enter or upload at least one serial number." in page and 'id="results"' not in page


def test_bulk_over_the_limit_is_refused_and_nothing_is_looked_up(client, staff, fleet, monkeypatch):
    client.login(staff.email)
    monkeypatch.setattr(services, "lookup", lambda *a, **k: pytest.fail("looked up despite the limit"))
    pasted = "\n".join(f"S{i}" for i in range(10_001))
    page = text_of(client.post("/warranty/bulk", data={"serials": pasted}))
    assert "At most 10,000 serial numbers can be looked up at a time." in page
    assert 'id="results"' not in page
    assert "S10000</textarea>" in page  # what was typed is kept


def test_bulk_limit_counts_serials_in_the_file_too(client, staff, monkeypatch):
    client.login(staff.email)
    monkeypatch.setattr(services, "lookup", lambda *a, **k: pytest.fail("looked up despite the limit"))
    upload = io.BytesIO(("serial\n" + "\n".join(f"F{i}" for i in range(9_999))).encode())
    page = text_of(client.post("/warranty/bulk", data={"serials": "P1 P2", "file": (upload, "more.csv")}))
    assert "At most 10,000 serial numbers can be looked up at a time." in page


def test_exactly_the_limit_of_long_serials_is_accepted(client, staff, fleet, count_statements):
    """10,000 serials of 60 characters: more than Flask's default 500 kB for a form field."""
    client.login(staff.email)
    serials = [f"{i:060d}" for i in range(9_999)] + ["SN-A1"]
    count_statements.statements.clear()
    response = client.post("/warranty/bulk", data={"serials": "\n".join(serials)})
    assert response.status_code == 200
    assert summary_of(response)["total"] == "10,000" and summary_of(response)["found"] == "1"
    assert len(count_statements.on("serial")) == 10
    assert len(preview_serials(response)) == views.PREVIEW_ROWS
    assert "The first 100 of 10,000 rows are shown" in text_of(response)
    download = client.post("/warranty/download", data={"serials": hidden_serials(response), "format": "csv"})
    assert download.status_code == 200
    assert len(download.get_data(as_text=True).splitlines()) == 10_001


def test_large_form_with_csrf_on(app, client, staff, fleet):
    """The raised form-size limit applies before the CSRF check reads the form."""
    client.login(staff.email)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        token = client.csrf_token("/warranty")
        serials = "\n".join([f"{i:060d}" for i in range(9_000)] + ["SN-A1"])
        response = client.post("/warranty/bulk", data={"serials": serials, "csrf_token": token})
        assert response.status_code == 200 and summary_of(response)["found"] == "1"
        assert client.post("/warranty/bulk", data={"serials": "SN-A1"}).status_code == 400
        download = client.post("/warranty/download", data={"serials": hidden_serials(response), "format": "csv",
                                                           "csrf_token": token})
        assert download.status_code == 200
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_bulk_client_user_confined_to_its_serials(client, me):
    client.login(me.email)
    response = client.post("/warranty/bulk", data={"serials": "SN-T1\nSN-A1"})
    assert summary_of(response)["found"] == "1" and summary_of(response)["not_found"] == "1"
    page = text_of(response)
    assert "Their Brand" not in page and "THEIRS" not in page
    assert "<th scope=\"col\">Client</th>" not in page


# --- uploads ---------------------------------------------------------------------------

def test_upload_csv(client, staff, fleet):
    client.login(staff.email)
    upload = io.BytesIO("\ufeffmodel;serial\nKTV-55A;SN-A2\nKTV-55A;SN-X\n".encode())
    response = client.post("/warranty/bulk", data={"serials": "", "file": (upload, "units.csv")})
    assert preview_serials(response) == ["SN-A2", "SN-X"]
    assert "read from the file's column “serial”" in text_of(response)


def test_upload_xlsx_first_column_added_after_pasted(client, staff, fleet):
    client.login(staff.email)
    workbook = Workbook()
    for row in (["Unit SN", "Remark"], ["SN-A3", "ok"], ["SN-A1", None]):
        workbook.active.append(row)
    upload = io.BytesIO()
    workbook.save(upload)
    upload.seek(0)
    response = client.post("/warranty/bulk", data={"serials": "SN-NOBATCH", "file": (upload, "units.xlsx")})
    assert preview_serials(response) == ["SN-NOBATCH", "SN-A3", "SN-A1"]
    assert summary_of(response)["found"] == "3"


@pytest.mark.parametrize("name, content, message", [
    ("units.xlsx", b"this is not a workbook", "The file is not a valid XLSX workbook."),
    ("units.csv", "serial\n".encode(), "The file holds no serial numbers."),
    ("units.csv", b"", "The file is empty."),
    ("units.csv", "serial\nSN-\xe9-1\n".encode("latin-1"), "The file is not UTF-8 text."),
    ("units.txt", b"serial\nSN-A1", "Upload a CSV or XLSX file."),
])
def test_bad_uploads_say_why(client, staff, name, content, message, monkeypatch):
    client.login(staff.email)
    monkeypatch.setattr(services, "lookup", lambda *a, **k: pytest.fail("looked up a bad file"))
    page = text_of(client.post("/warranty/bulk", data={"serials": "", "file": (io.BytesIO(content), name)}))
    assert message in page and 'id="results"' not in page


# --- downloads -------------------------------------------------------------------------

def test_download_xlsx_has_everything_in_order(client, staff, fleet):
    client.login(staff.email)
    page = client.post("/warranty/bulk", data={"serials": "SN-T1\nNOPE\nSN-A1\nSN-A1", "on": "2026-03-01"})
    response = client.post("/warranty/download", data={"serials": hidden_serials(page), "on": "2026-03-01",
                                                       "format": "xlsx"})
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="warranty-2026-03-01.xlsx"'
    sheet = load_workbook(io.BytesIO(response.data), read_only=True).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = rows[0]
    assert header[:10] == ["Serial number", "Found", "Model", "Model name", "Batch", "Ship date", "Shipment",
                           "Client", "Client name", "Status on Mar 1, 2026"]
    assert header[10:14] == ["Whole unit: covered until", "Whole unit: status",
                             "Main board: covered until", "Main board: status"]
    assert len(header) == 23 and header[22] == "Warranty scheme"  # added last: the others keep their places
    assert [r[0] for r in rows[1:]] == ["SN-T1", "NOPE", "SN-A1"]
    theirs, nope, mine = rows[1:]
    assert theirs[1:10] == ["Yes", "KTV-55A", "55-inch 4K TV", "B-55A-01", theirs[5], "SH-THEIRS-1", "THEIRS",
                            "Their Brand", "Some parts in warranty"]
    assert theirs[5].date() == date(2024, 2, 29)  # a real date cell
    assert theirs[10].date() == date(2025, 2, 27) and theirs[11] == "Out of warranty"
    assert theirs[16].date() == date(2027, 2, 27) and theirs[17] == "In warranty"  # panel
    assert nope[1] == "No" and nope[9] == "Not found" and all(v is None for v in nope[10:])
    assert mine[9] == "Some parts in warranty" and mine[10].date() == date(2026, 2, 28)


def test_download_csv_for_a_client_user(client, me):
    client.login(me.email)
    page = client.post("/warranty/bulk", data={"serials": "SN-A1 SN-T1", "on": "2025-06-01"})
    response = client.post("/warranty/download", data={"serials": hidden_serials(page), "on": "2025-06-01",
                                                       "format": "csv"})
    assert response.headers["Content-Disposition"] == 'attachment; filename="warranty-2025-06-01.csv"'
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:8] == ["Serial number", "Found", "Model", "Model name", "Batch", "Ship date", "Shipment",
                           "Status on Jun 1, 2025"]
    assert "Client" not in rows[0]
    assert rows[1][:8] == ["SN-A1", "Yes", "KTV-55A", "55-inch 4K TV", "B-55A-01", "2025-03-01", "SH-MINE-1",
                           "In warranty"]
    assert rows[2][:2] == ["SN-T1", "No"] and set(rows[2][2:7]) == {""}  # another client's: not found


def test_download_looks_up_again_under_the_users_tenancy(client, me):
    """Editing the hidden list reveals nothing: the download is a fresh look-up."""
    client.login(me.email)
    response = client.post("/warranty/download", data={"serials": json.dumps(["SN-T1"]), "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[1][:3] == ["SN-T1", "No", ""]


@pytest.mark.parametrize("data", [
    {"serials": "not json", "format": "xlsx"},
    {"serials": json.dumps({"a": 1}), "format": "xlsx"},
    {"serials": json.dumps([1, 2]), "format": "xlsx"},
    {"serials": json.dumps([]), "format": "xlsx"},
    {"serials": json.dumps(["SN-A1"]), "format": "pdf"},
    {"serials": json.dumps(["SN-A1"]), "format": "csv", "on": "yesterday"},
    {"serials": json.dumps([f"S{i}" for i in range(10_001)]), "format": "csv"},
])
def test_download_refuses_a_tampered_form(client, staff, data):
    client.login(staff.email)
    assert client.post("/warranty/download", data=data).status_code == 400
