"""Printed documents of an RMA, in the client's language whatever the viewer's: the packing
list with labels carrying the RMA number as a Code 128 barcode, and the repair report of a unit.
Rendered by WeasyPrint from the same templates as the pages."""
from __future__ import annotations

import base64
import io

from flask import render_template
from flask_babel import force_locale


def barcode_svg(text: str) -> str:
    """The Code 128 barcode of `text` as an SVG document (python-barcode)."""
    from barcode import Code128
    from barcode.writer import SVGWriter

    out = io.BytesIO()
    Code128(text, writer=SVGWriter()).write(out, options={"module_height": 12.0, "font_size": 8, "text_distance": 4,
                                                          "quiet_zone": 2.0})
    return out.getvalue().decode("utf-8")


def barcode_data_uri(text: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(barcode_svg(text).encode("utf-8")).decode("ascii")


def render_pdf(template: str, locale: str, **context) -> bytes:
    from weasyprint import HTML

    with force_locale(locale or "en"):
        html = render_template(template, pdf=True, **context)
    return HTML(string=html).write_pdf()


def packing_list_pdf(rma) -> bytes:
    return render_pdf("rma/packing_list.html", rma.client.locale, rma=rma, barcode=barcode_data_uri(rma.number))


def repair_report_pdf(rma, line) -> bytes:
    return render_pdf("rma/report_pdf.html", rma.client.locale, rma=rma, line=line, barcode=barcode_data_uri(rma.number))
