"""Import of shipments from a CSV or XLSX file: one row per shipment line.

Columns: shipment_no, client_code, ship_date (yyyy-mm-dd), model_code, batch_code (optional),
quantity, unit_price, currency, serials (optional; separated by spaces, commas or semicolons).
Rows with the same shipment_no form one shipment; its client and date must agree across rows.

How it scales: rows are streamed (`portal.tabular.read_rows`) and checked one by one; the
database checks (shipment numbers and serials already recorded) and the writes happen per
batch of IMPORT_BATCH_SIZE rows: Core executemany inserts, or COPY on PostgreSQL. Memory holds one batch, the
shipment_no → id map and the serials seen so far (to find duplicates within the file).

Atomic: everything runs inside one SAVEPOINT. At the first bad row writing stops, checking goes
on to the end of the file, and the savepoint is rolled back: nothing is written, and every bad
row is reported (the first MAX_REPORTED of them, with a count of the others). The caller commits
on success. `progress(rows)`, if given, is called after each batch with the rows read so far
(the background job reports it; see portal/shipments/jobs.py).
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import insert, text
from sqlalchemy.exc import IntegrityError

from ..db import utcnow
from ..extensions import db
from ..tabular import Row, TabularError, read_rows
from .models import Serial, Shipment, ShipmentLine
from .services import existing_numbers, recorded_serials
from .validation import Errors, LineInput, Lookups, check_header, check_line, parse_date, parse_price, parse_quantity, split_serials

COLUMNS = ("shipment_no", "client_code", "ship_date", "model_code", "batch_code", "quantity", "unit_price",
           "currency", "serials")
REQUIRED = ("shipment_no", "client_code", "ship_date", "model_code", "quantity", "unit_price", "currency")
EXAMPLE_ROW = ("SH-2025-0001", "ACME", "2025-03-01", "KTV-55A", "B2501", "3", "1850.00", "CNY",
               "SN0001 SN0002 SN0003")
MAX_REPORTED = 200
FILE_COLUMN = {"number": "shipment_no"}  # validation's field names that differ from the file's columns
SERIALS_PER_FLUSH = 50_000  # a batch is written early when its lines carry this many serials


@dataclass(frozen=True)
class RowError:
    row: int
    errors: list[str]
    columns: list[str] = field(default_factory=list)  # the column of each error, in the same order

    def as_dict(self) -> dict:
        return {"row": self.row, "errors": self.errors}


@dataclass(frozen=True)
class ImportResult:
    shipments: int
    lines: int
    serials: int

    def as_dict(self) -> dict:
        return {"shipments": self.shipments, "lines": self.lines, "serials": self.serials}


class ImportFailed(Exception):
    """Nothing was imported. `file_errors`: the file as a whole is unusable; `rows`: the
    first bad rows in file order; `more`: how many other rows have errors."""

    def __init__(self, rows: list[RowError] | None = None, more: int = 0, file_errors: list[str] | None = None):
        self.rows = rows or []
        self.more = more
        self.file_errors = file_errors or []
        super().__init__(self.message)

    @property
    def bad_rows(self) -> int:
        return len(self.rows) + self.more

    @property
    def message(self) -> str:
        if self.file_errors:
            return " ".join(self.file_errors)
        return ngettext("%(num)d row has errors; nothing was imported.",
                        "%(num)d rows have errors; nothing was imported.", self.bad_rows)

    def as_dict(self) -> dict:
        if self.file_errors:
            return {"file": self.file_errors}
        return {"rows": [r.as_dict() for r in self.rows], "more_rows": self.more}


def import_shipments(stream, filename: str = "", *, batch_size: int | None = None,
                     max_reported: int | None = None, progress: Callable[[int], None] | None = None) -> ImportResult:
    """Import every shipment of the file, or nothing (raises ImportFailed). The caller commits."""
    session = db.session
    batch_size = batch_size or current_app.config["IMPORT_BATCH_SIZE"]
    savepoint = session.begin_nested()
    rows = read_rows(stream, filename)
    try:
        result = _Importer(session, batch_size, max_reported or MAX_REPORTED, progress).run(rows)
    except TabularError as exc:
        savepoint.rollback()
        raise ImportFailed(file_errors=[str(exc)]) from None
    except IntegrityError:
        savepoint.rollback()
        raise ImportFailed(file_errors=[_(
            "Some of these shipments or serials were recorded by someone else during the import. "
            "Nothing was imported; import the file again to see which.")]) from None
    except BaseException:
        savepoint.rollback()
        raise
    finally:
        rows.close()  # a file abandoned half-read is closed now, while its stream is open
    savepoint.commit()
    return result


class _Shipment:
    __slots__ = ("client_code", "client_id", "date_text", "ship_date", "row", "id")

    def __init__(self, client_code, client_id, date_text, ship_date, row):
        self.client_code, self.client_id = client_code, client_id
        self.date_text, self.ship_date, self.row = date_text, ship_date, row
        self.id: int | None = None


@dataclass
class _Batch:
    lines: list[tuple[str, dict, list[str]]] = field(default_factory=list)  # (shipment_no, line, serials)
    new_numbers: dict[str, int] = field(default_factory=dict)  # shipment_no -> first row
    fresh_serials: list[str] = field(default_factory=list)  # first seen in this batch
    errors: dict[int, list[tuple[str, str]]] = field(default_factory=dict)  # row -> [(column, message)]
    rows: int = 0
    serials: int = 0


class _Importer:
    def __init__(self, session, batch_size: int, max_reported: int, progress: Callable[[int], None] | None = None):
        self.session = session
        self.progress = progress
        self.rows_read = 0
        self.writer = _writer(session.connection())
        self.lookups = Lookups(session)
        self.batch_size = batch_size
        self.max_reported = max_reported
        self.shipments: dict[str, _Shipment] = {}
        self.seen: dict[str, int] = {}  # serial -> first row
        self.batch = _Batch()
        self.reported: list[RowError] = []
        self.bad_rows = 0
        self.lines = self.serials = 0
        self.now = utcnow()

    @property
    def failed(self) -> bool:
        return self.bad_rows > 0

    def run(self, rows: Iterator[Row]) -> ImportResult:
        first = True
        for row in rows:
            if first:
                self._check_columns(row)
                first = False
            self._row(row)
            if self.batch.rows >= self.batch_size or self.batch.serials >= SERIALS_PER_FLUSH:
                self._flush()
                self._report()
        if first:
            raise ImportFailed(file_errors=[_("The file has no data rows.")])
        self._flush()
        self._report()
        if self.failed:
            raise ImportFailed(self.reported, self.bad_rows - len(self.reported))
        return ImportResult(len(self.shipments), self.lines, self.serials)

    def _report(self) -> None:
        if self.progress is not None:
            self.progress(self.rows_read)

    @staticmethod
    def _check_columns(row: Row) -> None:
        missing = [c for c in REQUIRED if c not in row.values]
        if missing:
            raise ImportFailed(file_errors=[_(
                "Missing columns: %(missing)s. The first row must name the columns %(columns)s.",
                missing=", ".join(missing), columns=", ".join(COLUMNS))])

    def _row(self, row: Row) -> None:
        values = row.values
        errors = Errors()
        number = values["shipment_no"]
        client_code = values["client_code"]
        client = check_header(self.lookups, number, client_code, errors)
        ship_date = parse_date(values["ship_date"], errors)
        serials = split_serials(values.get("serials"))
        line = LineInput(
            model_code=values["model_code"],
            quantity=parse_quantity(values["quantity"], errors),
            unit_price=parse_price(values["unit_price"], errors),
            currency=values["currency"],
            batch_code=values.get("batch_code") or None,
            serials=serials,
        )
        checked = check_line(self.lookups, client, line, errors)
        if "number" not in errors:
            self._same_shipment(number, client_code, client.id if client else None, values["ship_date"], ship_date,
                                row.number, errors)
        for serial in serials:
            first = self.seen.get(serial)
            if first is None:
                self.seen[serial] = row.number
                self.batch.fresh_serials.append(serial)
            else:
                errors.add("serials", _("Serial '%(serial)s' appears twice in the file (first on row %(row)s).",
                                        serial=serial, row=first))
        batch = self.batch
        batch.rows += 1
        self.rows_read += 1
        batch.serials += len(serials)
        if errors:
            batch.errors[row.number] = [(FILE_COLUMN.get(name, name), message)
                                        for name in errors for message in errors[name]]
        elif not self.failed:
            batch.lines.append((number, {
                "model_id": checked.model_id, "batch_id": checked.batch_id, "quantity": line.quantity,
                "unit_price": line.unit_price, "currency": line.currency.strip().upper(), "client_id": client.id,
            }, serials))

    def _same_shipment(self, number: str, client_code: str, client_id: int | None, date_text: str,
                       ship_date: date | None, row: int, errors: Errors) -> None:
        shipment = self.shipments.get(number)
        if shipment is None:
            self.shipments[number] = _Shipment(client_code, client_id, date_text, ship_date, row)
            self.batch.new_numbers[number] = row
            return
        if shipment.client_code != client_code:
            errors.add("client_code", _("Shipment %(number)s has client %(first)s on row %(row)s, not %(this)s.",
                                        number=number, first=shipment.client_code, row=shipment.row, this=client_code))
        if shipment.date_text != date_text:
            errors.add("ship_date", _("Shipment %(number)s has ship date %(first)s on row %(row)s, not %(this)s.",
                                      number=number, first=shipment.date_text, row=shipment.row, this=date_text))

    def _flush(self) -> None:
        batch = self.batch
        for number in existing_numbers(batch.new_numbers):
            row = batch.new_numbers[number]
            batch.errors.setdefault(row, []).append(("shipment_no", _("Shipment %(number)s already exists.", number=number)))
        for serial, other in recorded_serials(batch.fresh_serials).items():
            batch.errors.setdefault(self.seen[serial], []).append(
                ("serials", _("Serial '%(serial)s' is already recorded (shipment %(number)s).", serial=serial, number=other)))
        for row in sorted(batch.errors):
            self.bad_rows += 1
            if len(self.reported) < self.max_reported:
                found = batch.errors[row]
                self.reported.append(RowError(row, [m for _c, m in found], [c for c, _m in found]))
        if not self.failed:
            self._write(batch)
        self.batch = _Batch()

    def _write(self, batch: _Batch) -> None:
        writer = self.writer
        new = [self.shipments[number] for number in batch.new_numbers]
        if new:
            ids = writer.insert(Shipment.__table__, [
                {"number": number, "client_id": s.client_id, "ship_date": s.ship_date, "created_at": self.now}
                for number, s in zip(batch.new_numbers, new)], returning=True)
            for shipment, shipment_id in zip(new, ids):
                shipment.id = shipment_id
        if not batch.lines:
            return
        line_ids = writer.insert(ShipmentLine.__table__, [
            dict(line, shipment_id=self.shipments[number].id) for number, line, _serials in batch.lines], returning=True)
        serial_rows = [{"serial": serial, "line_id": line_id, "client_id": line["client_id"]}
                       for (_number, line, serials), line_id in zip(batch.lines, line_ids) for serial in serials]
        if serial_rows:
            writer.insert(Serial.__table__, serial_rows, returning=False)
        self.lines += len(line_ids)
        self.serials += len(serial_rows)


class _CoreWriter:
    """Core executemany; new ids come back through RETURNING (SQLAlchemy's insertmanyvalues)."""

    def __init__(self, conn):
        self.conn = conn

    def insert(self, table, rows: list[dict], returning: bool) -> list[int]:
        if returning:
            stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
            return self.conn.execute(stmt, rows).scalars().all()
        self.conn.execute(insert(table), rows)
        return []


class _CopyWriter:
    """PostgreSQL with psycopg: COPY ... FROM STDIN on the session's own connection, so inside
    the same transaction (and savepoint). New ids are drawn from the table's sequence first."""

    def __init__(self, conn):
        self.conn = conn

    def insert(self, table, rows: list[dict], returning: bool) -> list[int]:
        import psycopg
        from psycopg import sql

        columns = list(rows[0])
        ids: list[int] = []
        if returning:
            ids = self.conn.execute(
                text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"),
                {"table": table.name, "n": len(rows)},
            ).scalars().all()
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, (["id"] if returning else []) + columns)))
        try:
            with self.conn.connection.driver_connection.cursor() as cursor, cursor.copy(statement) as copy:
                if returning:
                    for new_id, row in zip(ids, rows):
                        copy.write_row([new_id, *(row[c] for c in columns)])
                else:
                    for row in rows:
                        copy.write_row([row[c] for c in columns])
        except psycopg.IntegrityError as exc:  # raised by the driver itself: give it SQLAlchemy's type
            raise IntegrityError(str(statement), None, exc) from exc
        return ids


def _writer(conn):
    if conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg":
        return _CopyWriter(conn)
    return _CoreWriter(conn)
