"""Reading and writing spreadsheets: CSV and XLSX, streamed row by row.

Imports (shipments, claims, serial lists...) read through `read_rows`, so a 100,000-line
file never sits in memory whole; downloads write through `spreadsheet_response`.
"""
from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from flask import Response
from flask_babel import gettext as _

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class TabularError(ValueError):
    """The file as a whole cannot be read (wrong type, no header, bad encoding)."""


@dataclass(frozen=True)
class Row:
    number: int  # the line number a person sees in the file (header is line 1)
    values: dict[str, str]


def _normalise_header(cell) -> str:
    return str(cell or "").strip().lower().replace(" ", "_")


def _is_xlsx(head: bytes) -> bool:
    return head.startswith(b"PK\x03\x04")


def read_rows(stream, filename: str = "") -> Iterator[Row]:
    """Yield the rows of a CSV (UTF-8, comma/semicolon/tab) or XLSX file as dicts keyed by
    the normalised header. Blank rows are skipped. Raises TabularError for unreadable files."""
    head = stream.read(4)
    stream.seek(0)
    if _is_xlsx(head):
        yield from _xlsx_rows(stream)
    elif filename.lower().endswith(".xlsx"):
        raise TabularError(_("The file is not a valid XLSX workbook."))
    else:
        yield from _csv_rows(stream)


def _csv_rows(stream) -> Iterator[Row]:
    # TextIOWrapper decodes incrementally and, unlike codecs' StreamReader, raises on a
    # broken sequence at the very end of the file instead of dropping it.
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="strict", newline="")
    try:
        yield from _csv_text_rows(text)
    except UnicodeDecodeError:
        raise TabularError(_("The file is not UTF-8 text. Save it as CSV UTF-8 or as XLSX.")) from None
    finally:
        try:
            text.detach()  # leave the caller's stream open
        except ValueError:  # the stream was already closed (a generator dropped half-way)
            pass


def _csv_text_rows(text) -> Iterator[Row]:
    sample = text.read(4096)
    if not sample.strip():
        raise TabularError(_("The file is empty."))
    delimiter = max(",;\t", key=sample.split("\n", 1)[0].count)
    reader = csv.reader(_chain_text(sample, text), delimiter=delimiter)
    header = [_normalise_header(c) for c in next(reader)]
    try:
        for values in reader:
            if any(v.strip() for v in values):
                yield Row(reader.line_num, _zip(header, values))
    except csv.Error as exc:
        raise TabularError(_("Line %(n)s cannot be read: %(why)s", n=reader.line_num, why=str(exc))) from None


def _chain_text(first: str, rest) -> Iterator[str]:
    buffer = first
    while True:
        *lines, buffer = buffer.split("\n")
        for line in lines:
            yield line + "\n"
        chunk = rest.read(65536)
        if not chunk:
            break
        buffer += chunk
    if buffer:
        yield buffer


def _xlsx_rows(stream) -> Iterator[Row]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a broken archive
        raise TabularError(_("The file is not a valid XLSX workbook.")) from None
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = [_normalise_header(c) for c in next(rows, ())]
        if not any(header):
            raise TabularError(_("The file is empty."))
        for number, values in enumerate(rows, start=2):
            cells = ["" if v is None else _cell_text(v) for v in values]
            if any(c.strip() for c in cells):
                yield Row(number, _zip(header, cells))
    finally:
        workbook.close()


def _cell_text(value) -> str:
    from datetime import date, datetime

    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _zip(header: list[str], values: list[str]) -> dict[str, str]:
    return {name: (values[i].strip() if i < len(values) else "") for i, name in enumerate(header) if name}


def spreadsheet_response(headers: list[str], rows: Iterable[Iterable], filename: str, fmt: str = "xlsx") -> Response:
    """A download of `rows` under `headers`, as XLSX (default) or CSV; rows are streamed into
    a write-only workbook, so large results do not build a document tree in memory."""
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(headers)
        writer.writerows(rows)
        data = ("\ufeff" + out.getvalue()).encode("utf-8")
        mimetype, filename = "text/csv; charset=utf-8", f"{filename}.csv"
    else:
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append(headers)
        for row in rows:
            sheet.append(list(row))
        with tempfile.TemporaryFile() as tmp:
            workbook.save(tmp)
            tmp.seek(0)
            data = tmp.read()
        mimetype, filename = XLSX_MIME, f"{filename}.xlsx"
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})
