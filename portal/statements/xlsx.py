"""The statement as a spreadsheet: the same lines, sections, subtotals and total as the PDF,
in the client's language; amounts and quantities are numbers with number formats."""
from __future__ import annotations

import io
from datetime import datetime, timezone
from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ..settlements.models import Settlement
from .content import Statement, in_client_language, statement

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
PRICE = "#,##0.00##;-#,##0.00##"
QUANTITY = "#,##0"
WIDTHS = (48, 22, 10, 14, 14, 14, 14)


def _money_format(currency: str) -> str:
    return f'#,##0.00 "{currency}";-#,##0.00 "{currency}"'


def render_xlsx(settlement: Settlement) -> bytes:
    with in_client_language(settlement) as locale:
        doc = statement(settlement, locale, blocks=False)
        workbook = Workbook()
        _lines_sheet(workbook.active, doc)
        if doc.rejected:
            _rejected_sheet(workbook.create_sheet(_("Rejected claims")[:31]), doc)
        if doc.ledger:
            _ledger_sheet(workbook.create_sheet(_("Spare-part entitlement")[:31]), doc)
    moment = settlement.issued_at or datetime(2000, 1, 1, tzinfo=timezone.utc)
    workbook.properties.creator = current_app.config["ODM_NAME"]
    workbook.properties.created = workbook.properties.modified = moment.replace(tzinfo=None)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _lines_sheet(sheet, doc: Statement) -> None:
    s = doc.settlement
    money = _money_format(s.currency)
    sheet.title = (s.number or _("DRAFT"))[:31]
    sheet.append([f"{doc.title} {doc.number}"])
    sheet["A1"].font = TITLE
    facts = [(_("Client"), f"{s.client.code} · {s.client.name}"), (_("Number"), doc.number),
             (_("Period"), doc.period), (_("Scheme"), doc.presented.scheme_name), (_("Currency"), s.currency)]
    if doc.issued:
        facts.append((_("Issued"), doc.issued))
    if s.corrects is not None:
        facts += [(_("Corrects"), s.corrects.number), (_("Reason"), s.reason)]
    if s.hash:
        facts.append((_("Document hash (SHA-256)"), s.hash))
    for name, value in facts:
        sheet.append([name, value])
        sheet.cell(sheet.max_row, 1).font = BOLD
    sheet.append([])
    headers = [_("Description"), _("Reference"), _("Quantity"), _("Unit price"), _("Credit"), _("Debit"),
               _("Amount (+ credit, − debit)")]
    for section in doc.sections:
        sheet.append([section.title])
        sheet.cell(sheet.max_row, 1).font = BOLD
        sheet.append(headers)
        for column in range(1, len(headers) + 1):
            sheet.cell(sheet.max_row, column).font = BOLD
        for line in section.lines:
            credit = line.amount if line.direction == "credit" else None
            debit = line.amount if line.direction == "debit" else None
            sheet.append([line.description, line.reference, line.quantity, line.unit_price, credit, debit, line.signed])
            row = sheet.max_row
            sheet.cell(row, 3).number_format = QUANTITY
            sheet.cell(row, 4).number_format = PRICE
            for column in (5, 6, 7):
                sheet.cell(row, column).number_format = money
        sheet.append([_("Subtotal: %(title)s", title=section.title), None, None, None, None, None, section.subtotal])
        _bold_amount(sheet, money)
        sheet.append([])
    sheet.append([_("Total"), None, None, None, None, None, s.total])
    _bold_amount(sheet, money)
    sheet.append([doc.total_note])
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _bold_amount(sheet, money: str) -> None:
    row = sheet.max_row
    sheet.cell(row, 1).font = BOLD
    sheet.cell(row, 7).font = BOLD
    sheet.cell(row, 7).number_format = money


def _rejected_sheet(sheet, doc: Statement) -> None:
    sheet.append([_("Claim"), _("Serial number"), _("Reasons")])
    for row in doc.rejected:
        sheet.append([row.get("reference"), row.get("serial"), "; ".join(row.get("reason_texts", []))])
    for column, width in zip("ABC", (22, 22, 80)):
        sheet.column_dimensions[column].width = width


def _ledger_sheet(sheet, doc: Statement) -> None:
    names = ("accrued", "used", "remaining", "free_in_period", "charged_in_period")
    sheet.append([_("Model"), _("Part category"), _("Accrued"), _("Used"), _("Remaining"), _("Free in the period"),
                  _("Charged in the period")])
    for row in doc.ledger:
        sheet.append([row.get("model_code"), row.get("category_label")]
                     + [_number(row.get(name)) for name in names])
        for column in range(3, 8):
            sheet.cell(sheet.max_row, column).number_format = QUANTITY
    for index in range(1, 8):
        sheet.column_dimensions[get_column_letter(index)].width = 18


def _number(value):
    if isinstance(value, str):
        try:
            return Decimal(value)
        except ArithmeticError:
            return value
    return value
