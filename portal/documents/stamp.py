"""Stamping a confidential PDF on download: every page gets the client's name and the date,
as a footer line and a faint diagonal watermark. The overlay is rendered with WeasyPrint (one
per distinct page size) and merged onto each page with pypdf; the original stays unchanged
in storage."""
from __future__ import annotations

import io
from html import escape

from pypdf import PdfReader, PdfWriter

OVERLAY_HTML = """<!doctype html><html><head><meta charset="utf-8"><style>
@page {{ size: {w:.2f}pt {h:.2f}pt; margin: 0; }}
html, body {{ margin: 0; font-family: "Noto Sans CJK SC", "DejaVu Sans", sans-serif; }}
.footer {{ position: fixed; left: 0; right: 0; bottom: 6pt; text-align: center; font-size: 7.5pt;
  color: rgba(180, 0, 0, 0.85); }}
.mark {{ position: fixed; left: -10%; right: -10%; top: 45%; text-align: center; font-size: {big:.0f}pt;
  color: rgba(180, 0, 0, 0.10); transform: rotate(-30deg); }}
</style></head><body><div class="mark">{mark}</div><div class="footer">{text}</div></body></html>"""


def _overlay(width: float, height: float, text: str, mark: str):
    from weasyprint import HTML

    html = OVERLAY_HTML.format(w=width, h=height, big=max(14.0, min(width, height) / 14), text=escape(text),
                               mark=escape(mark))
    pdf = HTML(string=html).write_pdf()
    return PdfReader(io.BytesIO(pdf)).pages[0]


def stamp_pdf(data: bytes, text: str, mark: str) -> bytes:
    """`data` with `text` as a footer and `mark` as a watermark on every page."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    overlays = {}
    for page in writer.pages:
        if page.get("/Rotate"):
            page.transfer_rotation_to_content()
        box = page.mediabox
        size = (round(float(box.width), 1), round(float(box.height), 1))
        if size not in overlays:
            overlays[size] = _overlay(size[0], size[1], text, mark)
        page.merge_translated_page(overlays[size], float(box.left), float(box.bottom), over=True)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
