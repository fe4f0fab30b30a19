"""Rendering a statement to PDF with WeasyPrint, in the client's language.

Chinese needs the right face of the Noto Sans CJK collection: the family names select it
("Noto Sans CJK SC" for Simplified, "Noto Sans CJK HK" for Hong Kong Traditional); the
``lang`` attribute tells Pango the language. The fonts are embedded as subsets (HarfBuzz).
Stylesheet and font configuration are parsed once per thread and reused.
"""
from __future__ import annotations

import threading
from pathlib import Path

from flask import current_app, render_template
from flask_babel import gettext as _

from ..settlements.models import Settlement
from .content import COLUMNS, Statement, in_client_language, statement

CSS_FILE = Path(__file__).with_name("statement.css")
# (CSS font-family list, HTML lang) per portal locale. Latin locales use the same collection
# (installed with fonts-noto-cjk, Latin glyphs included) so Chinese names still show.
FONTS = {
    "zh_Hans": ('"Noto Sans CJK SC"', "zh-Hans"),
    "zh_Hant_HK": ('"Noto Sans CJK HK", "Noto Sans CJK TC"', "zh-Hant-HK"),
    "en": ('"Noto Sans CJK SC"', "en"),
    "fr": ('"Noto Sans CJK SC"', "fr"),
    "es": ('"Noto Sans CJK SC"', "es"),
}
_local = threading.local()


def _resources():
    """(FontConfiguration, CSS) of this thread, built on first use."""
    found = getattr(_local, "resources", None)
    if found is None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        font_config = FontConfiguration()
        found = _local.resources = (font_config, CSS(filename=str(CSS_FILE), font_config=font_config))
    return found


def css_string(text: str) -> str:
    """``text`` as a CSS string literal (safe inside <style>)."""
    escaped = "".join(c if c.isalnum() or c in " .,:;()-_/·，：（）" else f"\\{ord(c):x} " for c in text)
    return f'"{escaped}"'


def page_counter_content() -> str:
    """The CSS ``content`` of "Page x of y" in the current language, placeholders in the
    translation's order."""
    page, pages = "\x00page\x00", "\x00pages\x00"
    text = _("Page %(page)s of %(pages)s", page=page, pages=pages)
    parts = []
    for piece in text.split("\x00"):
        if piece == "page":
            parts.append("counter(page)")
        elif piece == "pages":
            parts.append("counter(pages)")
        elif piece:
            parts.append(css_string(piece))
    return " ".join(parts) or '""'


def statement_html(doc: Statement) -> str:
    settlement = doc.settlement
    family, lang = FONTS.get(doc.locale, FONTS["en"])
    if settlement.hash:
        footer = _("Document hash (SHA-256): %(hash)s", hash=settlement.hash)
    else:
        footer = _("Draft: not issued, no number and no hash yet.")
    return render_template(
        "statements/pdf.html", doc=doc, lang=lang, font_family=family, page_counter=page_counter_content(),
        footer=css_string(footer), odm_name=current_app.config["ODM_NAME"], columns=list(COLUMNS.values()),
    )


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    font_config, css = _resources()
    document = HTML(string=html, base_url=str(CSS_FILE.parent)).render(stylesheets=[css], font_config=font_config)
    return document.write_pdf()


def render_pdf(settlement: Settlement) -> bytes:
    """The PDF of ``settlement`` (a draft carries a DRAFT mark), in the client's language."""
    with in_client_language(settlement) as locale:
        html = statement_html(statement(settlement, locale))
    return html_to_pdf(html)
