"""The CSV/XLSX import: good files, every kind of bad row, atomicity, whole-file errors."""
from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from portal.shipments.importer import COLUMNS, ImportFailed, import_shipments
from portal.shipments.models import Serial, Shipment, ShipmentLine

from .conftest import csv_bytes, row, xlsx_bytes


def counts(db) -> tuple[int, int, int]:
    return tuple(db.session.scalar(select(func.count()).select_from(m)) for m in (Shipment, ShipmentLine, Serial))


def run(app, stream, filename="shipments.csv", **kw):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        return import_shipments(stream, filename, **kw)


def failure(app, stream, filename="shipments.csv", **kw) -> ImportFailed:
    with pytest.raises(ImportFailed) as caught:
        run(app, stream, filename, **kw)
    return caught.value


def errors_by_row(exc: ImportFailed) -> dict[int, list[str]]:
    return {r.row: r.errors for r in exc.rows}


GOOD = [
    row("SH-1", serials="S1 S2"),
    row("SH-1", model_code="KTV-43B", batch_code="B43-1", quantity="3", unit_price="1199.90", serials="S3,S4;S5"),
    row("SH-1", quantity="-1", serials=""),  # a return: no serials
    row("SH-2", ship_date="2025-03-05", quantity="10", serials=""),
    row("SH-3", client_code="GLOBEX", currency="USD", quantity="1", unit_price="249.99", serials="U1"),
]


def check_good_import(db, world, result):
    assert (result.shipments, result.lines, result.serials) == (3, 5, 6)
    assert counts(db) == (3, 5, 6)
    sh1 = db.session.scalar(select(Shipment).where(Shipment.number == "SH-1"))
    assert sh1.client_id == world.acme.id and sh1.ship_date == date(2025, 3, 1)
    assert [(l.model.code, l.batch.code if l.batch else None, l.quantity, l.unit_price, l.currency) for l in sh1.lines] == [
        ("KTV-55A", None, 2, Decimal("1850.00"), "CNY"),
        ("KTV-43B", "B43-1", 3, Decimal("1199.90"), "CNY"),
        ("KTV-55A", None, -1, Decimal("1850.00"), "CNY"),
    ]
    serials = db.session.execute(select(Serial.serial, Serial.client_id, Serial.line_id).order_by(Serial.serial)).all()
    assert [s for s, _c, _l in serials] == ["S1", "S2", "S3", "S4", "S5", "U1"]
    assert {c for s, c, _l in serials if s.startswith("S")} == {world.acme.id}
    assert {l for s, _c, l in serials if s in ("S3", "S4", "S5")} == {sh1.lines[1].id}


def test_csv_import(app, db, world):
    check_good_import(db, world, run(app, csv_bytes(GOOD)))


def test_xlsx_import_with_typed_cells(app, db, world):
    typed = [dict(r, quantity=int(r["quantity"]), unit_price=float(r["unit_price"])) for r in GOOD]
    typed[0]["ship_date"] = date(2025, 3, 1)  # a real date cell
    check_good_import(db, world, run(app, xlsx_bytes(typed), "shipments.xlsx"))


def test_semicolon_csv_with_bom_and_extra_columns(app, db, world):
    columns = COLUMNS + ("remarks",)
    data = csv_bytes([dict(row(serials="A1 A2"), remarks="ok")], columns=columns, delimiter=";")
    data = io.BytesIO(b"\xef\xbb\xbf" + data.getvalue())
    assert run(app, data).serials == 2


def test_batches_larger_than_the_batch_size(app, db, world):
    rows = [row(f"SH-{i // 3}", quantity="1", serials=f"X{i}") for i in range(25)]
    result = run(app, csv_bytes(rows), batch_size=4)
    assert (result.shipments, result.lines, result.serials) == (9, 25, 25)
    assert counts(db) == (9, 25, 25)


@pytest.mark.parametrize("changes, message", [
    (dict(client_code="NOPE"), "Unknown client code 'NOPE'."),
    (dict(model_code="X"), "Unknown model code 'X'."),
    (dict(batch_code="NOPE"), "Unknown batch code 'NOPE'."),
    (dict(batch_code="B43-1"), "Batch B43-1 belongs to model KTV-43B, not KTV-55A."),
    (dict(quantity="0"), "The quantity must not be zero (a negative quantity is returned goods)."),
    (dict(quantity="1.5"), "Quantity '1.5' is not a whole number."),
    (dict(quantity=""), "The quantity is missing."),
    (dict(unit_price="-1.00"), "The unit price must not be negative."),
    (dict(unit_price="abc"), "Unit price 'abc' is not a number."),
    (dict(unit_price="1.005"), "Unit price 1.005 has more decimals than CNY allows (2)."),
    (dict(ship_date="2025-02-30"), "Ship date '2025-02-30' is not a valid date in the form yyyy-mm-dd."),
    (dict(ship_date="01/03/2025"), "Ship date '01/03/2025' is not a valid date in the form yyyy-mm-dd."),
    (dict(currency="USD"), "Currency USD differs from the client's CNY."),
    (dict(currency="ABC"), "'ABC' is not an ISO 4217 currency code."),
    (dict(shipment_no=""), "The shipment number is missing."),
    (dict(shipment_no="N" * 41), "The shipment number is longer than 40 characters."),
    (dict(serials="A1 A2 A3"), "3 serials for a quantity of 2."),
    (dict(quantity="-2", serials="A1 A2"), "A returned-goods line (negative quantity) carries no serials."),
    (dict(serials="A1 A1"), "Serial 'A1' appears twice in the file (first on row 3)."),
])
def test_each_bad_input_is_reported_and_nothing_is_written(app, db, world, changes, message):
    rows = [row("SH-0", serials="Z1 Z2"), row(**{"shipment_no": "SH-1", **changes}), row("SH-9", quantity="1", serials="Z9")]
    exc = failure(app, csv_bytes(rows))
    assert errors_by_row(exc) == {3: [message]}
    assert counts(db) == (0, 0, 0)


def test_serial_already_recorded_and_shipment_number_taken(app, db, world, make):
    make.shipment(client=world.acme, number="OLD-1", lines=[dict(model=world.tv55, quantity=1,
                                                                  unit_price=Decimal("1.00"), serials=["OLD-SN"])])
    exc = failure(app, csv_bytes([row("OLD-1", quantity="1", serials="N1"), row("NEW-1", quantity="1", serials="OLD-SN")]))
    assert errors_by_row(exc) == {
        2: ["Shipment OLD-1 already exists."],
        3: ["Serial 'OLD-SN' is already recorded (shipment OLD-1)."],
    }
    assert counts(db) == (1, 1, 1)


def test_one_shipment_number_with_two_clients_or_dates(app, db, world):
    rows = [row("SH-1"), row("SH-1", client_code="GLOBEX", currency="USD"), row("SH-1", ship_date="2025-03-02")]
    exc = failure(app, csv_bytes(rows))
    assert errors_by_row(exc) == {
        3: ["Shipment SH-1 has client ACME on row 2, not GLOBEX."],
        4: ["Shipment SH-1 has ship date 2025-03-01 on row 2, not 2025-03-02."],
    }


def test_duplicate_serial_across_rows_and_batches(app, db, world):
    rows = [row(f"SH-{i}", quantity="1", serials=f"U{i}") for i in range(10)] + [row("SH-X", quantity="1", serials="U3")]
    exc = failure(app, csv_bytes(rows), batch_size=3)
    assert errors_by_row(exc) == {12: ["Serial 'U3' appears twice in the file (first on row 5)."]}
    assert counts(db) == (0, 0, 0)


def test_atomic_when_the_bad_row_comes_after_written_batches(app, db, world):
    """The first batches are written before row 40 is read: all of it is rolled back."""
    rows = [row(f"SH-{i}", quantity="1", serials=f"V{i}") for i in range(38)] + [row("SH-BAD", model_code="NOPE")]
    exc = failure(app, csv_bytes(rows), batch_size=5)
    assert errors_by_row(exc) == {40: ["Unknown model code 'NOPE'."]}
    assert counts(db) == (0, 0, 0)


def test_every_bad_row_is_reported_with_all_its_reasons(app, db, world):
    rows = [
        row("SH-1", serials="A1 A2"),
        row("SH-1", model_code="NOPE", quantity="0", unit_price="-5"),
        row("SH-2", currency="USD", serials="A1"),
        row("SH-3", quantity="4", serials="B1 B2 B3"),
    ]
    exc = failure(app, csv_bytes(rows))
    assert errors_by_row(exc) == {
        3: ["Unknown model code 'NOPE'.", "The quantity must not be zero (a negative quantity is returned goods).",
            "The unit price must not be negative."],
        4: ["Currency USD differs from the client's CNY.", "1 serial for a quantity of 2.",
            "Serial 'A1' appears twice in the file (first on row 2)."],
        5: ["3 serials for a quantity of 4."],
    }
    assert exc.message == "3 rows have errors; nothing was imported."
    assert exc.as_dict()["rows"][0] == {"row": 3, "errors": errors_by_row(exc)[3]}
    assert counts(db) == (0, 0, 0)


def test_the_report_is_capped(app, db, world):
    rows = [row(f"SH-{i}", model_code="NOPE") for i in range(30)]
    exc = failure(app, csv_bytes(rows), max_reported=10, batch_size=7)
    assert [r.row for r in exc.rows] == list(range(2, 12))
    assert exc.more == 20 and exc.bad_rows == 30


@pytest.mark.parametrize("content, filename, message", [
    (b"", "a.csv", "The file is empty."),
    (b"\n\n", "a.csv", "The file is empty."),
    (",".join(COLUMNS).encode() + b"\n", "a.csv", "The file has no data rows."),
    ("shipment_no,client_code\nS1,ACME\n".encode(), "a.csv",
     "Missing columns: ship_date, model_code, quantity, unit_price, currency. The first row must name the columns "
     + ", ".join(COLUMNS) + "."),
    (",".join(COLUMNS).encode("utf-8") + "\nSH-1,ACME,2025-03-01,KTV-55A,,1,1.00,CNY,Größe\n".encode("latin-1"),
     "a.csv", "The file is not UTF-8 text. Save it as CSV UTF-8 or as XLSX."),
    (b"this is not a workbook", "a.xlsx", "The file is not a valid XLSX workbook."),
    (b"PK\x03\x04 broken zip", "a.xlsx", "The file is not a valid XLSX workbook."),
])
def test_unusable_files(app, db, world, content, filename, message):
    exc = failure(app, io.BytesIO(content), filename)
    assert exc.file_errors == [message]
    assert exc.as_dict() == {"file": [message]}
    assert counts(db) == (0, 0, 0)


def test_bad_encoding_after_written_batches_rolls_back(app, db, world):
    good = csv_bytes([row(f"SH-{i}", quantity="1", serials=f"W{i}") for i in range(3000)]).getvalue()
    exc = failure(app, io.BytesIO(good + "SH-Z,ACME,2025-03-01,KTV-55A,,1,1.00,CNY,Ü\n".encode("latin-1")),
                  batch_size=500)
    assert exc.file_errors == ["The file is not UTF-8 text. Save it as CSV UTF-8 or as XLSX."]
    assert counts(db) == (0, 0, 0)


def test_missing_columns_in_xlsx(app, db, world):
    exc = failure(app, xlsx_bytes([{"shipment_no": "S", "client_code": "ACME"}], columns=("shipment_no", "client_code")),
                  "a.xlsx")
    assert exc.file_errors[0].startswith("Missing columns: ship_date, model_code")


def test_messages_go_through_gettext(app, db, world, monkeypatch):
    """Every message is translated: a catalogue that marks each msgid shows it."""
    import flask_babel

    from portal.shipments import importer, validation

    def marked(string, **variables):
        return "«" + (string % variables if variables else string) + "»"

    monkeypatch.setattr(validation, "_", marked)
    monkeypatch.setattr(importer, "_", marked)
    exc = failure(app, csv_bytes([row("SH-1", model_code="NOPE"), row("SH-1", ship_date="2025-03-09")]))
    assert errors_by_row(exc) == {
        2: ["«Unknown model code 'NOPE'.»"],
        3: ["«Shipment SH-1 has ship date 2025-03-01 on row 2, not 2025-03-09.»"],
    }
    assert flask_babel.gettext is not marked


def test_a_serial_recorded_by_someone_else_during_the_import(app, db, world, make, monkeypatch):
    """The bulk check found nothing, then the insert hits the unique constraint: all rolled back."""
    from portal.shipments import importer

    make.shipment(client=world.acme, number="OTHER", lines=[dict(model=world.tv55, quantity=1, unit_price=Decimal(1),
                                                                  serials=["RACE"])])
    monkeypatch.setattr(importer, "recorded_serials", lambda serials: {})
    rows = [row(f"SH-{i}", quantity="1", serials=f"R{i}") for i in range(6)] + [row("SH-9", quantity="1", serials="RACE")]
    exc = failure(app, csv_bytes(rows), batch_size=3)
    assert exc.file_errors and "recorded by someone else" in exc.file_errors[0]
    assert counts(db) == (1, 1, 1)
    assert run(app, csv_bytes(rows[:6])).shipments == 6  # the session is still usable
