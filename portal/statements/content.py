"""What a statement shows, computed once for the PDF, the XLSX and the e-mail.

``statement(settlement, locale)`` must run inside ``flask_babel.force_locale(locale)`` (see
``in_client_language``): section titles, labels and the scheme's texts come out in that
locale, and every amount, number and date is formatted by Babel for it.

For the PDF the lines are grouped into **blocks** (``line_blocks``): up to BLOCK_LINES
consecutive short lines become one table row whose cells hold one text line per statement
line (``white-space: pre``), which WeasyPrint lays out two to three times faster than one table
row per line (fewer boxes to style, lay out and draw; see docs/statements.md). A line whose
text may not fit its column on one line gets a row of its own, where it wraps normally.
"""
from __future__ import annotations

import contextlib
import functools
import subprocess
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal
from flask import current_app
from flask_babel import force_locale
from fontTools.ttLib import TTFont

from ..labels import label
from ..settlements.models import Settlement
from ..settlements.services import Presented, present

BLOCK_LINES = 8
FONT_PT = 7.5  # the lines table (statement.css)
# Column widths of the lines table, in points (A4 portrait, 13 mm margins: 523 pt).
COLUMNS = {"description": 236.0, "reference": 76.0, "quantity": 36.0, "unit_price": 58.0,
           "credit": 58.5, "debit": 58.5}
CELL_PADDING_PT = 4.0


@contextlib.contextmanager
def in_client_language(settlement: Settlement):
    """Everything inside speaks the client's language, whoever asked for it."""
    with force_locale(settlement.client.locale):
        yield settlement.client.locale


@dataclass
class LineText:
    description: str
    reference: str
    quantity: str
    unit_price: str
    credit: str
    debit: str

    def fits(self) -> bool:
        return all(fits(getattr(self, name), width) for name, width in COLUMNS.items())


@dataclass
class Block:
    """Consecutive lines shown as one row (``single`` False), or one line that may wrap."""

    lines: list[LineText]
    single: bool = False

    def column(self, name: str) -> str:
        """The column's lines, one per statement line; "" when all are empty (an empty cell
        costs nothing to lay out, empty preformatted lines do)."""
        values = [getattr(line, name) for line in self.lines]
        return "\n".join(values) if any(values) else ""


@dataclass
class SectionView:
    key: str
    title: str
    subtotal: Decimal
    subtotal_text: str
    blocks: list[Block]
    lines: list  # the presented lines (for the XLSX)


@dataclass
class Statement:
    settlement: Settlement
    locale: str
    presented: Presented
    title: str
    number: str
    period: str
    issued: str
    total_text: str
    total_note: str
    sections: list[SectionView] = field(default_factory=list)
    ledger: list[dict] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)

    @property
    def is_draft(self) -> bool:
        return self.settlement.status != "issued"


@functools.lru_cache(maxsize=1)
def _font_metrics():
    """(cmap, advance widths, units per em) of the regular Noto Sans CJK SC face, or None.
    Its Latin and Han advances are those of the other CJK faces too."""
    try:
        found = subprocess.run(["fc-match", "-f", "%{file}:%{index}", "Noto Sans CJK SC"], capture_output=True,
                               text=True, timeout=10, check=True).stdout
        path, index = found.rsplit(":", 1)
        font = TTFont(path, fontNumber=int(index), lazy=True)
        cmap, upm = font.getBestCmap(), font["head"].unitsPerEm
        widths = {name: advance for name, (advance, _lsb) in font["hmtx"].metrics.items()}
        return cmap, widths, upm
    except Exception:  # no fontconfig or no font: fall back to a generous estimate
        return None


def char_width(char: str) -> float:
    """A character's advance in em: from the font when available, else a generous guess."""
    metrics = _font_metrics()
    if metrics is not None:
        cmap, widths, upm = metrics
        glyph = cmap.get(ord(char))
        if glyph is not None:
            return widths.get(glyph, upm) / upm
    if unicodedata.east_asian_width(char) in ("W", "F", "A"):
        return 1.0
    return 0.75 if char.isupper() or char in "mw@%&—" else 0.6


def fits(text: str, width_pt: float) -> bool:
    """Whether ``text`` fits its column on one line (with a small safety margin)."""
    room = (width_pt - CELL_PADDING_PT) * 0.97
    return "\n" not in text and sum(char_width(c) for c in text) * FONT_PT <= room


def line_blocks(lines: list[LineText]) -> list[Block]:
    blocks: list[Block] = []
    current: list[LineText] = []
    for line in lines:
        if line.fits():
            current.append(line)
            if len(current) == BLOCK_LINES:
                blocks.append(Block(current))
                current = []
            continue
        if current:
            blocks.append(Block(current))
            current = []
        blocks.append(Block([line], single=True))
    if current:
        blocks.append(Block(current))
    return blocks


def money(amount: Decimal | None, currency: str, locale: str) -> str:
    return "" if amount is None else format_currency(amount, currency, locale=locale)


def _date(value: date | datetime | None, locale: str) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        from babel.dates import get_timezone

        value = value.astimezone(get_timezone(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()
    return format_date(value, "long", locale=locale)


def statement(settlement: Settlement, locale: str, *, blocks: bool = True) -> Statement:
    """The statement of ``settlement`` in ``locale`` (call inside ``in_client_language``)."""
    from flask_babel import gettext as _

    currency = settlement.currency
    shown = present(settlement, locale)
    if settlement.kind == "credit_note":
        title = _("Credit note")
    else:
        title = _("Settlement statement")
    sections = []
    for section in shown.sections:
        texts = [
            LineText(
                line.description, line.reference or "",
                format_decimal(line.quantity, locale=locale) if line.quantity is not None else "",
                _unit_price(line.unit_price, currency, locale),
                money(line.amount, currency, locale) if line.direction == "credit" else "",
                money(line.amount, currency, locale) if line.direction == "debit" else "",
            )
            for line in section.lines
        ]
        subtotal = section.subtotal
        sections.append(SectionView(section.key, section.title, subtotal, money(subtotal, currency, locale),
                                    line_blocks(texts) if blocks else [Block([t]) for t in texts], section.lines))
    total = settlement.total
    note = (_("The ODM owes the client this amount.") if total >= 0
            else _("The client owes the ODM this amount."))
    ledger = [
        dict(row, category_label=row.get("category_label") or label("category", row.get("category")),
             **{f"{name}_text": format_decimal(row.get(name) or 0, locale=locale)
                for name in ("accrued", "used", "remaining", "free_in_period", "charged_in_period")})
        for row in shown.ledger
    ]
    return Statement(
        settlement=settlement, locale=locale, presented=shown, title=title,
        number=settlement.number or _("DRAFT"),
        period=_("%(start)s – %(end)s", start=_date(settlement.period_start, locale),
                 end=_date(settlement.period_end, locale)),
        issued=_date(settlement.issued_at, locale), total_text=money(total, currency, locale), total_note=note,
        sections=sections, ledger=ledger, rejected=shown.rejected,
    )


def _unit_price(value: Decimal | None, currency: str, locale: str) -> str:
    if value is None:
        return ""
    if value == value.quantize(Decimal("0.01")):
        return money(value, currency, locale)
    return format_currency(value, currency, format=None, locale=locale, currency_digits=False,
                           decimal_quantization=False)

