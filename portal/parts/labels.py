"""Printable PDF label sheets for spare parts, rendered with WeasyPrint in the client's language:
the ODM part number, the client's own number when it has one, the description (the client's
own wording when it gave one), and a Code 128 barcode or a QR code (SVG, embedded)."""
from __future__ import annotations

import base64
import io
from dataclasses import dataclass

import barcode
import segno
from barcode.writer import SVGWriter
from flask import render_template
from flask_babel import force_locale
from sqlalchemy import select

from ..catalogue.models import Part
from ..extensions import db
from .models import ClientPartNumber


@dataclass(frozen=True)
class Layout:
    key: str
    page: str  # CSS @page size
    columns: int
    rows: int
    width_mm: float
    height_mm: float
    margin_mm: float = 0  # top and bottom of the page


LAYOUTS = {
    "a4_3x8": Layout("a4_3x8", "A4", 3, 8, 70, 37, 0.4),
    "a4_2x5": Layout("a4_2x5", "A4", 2, 5, 105, 59.3),
    "single_100x50": Layout("single_100x50", "100mm 50mm", 1, 1, 100, 50),
}
CODES = ("code128", "qr")
MAX_LABELS = 2000


def _data_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def code_image(value: str, kind: str) -> str:
    out = io.BytesIO()
    if kind == "qr":
        segno.make(value, error="m").save(out, kind="svg", xmldecl=False, scale=4, border=1)
    else:
        barcode.get("code128", value, writer=SVGWriter()).write(
            out, options={"write_text": False, "module_height": 8, "quiet_zone": 1})
    return _data_uri(out.getvalue())


def label_data(part_ids: list[int], client=None, copies: int = 1) -> list[dict]:
    parts = {p.id: p for p in db.session.scalars(select(Part).where(Part.id.in_(part_ids)))}
    own = {}
    if client is not None:
        own = {c.part_id: c for c in db.session.scalars(select(ClientPartNumber).where(
            ClientPartNumber.client_id == client.id, ClientPartNumber.part_id.in_(part_ids)))}
    labels = []
    for part_id in part_ids:
        part = parts.get(part_id)
        if part is None:
            continue
        mine = own.get(part_id)
        labels.extend([{"part": part, "client_number": mine.number if mine else "",
                        "description": (mine.description if mine and mine.description else part.description)}]
                      * copies)
    return labels


def render_sheet(part_ids: list[int], *, layout: str = "a4_3x8", code: str = "code128", client=None,
                 copies: int = 1, locale: str | None = None) -> bytes:
    """The PDF of the labels, in ``locale`` (by default the client's, else English)."""
    from weasyprint import HTML

    chosen = LAYOUTS[layout]
    labels = label_data(part_ids, client, copies)[:MAX_LABELS]
    for item in labels:
        value = item["client_number"] if code == "qr" and item["client_number"] else item["part"].number
        item["image"] = code_image(value if code == "code128" else f"{item['part'].number}|{value}", code)
    per_page = chosen.columns * chosen.rows
    pages = [labels[i:i + per_page] for i in range(0, len(labels), per_page)] or [[]]
    with force_locale(locale or (client.locale if client is not None else "en")):
        html = render_template("parts/labels_pdf.html", layout=chosen, pages=pages, code=code, client=client)
    return HTML(string=html).write_pdf()
